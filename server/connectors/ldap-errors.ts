import "server-only";
import { ResultCodeError } from "ldapts";
import { ConnectorError, networkError } from "@/server/connectors/errors";

// How a directory's failures read to the admin, and which of them are worth retrying.

/** A directory call's connect and per-operation timeout when its settings name none. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface Operation {
  /** e.g. "add member to" */
  action: string;
  /** The group or person the admin named, e.g. "cn=eng,ou=groups,dc=example,dc=com". */
  subject: string;
}

/** Whether the directory answered with one of these result codes. */
export function hasCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof ResultCodeError && codes.includes(error.code);
}

// Result codes (RFC 4511 §4.1.9) that describe a server under strain rather than a request that is wrong.
const RETRYABLE_RESULTS = new Set([3, 11, 51, 52, 53, 80]);
const RESULTS: Record<number, [name: string, explanation: string]> = {
  3: ["timeLimitExceeded", "ran out of time"],
  4: ["sizeLimitExceeded", "returned too many entries"],
  11: ["adminLimitExceeded", "hit an administrative limit"],
  16: ["noSuchAttribute", "has no such attribute value"],
  20: ["attributeOrValueExists", "already has that value"],
  32: ["noSuchObject", "has no such entry"],
  34: ["invalidDNSyntax", "rejected a malformed DN"],
  49: ["invalidCredentials", "rejected the bind DN or password"],
  50: ["insufficientAccessRights", "denied the bind DN the access it needs"],
  51: ["busy", "is busy"],
  52: ["unavailable", "is unavailable"],
  53: ["unwillingToPerform", "refused to do it right now"],
  65: ["objectClassViolation", "refused a change its schema does not allow"],
  80: ["other", "failed with an internal error"],
};

/** A failure of a directory call as a ConnectorError that names the directory, the operation and the cause. */
export function directoryError(config: { url: string; timeoutMs?: number }, operation: Operation, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const target = `Directory at ${config.url}`;
  const on = `on ${operation.action} ${operation.subject}`;
  if (error instanceof ResultCodeError) {
    const [name, explanation] = RESULTS[error.code] ?? [`result code ${error.code}`, "refused the operation"];
    // ldapts appends " Code: 0x.." to the server's diagnostic message; we name the code ourselves.
    const detail = error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, "").trim();
    return new ConnectorError({
      message: `${target} ${explanation} (${name}) ${on}${detail ? `: ${detail}` : ""}`,
      retryable: RETRYABLE_RESULTS.has(error.code),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // ldapts reports these as plain Errors without a code, so only their wording tells them apart.
  if (/^Connection timeout$|Operation timed out/.test(message)) {
    return new ConnectorError({ message: `${target} did not answer within ${timeoutMs} ms ${on}`, retryable: true, cause: error });
  }
  if (/^Socket error|^Connection closed before/.test(message)) {
    return new ConnectorError({ message: `${target} dropped the connection ${on}`, retryable: true, cause: error });
  }
  if (/invalid LDAP URL/.test(message)) {
    return new ConnectorError({ message: `${target} is not a valid ldap:// or ldaps:// address`, retryable: false, cause: error });
  }
  return networkError({ target, method: operation.action, path: operation.subject }, error, timeoutMs);
}
