/**
 * A TLS front for a plain Temporal dev server (which serves no TLS itself), as
 * a secured cluster or Temporal Cloud presents itself: an HTTP/2 server on
 * loopback with a server certificate, optionally requiring a client
 * certificate (mTLS) and a bearer API key, forwarding each gRPC call to the dev
 * server unchanged. A call without the right key is answered UNAUTHENTICATED,
 * as Temporal Cloud answers it.
 */
import http2, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface TlsProxyOptions {
  /** host:port of the plain gRPC server behind. */
  readonly target: string;
  readonly cert: string;
  readonly key: string;
  /** CA that client certificates must chain to; with it, a client certificate is required. */
  readonly clientCa?: string;
  /** Calls must carry `authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
}

export interface TlsProxy {
  /** 127.0.0.1:port */
  readonly address: string;
  /** The authorization headers calls arrived with (to see that an API key was sent). */
  readonly authorizations: ReadonlySet<string>;
  close(): Promise<void>;
}

const GRPC_UNAUTHENTICATED = '16';
const GRPC_UNAVAILABLE = '14';
/** Per-connection headers HTTP/2 forbids forwarding. */
const HOP_BY_HOP = new Set([':authority', ':scheme', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  return out;
}

export async function startTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const authorizations = new Set<string>();
  let upstream: http2.ClientHttp2Session | null = null;
  const session = (): http2.ClientHttp2Session => {
    if (!upstream || upstream.closed || upstream.destroyed) {
      upstream = http2.connect(`http://${options.target}`);
      upstream.on('error', () => undefined); // each call reports its own failure
    }
    return upstream;
  };

  const server = http2.createSecureServer({
    cert: options.cert,
    key: options.key,
    ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  });
  server.on('stream', (stream, headers) => {
    const authorization = headers.authorization;
    if (typeof authorization === 'string') authorizations.add(authorization);
    if (options.apiKey !== undefined && authorization !== `Bearer ${options.apiKey}`) {
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': GRPC_UNAUTHENTICATED, 'grpc-message': 'Request unauthorized: invalid API key' },
        { endStream: true },
      );
      return;
    }
    let call: http2.ClientHttp2Stream;
    try {
      call = session().request(forwardable(headers));
    } catch {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': GRPC_UNAVAILABLE }, { endStream: true });
      return;
    }
    let trailers: OutgoingHttpHeaders = {};
    call.on('response', (responseHeaders, flags) => {
      if (stream.destroyed) return;
      // A trailers-only response (a gRPC error) ends the stream with its headers.
      const endsHere = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      stream.respond(forwardable(responseHeaders), endsHere ? { endStream: true } : { waitForTrailers: true });
    });
    call.on('trailers', (received) => (trailers = forwardable(received)));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    stream.pipe(call);
    call.pipe(stream);
    const abort = (): void => {
      if (!call.destroyed) call.close(http2.constants.NGHTTP2_CANCEL);
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    call.on('error', abort);
    stream.on('error', abort);
    stream.on('close', () => {
      if (!call.destroyed) call.close(http2.constants.NGHTTP2_CANCEL);
    });
  });
  // Failed handshakes (the cases under test) are the client's to report.
  server.on('tlsClientError', () => undefined);
  server.on('sessionError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  return {
    address: `127.0.0.1:${port}`,
    authorizations,
    async close() {
      for (const s of sessions) s.destroy();
      (upstream as http2.ClientHttp2Session | null)?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
