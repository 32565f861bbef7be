/**
 * No secret printed: a tiny sweep runs on a local stack that knows every kind
 * of secret (a generated database password, a Temporal API key, a TLS client
 * key, reaching Temporal through a TLS proxy that demands the key and the
 * client certificate), and then everything it printed or stored is searched
 * for them: the CLI's output (including failures that quote a database URL),
 * the worker's and Postgres's logs, stack.json, the Temporal histories'
 * payloads, memos and search attributes, and the environment of the trial
 * processes (which may hold the database URL, which they need, and nothing else).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTemporal } from '../../src/client/connect';
import { temporalConnectionSettings } from '../../src/connection/temporal-options';
import { makeTestCertificates, type TestCertificates } from '../support/certificates';
import { freePort } from '../support/postgres';
import { makeServerDataDir } from '../support/scratch';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy';
import { runCli } from '../support/workers';

const API_KEY = 'tk_secret-api-key-7d1e0c9b';
/** A variable of the worker's that trials have no use for (as a cloud token would be). */
const CANARY = { SWEEPLAB_CANARY_TOKEN: 'canary-token-5f3a' };

let certs: TestCertificates;
let temporal: TestTemporal;
let proxy: TlsProxy;
let env: Record<string, string>;
let stateDir: string;
/** Everything the CLI printed, command by command. */
const printed: { command: string; output: string }[] = [];

async function sweep(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const run = await runCli(args, { ...env, ...extra });
  const output = `${run.stdout}\n${run.stderr}`;
  printed.push({ command: `sweep ${args.join(' ')}`, output });
  return { code: run.code, output };
}

beforeAll(async () => {
  certs = makeTestCertificates();
  temporal = await startTestTemporal();
  proxy = await startTlsProxy({ target: temporal.address, cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert, apiKey: API_KEY });
  stateDir = makeServerDataDir('sweeplab-secrets-');
  env = {
    SWEEP_STATE_DIR: stateDir,
    SWEEP_POSTGRES_PORT: String(await freePort()),
    DATABASE_URL: '', // the local stack's own Postgres, with its generated password
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_UI_URL: temporal.uiUrl,
    TEMPORAL_NAMESPACE: '',
    TEMPORAL_TLS: '',
    TEMPORAL_TLS_SERVER_NAME: '',
    TEMPORAL_TLS_CA: certs.ca.certFile,
    TEMPORAL_TLS_CERT: certs.client.certFile,
    TEMPORAL_TLS_KEY: certs.client.keyFile,
    TEMPORAL_API_KEY: API_KEY,
    SWEEP_TRIAL_REUSE: '50', // warm trial processes stay a minute after the sweep: their environment can be read
    ...CANARY,
  };
  const up = await sweep(['dev', 'up', '--slots', '1']);
  expect(up.code, up.output).toBe(0);
}, 240_000);

afterAll(async () => {
  if (env) await runCli(['dev', 'down'], env);
  await proxy?.close();
  await temporal?.stop();
}, 120_000);

/** The database password the stack generated, the API key, and the client key (its PEM body, and its file's path). */
function secrets(): Record<string, string> {
  const keyBody = certs.client.key.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  return {
    'database password': readFileSync(join(stateDir, 'postgres.password'), 'utf8').trim(),
    'API key': API_KEY,
    'TLS client key': keyBody.slice(0, 40),
  };
}

function leaks(where: string, text: string, which = secrets()): string[] {
  return Object.entries(which).flatMap(([name, secret]) => (text.includes(secret) ? [`${name} in ${where}`] : []));
}

/** Temporal's protobuf objects as text, payload bytes decoded both as UTF-8 and as base64. */
function protoText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? `${Buffer.from(v).toString('utf8')} ${Buffer.from(v).toString('base64')}` : typeof v === 'bigint' ? String(v) : v,
  );
}

/** The trial processes the worker `pid` started (not its other children, such as tsx's esbuild service), from /proc. */
function trialProcessesOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('trial-main.ts');
      } catch {
        return false; // exited meanwhile
      }
    });
}

describe('a sweep on a stack full of secrets', () => {
  it('runs through TLS, the client certificate and the API key', async () => {
    const submitted = await sweep(['submit', 'test/fixtures/noop-secrets.ts', '--wait']);
    expect(submitted.code, submitted.output).toBe(0);
    expect(submitted.output).toContain('finished completed: 2 done');
    expect([...proxy.authorizations]).toEqual([`Bearer ${API_KEY}`]);
    for (const args of [['ls'], ['status', 'it-noop-secrets'], ['trials', 'it-noop-secrets'], ['dev', 'status'], ['dev', 'status', '--json']]) {
      const run = await sweep(args);
      expect(run.code, run.output).toBe(0);
    }
  });

  it('prints no secret when a command fails on a database URL with a password in it', async () => {
    const password = 'url-password-9c2e71';
    const refused = `postgresql://sweeplab:${password}@127.0.0.1:${await freePort()}/sweeplab`;
    const wrongPassword = `postgresql://sweeplab:${password}@127.0.0.1:${env.SWEEP_POSTGRES_PORT}/sweeplab`;
    const unparsable = `postgresql://sweeplab:${password}@127.0.0.1:99999999/sweeplab`;
    const cases = [
      { url: refused, code: 1, says: "Can't reach database server" },
      { url: wrongPassword, code: 1, says: 'password authentication failed for user "sweeplab"' },
      { url: unparsable, code: 2, says: 'DATABASE_URL: is not a valid URL' },
    ];
    for (const { url, code, says } of cases) {
      for (const debug of ['', '1']) {
        const run = await sweep(['ls'], { DATABASE_URL: url, SWEEP_DEBUG: debug });
        expect(run.code, run.output).toBe(code);
        expect(run.output).toMatch(/^sweep ls: /m);
        expect(run.output).toContain(says);
        expect(run.output).not.toContain(password);
      }
    }
  });

  it('leaves no secret in any output, log, stack.json, or Temporal history, memo or search attribute', async () => {
    const found: string[] = [];
    for (const { command, output } of printed) found.push(...leaks(command, output));

    const record = readFileSync(join(stateDir, 'stack.json'), 'utf8');
    found.push(...leaks('stack.json', record));
    expect(JSON.parse(record).databaseUrl).toMatch(/^postgresql:\/\/sweeplab@127\.0\.0\.1:\d+\/sweeplab$/);
    expect(statSync(join(stateDir, 'postgres.password')).mode & 0o777).toBe(0o600);
    const logs = join(stateDir, 'logs');
    for (const log of readdirSync(logs)) found.push(...leaks(`logs/${log}`, readFileSync(join(logs, log), 'utf8')));
    expect(readdirSync(logs).sort()).toEqual(['postgres.log', 'worker.log']);

    const client = await connectTemporal(temporalConnectionSettings({ ...process.env, ...env }));
    try {
      let workflows = 0;
      for await (const execution of client.workflow.list()) {
        workflows++;
        const handle = client.workflow.getHandle(execution.workflowId, execution.runId);
        const described = await handle.describe();
        found.push(...leaks(`${execution.workflowId}: memo, search attributes`, protoText([described.memo, described.searchAttributes, described.raw])));
        found.push(...leaks(`${execution.workflowId}: history`, protoText(await handle.fetchHistory())));
      }
      expect(workflows).toBe(1); // the sweep: its two trials are its activities, in the history scanned above
    } finally {
      await client.connection.close();
    }
    expect(found).toEqual([]);
  });

  it("gives trial processes only the environment they need: the database URL, but no Temporal credential or the worker's other variables", () => {
    const workerPid = Number(readFileSync(join(stateDir, 'worker.pid'), 'utf8'));
    const trials = trialProcessesOf(workerPid);
    expect(trials.length).toBeGreaterThan(0);
    for (const pid of trials) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
      const names = environ.map((entry) => entry.slice(0, entry.indexOf('=')));
      expect(names).toContain('DATABASE_URL');
      expect(names.filter((name) => name.startsWith('TEMPORAL_') || name in CANARY)).toEqual([]);
      const text = environ.join('\n');
      // The database password is in DATABASE_URL, which the artifact store needs; nothing else secret is.
      const { 'database password': _needed, ...others } = secrets();
      expect(leaks(`trial process ${pid}`, text, { ...others, canary: CANARY.SWEEPLAB_CANARY_TOKEN, 'TLS key path': certs.client.keyFile })).toEqual([]);
    }
  });
});
