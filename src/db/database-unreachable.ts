/**
 * Whether an error says the database could not be reached (stopped,
 * restarting, a connection cut or refused), as opposed to a query it refused.
 * Only the first kind heals by waiting: bookkeeping writes wait it out
 * (src/activities/until-database-answers.ts) instead of spending a trial's
 * attempts on it, while every other error (a constraint, bad SQL, a wrong
 * password or database name) still fails at once.
 *
 * The same outage reaches us in several shapes, depending on when it struck:
 * - Prisma's own codes for a connection that could not be made or was lost
 *   (P1001, P1002, P1017, P2024), with, under the pg driver adapter,
 *   `meta.driverAdapterError.cause.kind` DatabaseNotReachable, ConnectionClosed
 *   or SocketTimeout; raw queries report P2010 with that same cause;
 * - the server's SQLSTATE when it ends a session: 57P01 (shutdown), 57P02
 *   (crash), 57P03 (starting up), class 08 (connection exception), 53300 (no
 *   connection slot free);
 * - node-postgres's plain errors for a socket that closed or never answered
 *   ("Connection terminated unexpectedly", "… due to connection timeout"), and
 *   the socket's errno (ECONNREFUSED, EHOSTUNREACH, …), on the error or its causes.
 * A host name that does not resolve (ENOTFOUND) is reported by the adapter as
 * DatabaseNotReachable like a refused connection, so it waits too; the wait is
 * bounded by the activity's own timeout.
 */

const PRISMA_CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const ADAPTER_CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SERVER_GONE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EAI_AGAIN']);
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated\b/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly meta?: { readonly driverAdapterError?: { readonly cause?: { readonly kind?: unknown; readonly code?: unknown; readonly originalCode?: unknown } } };
}

function sqlstateSaysGone(code: unknown): boolean {
  return typeof code === 'string' && (SERVER_GONE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

function saysUnreachable(err: ErrorLike): boolean {
  const { code, message } = err;
  if (typeof code === 'string' && (PRISMA_CONNECTION_CODES.has(code) || SOCKET_ERRNOS.has(code) || sqlstateSaysGone(code))) return true;
  const adapter = err.meta?.driverAdapterError?.cause;
  if (adapter) {
    if (typeof adapter.kind === 'string' && ADAPTER_CONNECTION_KINDS.has(adapter.kind)) return true;
    if (sqlstateSaysGone(adapter.code) || sqlstateSaysGone(adapter.originalCode)) return true;
  }
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}

export function isDatabaseUnreachable(error: unknown): boolean {
  // The error and its causes (a wrapper's cause is the driver's error), a few levels deep.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    if (saysUnreachable(current as ErrorLike)) return true;
    current = (current as ErrorLike).cause;
  }
  return false;
}
