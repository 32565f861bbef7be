/**
 * One TLS handshake with the settings a Temporal connection would use, to say
 * why that connection failed: the gRPC clients report a refused certificate as
 * "Failed to connect before the deadline" (grpc-js) or a Rust error chain (the
 * worker's core), while Node's own handshake names the reason.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';

export type TlsProbeResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly message: string };

export interface TlsProbeOptions {
  readonly address: string;
  readonly ca?: Uint8Array;
  readonly cert?: Uint8Array;
  readonly key?: Uint8Array;
  readonly serverName?: string;
  /** false: any certificate will do (to learn whether the server speaks TLS at all). */
  readonly verify: boolean;
  readonly timeoutMs?: number;
}

/** 'host:port' or '[v6]:port' → its parts. */
export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = at > 0 ? address.slice(0, at) : address;
  const port = at > 0 ? Number(address.slice(at + 1)) : 7233;
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port };
}

export function probeTls(options: TlsProbeOptions): Promise<TlsProbeResult> {
  const { host, port } = splitAddress(options.address);
  const timeoutMs = options.timeoutMs ?? 3000;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: TlsProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = tls.connect({
      host,
      port,
      // SNI takes names only; an IP address is checked against the certificate's IP entries without it.
      servername: options.serverName ?? (isIP(host) ? undefined : host),
      ca: options.ca ? [Buffer.from(options.ca)] : undefined,
      cert: options.cert ? Buffer.from(options.cert) : undefined,
      key: options.key ? Buffer.from(options.key) : undefined,
      ALPNProtocols: ['h2'],
      rejectUnauthorized: options.verify,
    });
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', message: `no TLS handshake within ${timeoutMs} ms` }), timeoutMs);
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'ERROR', message: (error as { reason?: string }).reason ?? error.message }));
    // Under TLS 1.3 a server refuses a client certificate (or its absence) after the client's side of the
    // handshake is done: only its first bytes (HTTP/2 SETTINGS), or an alert, tell.
    socket.on('secureConnect', () => socket.once('data', () => finish({ ok: true })));
    socket.on('close', () => finish({ ok: false, code: 'ECONNRESET', message: 'the server closed the connection' }));
  });
}
