/** Passwords and API keys out of printed text. */
import { afterEach, describe, expect, it } from 'vitest';
import { knownSecrets, redactSecrets, redactUrl } from '../../src/connection/redact';

const saved = { DATABASE_URL: process.env.DATABASE_URL, TEMPORAL_API_KEY: process.env.TEMPORAL_API_KEY };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('redactUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactUrl('postgresql://sweeplab:s3cret@db:5432/sweeplab?sslmode=verify-full')).toBe('postgresql://sweeplab:***@db:5432/sweeplab?sslmode=verify-full');
    expect(redactUrl('postgresql://sweeplab@db/sweeplab')).toBe('postgresql://sweeplab@db/sweeplab');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('redactSecrets', () => {
  it('masks the configured database password (plain and URL-encoded) and API key wherever they appear', () => {
    process.env.DATABASE_URL = 'postgresql://u:p%40ss-word@db/x';
    process.env.TEMPORAL_API_KEY = 'tk_live_abcdef';
    const secrets = knownSecrets();
    expect(secrets).toEqual(expect.arrayContaining(['p@ss-word', 'p%40ss-word', 'tk_live_abcdef']));
    const text = 'connect postgresql://u:p%40ss-word@db/x failed (password p@ss-word), header Bearer tk_live_abcdef';
    expect(redactSecrets(text)).toBe('connect postgresql://u:***@db/x failed (password ***), header Bearer ***');
  });

  it('leaves text alone when nothing secret is configured', () => {
    process.env.DATABASE_URL = 'postgresql://u@db/x';
    delete process.env.TEMPORAL_API_KEY;
    expect(knownSecrets()).toEqual([]);
    expect(redactSecrets('nothing to hide')).toBe('nothing to hide');
  });
});
