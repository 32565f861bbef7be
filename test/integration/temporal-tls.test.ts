/**
 * Temporal over TLS, against a real TLS endpoint on loopback: a Temporal dev
 * server behind test/support/tls-proxy.ts with certificates made for the test.
 * The CLI's client (connectTemporal) and the worker's NativeConnection are made
 * from the same settings (src/connection/temporal-options.ts), so each case
 * runs through both: the right CA and client certificate connect; a wrong CA,
 * a missing client certificate, a wrong server name or API key fail, saying
 * which setting to look at.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTemporal } from '../../src/client/connect';
import { temporalConnectionSettings } from '../../src/connection/temporal-options';
import { connectWorkerTemporal } from '../../src/worker/temporal-connection';
import { makeTestCertificates, type TestCertificates } from '../support/certificates';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy';
import { runCli } from '../support/workers';

const API_KEY = 'tk_test-0123456789abcdef';

let certs: TestCertificates;
let temporal: TestTemporal;
/** Requires a client certificate signed by the test CA. */
let mtls: TlsProxy;
/** As Temporal Cloud with an API key: TLS, and `authorization: Bearer <key>` on every call. */
let cloud: TlsProxy;

beforeAll(async () => {
  certs = makeTestCertificates();
  temporal = await startTestTemporal({ searchAttributes: [] });
  const server = { target: temporal.address, cert: certs.server.cert, key: certs.server.key };
  [mtls, cloud] = await Promise.all([startTlsProxy({ ...server, clientCa: certs.ca.cert }), startTlsProxy({ ...server, apiKey: API_KEY })]);
});

afterAll(async () => {
  await Promise.all([mtls?.close(), cloud?.close()]);
  await temporal?.stop();
});

/** Settings as the environment gives them (only these variables: nothing of this shell's). */
function settingsFrom(env: Record<string, string>) {
  return temporalConnectionSettings({ SWEEP_STATE_DIR: certs.dir, ...env });
}

/** Connects as the CLI and as a worker; the outcome of each. */
async function connectBoth(env: Record<string, string>): Promise<{ client: string; worker: string }> {
  const settings = settingsFrom(env);
  const client = await connectTemporal(settings).then(
    async (c) => {
      await c.workflowService.describeNamespace({ namespace: 'default' });
      await c.connection.close();
      return 'connected';
    },
    (error: Error) => error.message,
  );
  const worker = await connectWorkerTemporal(settings).then(
    async (c) => {
      await c.workflowService.describeNamespace({ namespace: 'default' });
      await c.close();
      return 'connected';
    },
    (error: Error) => error.message,
  );
  return { client, worker };
}

function mtlsEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: mtls.address,
    TEMPORAL_TLS_CA: certs.ca.certFile,
    TEMPORAL_TLS_CERT: certs.client.certFile,
    TEMPORAL_TLS_KEY: certs.client.keyFile,
    ...overrides,
  };
}

describe('mTLS', () => {
  it('connects with the CA and a client certificate, given as files or as PEM text', async () => {
    expect(await connectBoth(mtlsEnv())).toEqual({ client: 'connected', worker: 'connected' });
    const inline = mtlsEnv({ TEMPORAL_TLS_CA: certs.ca.cert, TEMPORAL_TLS_CERT: certs.client.cert, TEMPORAL_TLS_KEY: certs.client.key });
    expect(await connectBoth(inline)).toEqual({ client: 'connected', worker: 'connected' });
    // The certificate names localhost too: a server name the address does not carry.
    expect(await connectBoth(mtlsEnv({ TEMPORAL_TLS_SERVER_NAME: 'localhost' }))).toEqual({ client: 'connected', worker: 'connected' });
  });

  it('refuses a server certificate from another CA, naming TEMPORAL_TLS_CA', async () => {
    const { client, worker } = await connectBoth(mtlsEnv({ TEMPORAL_TLS_CA: certs.otherCa.certFile }));
    for (const message of [client, worker]) {
      expect(message).toContain(`cannot reach Temporal at ${mtls.address} (TLS, CA from TEMPORAL_TLS_CA, client certificate)`);
      expect(message).toContain("the server's certificate is not signed by the CA in TEMPORAL_TLS_CA");
    }
  });

  it('without a client certificate, says the server requires one', async () => {
    const { client, worker } = await connectBoth(mtlsEnv({ TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '' }));
    for (const message of [client, worker]) {
      expect(message).toContain('the server requires a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY');
    }
  });

  it('refuses a server name the certificate does not carry, naming TEMPORAL_TLS_SERVER_NAME', async () => {
    const { client, worker } = await connectBoth(mtlsEnv({ TEMPORAL_TLS_SERVER_NAME: 'temporal.example.org' }));
    for (const message of [client, worker]) {
      expect(message).toContain("the server's certificate is not valid for TEMPORAL_TLS_SERVER_NAME=temporal.example.org");
      expect(message).toContain('localhost'); // the names it does carry
    }
  });

  it('with TLS off, says the server speaks TLS', async () => {
    const { client, worker } = await connectBoth({ TEMPORAL_ADDRESS: mtls.address });
    for (const message of [client, worker]) expect(message).toContain('the server speaks TLS: set TEMPORAL_TLS=true');
  });
});

describe('an API key (Temporal Cloud)', () => {
  it('connects with TLS and the key as a bearer token', async () => {
    const env = { TEMPORAL_ADDRESS: cloud.address, TEMPORAL_TLS_CA: certs.ca.certFile, TEMPORAL_API_KEY: API_KEY };
    expect(await connectBoth(env)).toEqual({ client: 'connected', worker: 'connected' });
    expect([...cloud.authorizations]).toEqual([`Bearer ${API_KEY}`]);
    // The key from a file, as a mounted secret gives it.
    const keyFile = join(certs.dir, 'api-key');
    writeFileSync(keyFile, `${API_KEY}\n`, { mode: 0o600 });
    expect(await connectBoth({ ...env, TEMPORAL_API_KEY: keyFile })).toEqual({ client: 'connected', worker: 'connected' });
  });

  it('a wrong key or none: the server refuses, and the message says which setting, never the key', async () => {
    const env = { TEMPORAL_ADDRESS: cloud.address, TEMPORAL_TLS_CA: certs.ca.certFile };
    const wrong = await connectBoth({ ...env, TEMPORAL_API_KEY: 'tk_wrong-key-0000' });
    for (const message of [wrong.client, wrong.worker]) {
      expect(message).toContain('the server refused the API key: check TEMPORAL_API_KEY');
      expect(message).not.toContain('tk_wrong-key-0000');
    }
    const none = await connectBoth(env);
    for (const message of [none.client, none.worker]) expect(message).toContain('the server wants credentials: set TEMPORAL_API_KEY');
  });
});

describe('the sweep command', () => {
  const env = () => ({ ...mtlsEnv(), DATABASE_URL: 'postgresql://sweeplab:db-secret-pw@127.0.0.1:1/sweeplab', SWEEP_STATE_DIR: certs.dir });

  it('exits 2 naming the variable when a certificate file is missing', async () => {
    const missing = join(certs.dir, 'no-such-client.pem');
    const { code, stderr } = await runCli(['worker', '--slots', '1'], { ...env(), TEMPORAL_TLS_CERT: missing });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`sweep worker: TEMPORAL_TLS_CERT: cannot read ${missing}: no such file (TEMPORAL_TLS_CERT holds PEM text or a file's path)`);
  });

  it('exits 1 with the reason when the server certificate is from another CA', async () => {
    const { code, stderr } = await runCli(['submit', 'test/fixtures/noop-failures.ts'], { ...env(), TEMPORAL_TLS_CA: certs.otherCa.certFile });
    expect(code).toBe(1);
    expect(stderr).toContain("sweep submit: cannot reach Temporal at");
    expect(stderr).toContain("the server's certificate is not signed by the CA in TEMPORAL_TLS_CA");
    expect(stderr).not.toContain('db-secret-pw');
  });
});
