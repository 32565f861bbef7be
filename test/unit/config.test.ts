/** Settings from the environment, then `.sweep/stack.json`, then defaults; an empty one counts as unset. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, databaseUrl, temporalUiUrl } from '../../src/config';

const saved = { SWEEP_STATE_DIR: process.env.SWEEP_STATE_DIR, TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL, DATABASE_URL: process.env.DATABASE_URL };

function writeStack(record: object): void {
  writeFileSync(join(process.env.SWEEP_STATE_DIR!, 'stack.json'), JSON.stringify(record));
}

beforeEach(() => {
  process.env.SWEEP_STATE_DIR = mkdtempSync(join(tmpdir(), 'sweeplab-state-'));
  delete process.env.TEMPORAL_UI_URL;
  delete process.env.DATABASE_URL;
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

describe('databaseUrl', () => {
  it("puts the local stack's password back into the URL stack.json records without it", () => {
    const passwordFile = join(process.env.SWEEP_STATE_DIR!, 'postgres.password');
    writeFileSync(passwordFile, 'gen-pass_123\n', { mode: 0o600 });
    writeStack({ databaseUrl: 'postgresql://sweeplab@127.0.0.1:54329/sweeplab', databasePasswordFile: passwordFile });
    expect(databaseUrl()).toBe('postgresql://sweeplab:gen-pass_123@127.0.0.1:54329/sweeplab');
  });

  it('says which file to look at when the password file is gone', () => {
    const passwordFile = join(process.env.SWEEP_STATE_DIR!, 'gone.password');
    writeStack({ databaseUrl: 'postgresql://sweeplab@127.0.0.1:54329/sweeplab', databasePasswordFile: passwordFile });
    expect(() => databaseUrl()).toThrow(`cannot read the local stack's database password from ${passwordFile} (ENOENT): run \`sweep dev up\` again, or set DATABASE_URL`);
  });

  it('prefers DATABASE_URL, refusing one that is not a Postgres URL without repeating it', () => {
    writeStack({ databaseUrl: 'postgresql://sweeplab@127.0.0.1:54329/sweeplab' });
    process.env.DATABASE_URL = 'postgresql://u:pw@db.lab:5432/sweeplab?sslmode=verify-full';
    expect(databaseUrl()).toBe(process.env.DATABASE_URL);
    process.env.DATABASE_URL = 'postgresql://u:s3cret@db.lab:99999999/x';
    expect(() => databaseUrl()).toThrow(new ConfigurationError('DATABASE_URL', 'is not a valid URL (expected postgresql://user:password@host:port/database)'));
    process.env.DATABASE_URL = 'mysql://u:s3cret@db.lab/x';
    expect(() => databaseUrl()).toThrow('DATABASE_URL: is a mysql: URL');
  });
});
