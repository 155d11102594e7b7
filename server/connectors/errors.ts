import "server-only";
import { STATUS_CODES } from "node:http";

// How every connector reports a failed call: retryable or not, with a message fit to show a user
// ("failed: <reason>"). Provisioning retries the retryable ones with backoff, honouring retryAfterMs.

export interface ConnectorErrorDetails {
  message: string;
  retryable: boolean;
  /** HTTP status the target answered, when it answered at all. */
  status?: number;
  /** How long the target asked us to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor({ message, retryable, status, retryAfterMs, cause }: ConnectorErrorDetails) {
    super(message, { cause });
    this.name = "ConnectorError";
    this.retryable = retryable;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The call that failed, named for people: target "SCIM target", method "POST", path "/Users". */
export interface FailedCall {
  target: string;
  method: string;
  path: string;
}

export interface HttpFailure {
  status: number;
  statusText?: string;
  retryAfter?: string | null;
  /** The target's own explanation, e.g. a SCIM error's detail. */
  detail?: string;
}

/** 408, 429 and 5xx are worth retrying; other 4xx (validation, auth, not found) will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Whether the failure says the target is down (no answer, a timeout, a 5xx) rather than that it answered:
 * these feed the connector's circuit breaker (server/connectors/health.ts). 429 and other retryable
 * answers come from a target that is up.
 */
export function isOutageError(error: ConnectorError): boolean {
  return error.retryable && (error.status === undefined || error.status >= 500);
}

export function httpError(call: FailedCall, failure: HttpFailure, now = Date.now()): ConnectorError {
  const reason = failure.statusText || STATUS_CODES[failure.status] || "";
  const detail = failure.detail ? `: ${failure.detail}` : "";
  return new ConnectorError({
    message: `${call.target} answered ${failure.status} ${reason}`.trimEnd() + ` on ${describe(call)}${detail}`,
    retryable: isRetryableStatus(failure.status),
    status: failure.status,
    retryAfterMs: parseRetryAfter(failure.retryAfter, now),
  });
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates always name a day or month; without this check Date.parse reads "-5" as the year -5.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// Network failures that come back by themselves, versus ones that need someone to fix the configuration.
const TRANSIENT: Record<string, string> = {
  ECONNREFUSED: "refused the connection",
  ECONNRESET: "dropped the connection",
  UND_ERR_SOCKET: "dropped the connection",
  EPIPE: "dropped the connection",
  ETIMEDOUT: "did not answer in time",
  UND_ERR_CONNECT_TIMEOUT: "did not answer in time",
  EHOSTUNREACH: "is unreachable",
  ENETUNREACH: "is unreachable",
  EAI_AGAIN: "could not be looked up in DNS",
  // Usually a typo, but DNS blips look the same; the retry budget bounds the cost of guessing wrong.
  ENOTFOUND: "could not be found in DNS",
};
const PERMANENT: Array<[RegExp, string]> = [
  [/CERT|SSL|TLS|SELF_SIGNED/, "presented a TLS certificate we do not trust"],
  [/ERR_INVALID_URL|ERR_INVALID_ARG/, "has an invalid URL configured"],
];

/** Classifies an error thrown by fetch (connection failures, timeouts, aborts). */
export function networkError(call: FailedCall, error: unknown, timeoutMs?: number): ConnectorError {
  const code = errorCode(error);
  if (code === "TimeoutError") {
    const within = timeoutMs === undefined ? "in time" : `within ${timeoutMs} ms`;
    return new ConnectorError({ message: `${call.target} did not answer ${within} on ${describe(call)}`, retryable: true, cause: error });
  }
  const transient = code ? TRANSIENT[code] : undefined;
  if (transient) return new ConnectorError({ message: `${call.target} ${transient} on ${describe(call)}`, retryable: true, cause: error });
  const permanent = code ? PERMANENT.find(([pattern]) => pattern.test(code)) : undefined;
  if (permanent) {
    return new ConnectorError({ message: `${call.target} ${permanent[1]} (${code}) on ${describe(call)}`, retryable: false, cause: error });
  }
  // Anything else that broke the transport (not an answer from the target) is most likely transient too.
  const why = error instanceof Error ? deepestMessage(error) : String(error);
  return new ConnectorError({ message: `Could not reach ${call.target} on ${describe(call)}: ${why}`, retryable: true, cause: error });
}

function describe(call: FailedCall): string {
  return `${call.method} ${call.path.split("?")[0]}`;
}

// fetch wraps the real reason: TypeError("fetch failed") → cause Error{code} or AggregateError{code, errors}.
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error && current.name === "TimeoutError") return "TimeoutError";
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function deepestMessage(error: Error): string {
  return error.cause instanceof Error ? deepestMessage(error.cause) : error.message;
}
