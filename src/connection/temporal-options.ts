/**
 * How sweeplab connects to Temporal, read in this one place from the
 * environment and used alike by the CLI's client, the worker's connections,
 * the local stack and the dev tooling. The variables are the Temporal CLI's own
 * (so one environment serves `temporal` and `sweep`):
 *
 *   TEMPORAL_ADDRESS          host:port (default: the local stack's, else 127.0.0.1:7233)
 *   TEMPORAL_NAMESPACE        default 'default'
 *   TEMPORAL_TLS              'true' / 'false': TLS on or off; on by default when any setting below is given
 *   TEMPORAL_TLS_CA           CA certificate(s) the server's certificate must chain to (default: the system's)
 *   TEMPORAL_TLS_CERT, _KEY   client certificate and its key, for mTLS (both or neither)
 *   TEMPORAL_TLS_SERVER_NAME  the name to expect on the server's certificate (default: the address's host)
 *   TEMPORAL_API_KEY          sent as `authorization: Bearer <key>` (Temporal Cloud); turns TLS on
 *
 * Certificates and keys are PEM text or a file's path; the API key is the key
 * or a path ('/…', './…'). Nothing here ever puts a secret in a message.
 */
import type { TLSConfig } from '@temporalio/client';
import { ConfigurationError, temporalAddress, temporalNamespace } from '../config';
import { readPem, readSecret, setting } from './credential';

export interface TemporalConnectionSettings {
  readonly address: string;
  readonly namespace: string;
  /** false: plain gRPC. */
  readonly tls: TLSConfig | false;
  readonly apiKey: string | undefined;
}

/** What both the client's Connection and the worker's NativeConnection take. */
export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls: TLSConfig | false;
  readonly apiKey?: string;
}

export const TEMPORAL_TLS_VARIABLES = ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_SERVER_NAME'] as const;

export function temporalConnectionSettings(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const apiKey = readSecret(env, 'TEMPORAL_API_KEY');
  const given = TEMPORAL_TLS_VARIABLES.filter((variable) => setting(env, variable) !== undefined);
  const switched = tlsSwitch(env);
  if (switched === false && given.length > 0) {
    throw new ConfigurationError('TEMPORAL_TLS', `is false, but ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set: unset one or the other`);
  }
  const useTls = switched ?? (given.length > 0 || apiKey !== undefined);

  const crt = readPem(env, 'TEMPORAL_TLS_CERT', 'certificate');
  const key = readPem(env, 'TEMPORAL_TLS_KEY', 'private key', true);
  if ((crt === undefined) !== (key === undefined)) {
    const [missing, present] = crt ? ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CERT'] : ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'];
    throw new ConfigurationError(missing, `is unset, but ${present} is set: a client certificate (mTLS) needs both`);
  }
  const ca = readPem(env, 'TEMPORAL_TLS_CA', 'certificate');
  const serverName = setting(env, 'TEMPORAL_TLS_SERVER_NAME');
  const tls: TLSConfig | false = useTls
    ? {
        ...(ca ? { serverRootCACertificate: ca } : {}),
        ...(crt && key ? { clientCertPair: { crt, key } } : {}),
        ...(serverName ? { serverNameOverride: serverName } : {}),
      }
    : false;
  return { address: temporalAddress(env), namespace: temporalNamespace(env), tls, apiKey };
}

export function temporalConnectionOptions(settings: TemporalConnectionSettings = temporalConnectionSettings()): TemporalConnectionOptions {
  return { address: settings.address, tls: settings.tls, ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}) };
}

/** '127.0.0.1:7233' or 'temporal.example.org:7233 (TLS, CA from TEMPORAL_TLS_CA, client certificate, API key)': for messages, no secret in it. */
export function describeTemporalConnection(settings: TemporalConnectionSettings): string {
  const how: string[] = [];
  if (settings.tls) {
    how.push('TLS');
    if (settings.tls.serverRootCACertificate) how.push('CA from TEMPORAL_TLS_CA');
    if (settings.tls.clientCertPair) how.push('client certificate');
    if (settings.tls.serverNameOverride) how.push(`server name ${settings.tls.serverNameOverride}`);
  }
  if (settings.apiKey !== undefined) how.push('API key');
  if (settings.namespace !== 'default') how.push(`namespace ${settings.namespace}`);
  return how.length > 0 ? `${settings.address} (${how.join(', ')})` : settings.address;
}

function tlsSwitch(env: NodeJS.ProcessEnv): boolean | undefined {
  const value = setting(env, 'TEMPORAL_TLS')?.toLowerCase();
  if (value === undefined) return undefined;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigurationError('TEMPORAL_TLS', `expected true or false, got '${value}'`);
}
