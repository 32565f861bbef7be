/** Settings from the environment, then `.sweep/stack.json`, then defaults; an empty one counts as unset. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporalUiUrl } from '../../src/config';

const saved = { SWEEP_STATE_DIR: process.env.SWEEP_STATE_DIR, TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL };

function writeStack(record: object): void {
  writeFileSync(join(process.env.SWEEP_STATE_DIR!, 'stack.json'), JSON.stringify(record));
}

beforeEach(() => {
  process.env.SWEEP_STATE_DIR = mkdtempSync(join(tmpdir(), 'sweeplab-state-'));
  delete process.env.TEMPORAL_UI_URL;
});

afterEach(() => {
  rmSync(process.env.SWEEP_STATE_DIR!, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('temporalUiUrl', () => {
  it("falls back to the default when stack.json holds '' (an external server without TEMPORAL_UI_URL)", () => {
    writeStack({ temporalAddress: 'temporal.internal:7233', temporalUiUrl: '' });
    expect(temporalUiUrl()).toBe('http://127.0.0.1:8233');
  });

  it('treats an empty TEMPORAL_UI_URL as unset', () => {
    writeStack({ temporalUiUrl: 'http://127.0.0.1:9233' });
    process.env.TEMPORAL_UI_URL = '';
    expect(temporalUiUrl()).toBe('http://127.0.0.1:9233');
  });

  it('prefers TEMPORAL_UI_URL, then stack.json', () => {
    writeStack({ temporalUiUrl: 'http://127.0.0.1:9233' });
    expect(temporalUiUrl()).toBe('http://127.0.0.1:9233');
    process.env.TEMPORAL_UI_URL = 'https://temporal.example.org';
    expect(temporalUiUrl()).toBe('https://temporal.example.org');
  });
});
