import "server-only";
import { ConnectorError, httpError, networkError, type FailedCall } from "./errors";

// One HTTP call to a provisioning target, shared by the SCIM, webhook, Jira and ServiceNow connectors: a timeout
// that covers the whole exchange, no redirects, and every failure turned into a ConnectorError an admin can read,
// so what counts as a transient failure is decided here (and in errors.ts) alone.

export interface TargetCall {
  /** Named for people, e.g. "Jira" or "Webhook endpoint". */
  target: string;
  /** Base URL of the target, without the path. */
  baseUrl: string;
  method: string;
  /** Below baseUrl, starting with "/"; shown in error messages without its query. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as is; set Content-Type in headers. */
  body?: string;
  timeoutMs: number;
  /** Statuses to retry on top of 408/429/5xx, e.g. a receiver that answers 409 while it is busy. */
  retryableStatuses?: number[];
  /**
   * Error statuses the caller handles itself (e.g. SCIM's 404 on a delete, 409 on a create): answered, with
   * the error that would have been thrown, instead of thrown.
   */
  tolerate?: number[];
  /** The target's own explanation of a failure, from its parsed error body. */
  explain?: (body: unknown) => string | undefined;
}

export interface TargetAnswer {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  headers: Headers;
  /** Set when the status was one of the tolerated error statuses. */
  error?: ConnectorError;
}

/** Makes the call; throws a ConnectorError unless the target answered 2xx or a tolerated status. */
export async function callTarget(call: TargetCall): Promise<TargetAnswer> {
  const failed: FailedCall = { target: call.target, method: call.method, path: call.path };
  let response: Response;
  let text: string;
  try {
    response = await fetch(call.baseUrl.replace(/\/+$/, "") + call.path, {
      method: call.method,
      headers: { Accept: "application/json", ...call.headers },
      body: call.body,
      signal: AbortSignal.timeout(call.timeoutMs), // covers reading the body too
      // A redirect means a misconfigured URL; following it could turn a POST into a GET.
      redirect: "manual",
    });
    text = await response.text();
  } catch (error) {
    throw networkError(failed, error, call.timeoutMs);
  }
  const { status, statusText, headers } = response;
  const body = parseJson(text);
  if (status >= 200 && status < 300) return { status, body, headers };
  const error = httpError(failed, {
    status,
    statusText,
    retryAfter: headers.get("retry-after"),
    detail: call.explain?.(body) ?? plainDetail(text, headers),
  });
  if (call.tolerate?.includes(status)) return { status, body, headers, error };
  if (error.retryable || !call.retryableStatuses?.includes(status)) throw error;
  throw new ConnectorError({ message: error.message, retryable: true, status, retryAfterMs: error.retryAfterMs });
}

/** The Authorization header for HTTP Basic auth. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // e.g. an HTML error page from a proxy; the status says enough
  }
}

// A short plain-text answer is usually the reason ("invalid signature"); HTML pages and long dumps are noise.
function plainDetail(text: string, headers: Headers): string | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 300 || !headers.get("content-type")?.startsWith("text/plain")) return undefined;
  return trimmed;
}
