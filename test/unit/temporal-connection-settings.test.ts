/** TEMPORAL_* settings → connection options: TLS on when asked or implied, credentials from text or files, errors naming the variable and never a secret. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/config';
import { describeTemporalConnection, temporalConnectionOptions, temporalConnectionSettings } from '../../src/connection/temporal-options';

const dir = mkdtempSync(join(tmpdir(), 'sweeplab-tls-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n';
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Settings from exactly these variables (a state dir without stack.json, so no local stack leaks in). */
const settings = (env: Record<string, string>) => temporalConnectionSettings({ SWEEP_STATE_DIR: dir, ...env });

function refusal(env: Record<string, string>): ConfigurationError {
  try {
    settings(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('temporalConnectionSettings', () => {
  it('is plain gRPC to the default address and namespace when nothing is set', () => {
    expect(settings({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: false, apiKey: undefined });
    expect(temporalConnectionOptions(settings({}))).toEqual({ address: '127.0.0.1:7233', tls: false });
  });

  it('turns TLS on for any TLS setting or an API key, and TEMPORAL_TLS=false keeps a key on plain gRPC', () => {
    expect(settings({ TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(settings({ TEMPORAL_TLS_SERVER_NAME: 'temporal.lab' }).tls).toEqual({ serverNameOverride: 'temporal.lab' });
    const cloud = settings({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'key-123' });
    expect(cloud).toEqual({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', tls: {}, apiKey: 'key-123' });
    expect(temporalConnectionOptions(cloud)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: {}, apiKey: 'key-123' });
    expect(settings({ TEMPORAL_API_KEY: 'key-123', TEMPORAL_TLS: 'false' }).tls).toBe(false);
  });

  it('reads certificates and keys from files or from PEM text in the variable', () => {
    const fromFiles = settings({ TEMPORAL_TLS_CA: file('ca.pem', CERT), TEMPORAL_TLS_CERT: file('client.pem', CERT), TEMPORAL_TLS_KEY: file('client.key', KEY) });
    const fromText = settings({ TEMPORAL_TLS_CA: CERT, TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY });
    for (const { tls } of [fromFiles, fromText]) {
      expect(tls).toEqual({ serverRootCACertificate: Buffer.from(CERT), clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) } });
    }
  });

  it('reads the API key from a file named by path', () => {
    expect(settings({ TEMPORAL_API_KEY: file('api-key', 'key-from-file\n') }).apiKey).toBe('key-from-file');
  });

  it('refuses a client certificate without its key, and the other way round', () => {
    expect(refusal({ TEMPORAL_TLS_CERT: CERT }).message).toBe('TEMPORAL_TLS_KEY: is unset, but TEMPORAL_TLS_CERT is set: a client certificate (mTLS) needs both');
    expect(refusal({ TEMPORAL_TLS_KEY: KEY }).message).toBe('TEMPORAL_TLS_CERT: is unset, but TEMPORAL_TLS_KEY is set: a client certificate (mTLS) needs both');
  });

  it('names the variable and the file when a file is missing, unreadable or not PEM', () => {
    const missing = join(dir, 'nope.pem');
    expect(refusal({ TEMPORAL_TLS_CA: missing }).message).toBe(`TEMPORAL_TLS_CA: cannot read ${missing}: no such file (TEMPORAL_TLS_CA holds PEM text or a file's path)`);
    expect(refusal({ TEMPORAL_TLS_CA: dir }).message).toContain(`cannot read ${dir}: a directory, not a file`);
    const notPem = file('not.pem', 'hello');
    expect(refusal({ TEMPORAL_TLS_CA: notPem }).message).toBe(`TEMPORAL_TLS_CA: ${notPem} holds no PEM certificate (no '-----BEGIN …' line)`);
    expect(refusal({ TEMPORAL_API_KEY: './no-such-key-file' }).message).toContain('TEMPORAL_API_KEY: cannot read ./no-such-key-file: no such file');
    if (process.getuid?.() !== 0) {
      const locked = file('locked.key', KEY);
      chmodSync(locked, 0o000);
      expect(refusal({ TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: locked }).message).toContain('permission denied');
    }
  });

  it('never repeats a key that is neither PEM text nor a file name', () => {
    const mangled = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsecret';
    const message = refusal({ TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: mangled }).message;
    expect(message).toBe("TEMPORAL_TLS_KEY: cannot read the file it names: no such file (TEMPORAL_TLS_KEY holds PEM text or a file's path)");
    expect(message).not.toContain(mangled);
  });

  it('refuses TEMPORAL_TLS=false beside TLS settings, and a TEMPORAL_TLS that is not a boolean', () => {
    expect(refusal({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: CERT }).message).toBe('TEMPORAL_TLS: is false, but TEMPORAL_TLS_CA is set: unset one or the other');
    expect(refusal({ TEMPORAL_TLS: 'maybe' }).message).toBe("TEMPORAL_TLS: expected true or false, got 'maybe'");
  });

  it('treats empty variables as unset', () => {
    expect(settings({ TEMPORAL_TLS: '', TEMPORAL_TLS_CA: '', TEMPORAL_API_KEY: '', TEMPORAL_NAMESPACE: '' })).toEqual(settings({}));
  });
});

describe('describeTemporalConnection', () => {
  it('says how it connects, with no secret in it', () => {
    expect(describeTemporalConnection(settings({}))).toBe('127.0.0.1:7233');
    const secured = settings({ TEMPORAL_ADDRESS: 't.lab:7233', TEMPORAL_NAMESPACE: 'ml', TEMPORAL_TLS_CA: CERT, TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY, TEMPORAL_API_KEY: 'key-123' });
    const text = describeTemporalConnection(secured);
    expect(text).toBe('t.lab:7233 (TLS, CA from TEMPORAL_TLS_CA, client certificate, API key, namespace ml)');
    expect(text).not.toContain('key-123');
  });
});
