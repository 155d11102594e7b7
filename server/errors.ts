import "server-only";

// The one error type domain code throws; the message is written for the person who will read it. Its
// codes are tRPC's own names (server/api/trpc.ts passes them through), and APP_ERROR_STATUS below is the
// one map to HTTP statuses for every other door (route handlers, SCIM).
export type AppErrorCode = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT";

/** The HTTP status each code answers with; the same as tRPC gives its code of that name (server/errors.test.ts). */
export const APP_ERROR_STATUS = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as const satisfies Record<AppErrorCode, number>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);

/** The row a lookup returned, or NOT_FOUND "<what> was not found.": `const app = found(await tx.app.findUnique(…), "That app")`. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw notFound(what);
  return value;
}
export const forbidden = (why: string) => new AppError("FORBIDDEN", why);

/**
 * What a person or client is told while the database does not answer (stopped, restarting, out of
 * connections): a 503 with Retry-After, so clients wait and retry instead of treating it as a bug.
 */
export const DATABASE_UNAVAILABLE_MESSAGE = "The portal is briefly unavailable while its database restarts. Try again in a few seconds.";
export const RETRY_AFTER_SECONDS = 5;

// Prisma's codes for a server it cannot reach or that went away, pool timeouts and "too many connections".
const PRISMA_CONNECTION_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
// @prisma/adapter-pg's DriverAdapterError kinds for the same.
const ADAPTER_CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
// node-postgres' own words when a connection dies or the pool cannot hand one out in time.
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Unable to start a transaction in the given time|Can't reach database server/i;

/** A Postgres SQLSTATE that means "the server is not there right now", not "your query is wrong". */
function isConnectionSqlState(code: string): boolean {
  // 08xxx connection exceptions; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; 53300 too_many_connections.
  return /^08[0-9A-Z]{3}$/.test(code) || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";
}

/**
 * True when `error` (or anything in its cause chain) says the database could not be reached or
 * dropped the connection. These become 503s; every other unknown error stays a hidden 500.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 6 || typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown; errors?: unknown; kind?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  if (PRISMA_CONNECTION_CODES.has(code) || isConnectionSqlState(code)) return true;
  // A bare socket error is node-postgres' own (pool.connect) only when thrown as is; deeper in a cause
  // chain it is usually a fetch to a connector's target, which is not the portal being unavailable.
  if (SOCKET_CODES.has(code) && depth === 0) return true;
  if (typeof e.kind === "string" && ADAPTER_CONNECTION_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string" && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  if (e.meta?.driverAdapterError && isDatabaseUnavailable(e.meta.driverAdapterError, 0)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
