/**
 * What to tell a user whose Temporal connection failed: where it went and how
 * (never a secret), the reason in words, and the setting to look at.
 */
import { ConfigurationError } from '../config';
import { describeTemporalConnection, type TemporalConnectionSettings } from './temporal-options';
import { probeTls, type TlsProbeResult } from './tls-probe';

const VERIFY_FAILED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

export async function explainTemporalFailure(error: unknown, settings: TemporalConnectionSettings): Promise<string> {
  if (error instanceof ConfigurationError) return error.message;
  const where = `cannot reach Temporal at ${describeTemporalConnection(settings)}`;
  const said = sdkMessage(error);
  const refusal = refusedCredentials(said, settings);
  if (refusal) return `${where}: ${refusal}`;
  const reason = await handshakeReason(settings);
  if (reason) return `${where}: ${reason}`;
  return settings.tls ? `${where}: ${said}` : `${where}: ${said}; start the local stack with \`sweep dev up\`, or set TEMPORAL_ADDRESS`;
}

/** The SDK's message and its cause's (grpc-js puts the status in the cause). */
function sdkMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  return cause && !message.includes(cause) ? `${message}: ${cause}` : message;
}

function refusedCredentials(said: string, settings: TemporalConnectionSettings): string | null {
  if (/UNAUTHENTICATED|valid authentication credentials/.test(said)) {
    return settings.apiKey !== undefined
      ? 'the server refused the API key: check TEMPORAL_API_KEY'
      : 'the server wants credentials: set TEMPORAL_API_KEY (or a client certificate: TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY)';
  }
  if (/PERMISSION_DENIED|permission to perform/.test(said)) {
    return `not allowed into namespace '${settings.namespace}': check TEMPORAL_NAMESPACE and what the credentials may do`;
  }
  if (/NOT_FOUND.*[Nn]amespace|[Nn]amespace .* (is )?not found/.test(said)) {
    return `namespace '${settings.namespace}' does not exist there: check TEMPORAL_NAMESPACE`;
  }
  return null;
}

/** The reason a TLS handshake gives, or null where the handshake is not the problem. */
async function handshakeReason(settings: TemporalConnectionSettings): Promise<string | null> {
  if (!settings.tls) {
    const probe = await probeTls({ address: settings.address, verify: false });
    // A completed handshake, or a TLS alert (a server that wants a client certificate): it speaks TLS.
    if (probe.ok || /ALERT/.test(probe.code)) {
      return 'the server speaks TLS: set TEMPORAL_TLS=true (and TEMPORAL_TLS_CA if its certificate is not from a CA this system trusts)';
    }
    return refusedConnection(probe);
  }
  const { serverRootCACertificate: ca, clientCertPair, serverNameOverride } = settings.tls;
  const probe = await probeTls({ address: settings.address, ca, cert: clientCertPair?.crt, key: clientCertPair?.key, serverName: serverNameOverride, verify: true });
  if (probe.ok) return null;
  if (VERIFY_FAILED.has(probe.code)) {
    return ca
      ? `the server's certificate is not signed by the CA in TEMPORAL_TLS_CA (${probe.message})`
      : `the server's certificate is not from a CA this system trusts (${probe.message}): set TEMPORAL_TLS_CA to its CA`;
  }
  if (probe.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return serverNameOverride
      ? `the server's certificate is not valid for TEMPORAL_TLS_SERVER_NAME=${serverNameOverride} (${probe.message})`
      : `the server's certificate is not valid for that host (${probe.message}): set TEMPORAL_TLS_SERVER_NAME to a name it carries`;
  }
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(probe.code) && !clientCertPair) {
    return 'the server requires a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY';
  }
  if (/ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|DECRYPT_ERROR|ACCESS_DENIED)/.test(probe.code)) {
    return `the server refused the client certificate in TEMPORAL_TLS_CERT (${probe.message})`;
  }
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|RECORD_LAYER_FAILURE/.test(probe.code) || probe.code === 'ECONNRESET') {
    return 'the server does not speak TLS: set TEMPORAL_TLS=false, or point TEMPORAL_ADDRESS at its TLS endpoint';
  }
  return refusedConnection(probe) ?? `TLS handshake failed (${probe.message})`;
}

function refusedConnection(probe: TlsProbeResult): string | null {
  if (probe.ok) return null;
  if (probe.code === 'ECONNREFUSED') return 'nothing listens there: start the local stack with `sweep dev up`, or set TEMPORAL_ADDRESS';
  if (probe.code === 'ENOTFOUND' || probe.code === 'EAI_AGAIN') return 'no such host: check TEMPORAL_ADDRESS';
  return null;
}
