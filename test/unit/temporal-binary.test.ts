import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTemporalBinary, findTemporalBinary, TEMPORAL_CLI_MODULE } from '../../src/stack/temporal-binary';

const saved = {
  PATH: process.env.PATH,
  XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
  SWEEP_CACHE_DIR: process.env.SWEEP_CACHE_DIR,
  SWEEP_TEMPORAL_BIN: process.env.SWEEP_TEMPORAL_BIN,
};

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('finding the Temporal CLI', () => {
  it('says how to install one when neither it nor Go is there', () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'empty-cache-'));
    delete process.env.SWEEP_CACHE_DIR;
    delete process.env.SWEEP_TEMPORAL_BIN;
    expect(findTemporalBinary()).toBeNull();
    expect(() => ensureTemporalBinary()).toThrow(/install Go 1\.25\+.*\n.*go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1[\s\S]*TEMPORAL_ADDRESS/);
  });

  it('prefers SWEEP_TEMPORAL_BIN, and reports a missing one as not found', () => {
    process.env.SWEEP_TEMPORAL_BIN = process.execPath;
    expect(findTemporalBinary()).toBe(process.execPath);
    process.env.SWEEP_TEMPORAL_BIN = '/nonexistent/temporal';
    expect(findTemporalBinary()).toBeNull();
  });

  it('finds the one built into SWEEP_CACHE_DIR/bin, where infra/setup.sh builds it', () => {
    const cache = mkdtempSync(join(tmpdir(), 'sweep-cache-'));
    mkdirSync(join(cache, 'bin'));
    writeFileSync(join(cache, 'bin', 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    process.env.SWEEP_CACHE_DIR = cache;
    delete process.env.SWEEP_TEMPORAL_BIN;
    expect(findTemporalBinary()).toBe(join(cache, 'bin', 'temporal'));
  });

  it("infra/setup.sh's background build reads the same pin as this module", () => {
    // setup.sh extracts it with sed from the source line; a reformatted line must not go unnoticed.
    const setup = readFileSync(new URL('../../infra/setup.sh', import.meta.url), 'utf8');
    const sedScript = /temporal_module=\$\(sed -n "([^"]+)"/.exec(setup)?.[1];
    expect(sedScript, 'the sed command in infra/setup.sh').toBeTruthy();
    const source = fileURLToPath(new URL('../../src/stack/temporal-binary.ts', import.meta.url));
    expect(execFileSync('sed', ['-n', sedScript!.replaceAll('\\\\', '\\'), source], { encoding: 'utf8' }).trim()).toBe(TEMPORAL_CLI_MODULE);
  });
});
