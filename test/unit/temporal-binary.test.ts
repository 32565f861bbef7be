import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTemporalBinary, findTemporalBinary } from '../../src/stack/temporal-binary';

const saved = { PATH: process.env.PATH, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, SWEEP_TEMPORAL_BIN: process.env.SWEEP_TEMPORAL_BIN };

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
});
