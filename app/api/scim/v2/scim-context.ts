import { db } from "@/server/db";
import { env } from "@/server/env";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/errors";
import { outageFor500 } from "@/server/health";
import { scimError, type ScimContext } from "@/server/lifecycle/scim-inbound";
import { ScimError } from "@/server/lifecycle/scim-user";
import { BodyTooLargeError, withLimitedBody } from "@/server/security/body-limit";
import { clientAddress } from "@/server/security/client-address";
import { rateLimits } from "@/server/security/rate-limit";
import { unstorableJsonBody } from "@/server/security/text";

/**
 * What the inbound SCIM routes run with: the database, the token (unset: disabled), the public base
 * URL, and the count of this client's wrong tokens.
 */
export function scimContext(request?: Request): ScimContext {
  const e = env();
  const client = request ? clientAddress(request.headers, e.TRUST_PROXY) : null;
  return {
    db: db(),
    token: e.SCIM_INBOUND_TOKEN,
    baseUrl: `${e.APP_URL.replace(/\/+$/, "")}/api/scim/v2`,
    signInAttribute: e.SCIM_SIGN_IN_ATTRIBUTE,
    ...(client
      ? {
          authFailures: {
            async blockedFor() {
              const check = await rateLimits().check("scimAuthFailures", client);
              return check.allowed ? null : check.retryAfterSeconds;
            },
            async count() {
              await rateLimits().consume("scimAuthFailures", client);
            },
          },
        }
      : {}),
  };
}

/** SCIM bodies are small (one user); larger is refused before anything reads or parses it. */
const MAX_SCIM_BODY = 1_000_000;

/** The request with its body read under the cap, or the SCIM 413 to answer. */
export async function capScimBody(request: Request): Promise<Request | Response> {
  try {
    return await withLimitedBody(request, MAX_SCIM_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return scimError(new ScimError(413, error.message));
    throw error;
  }
}

/** A SCIM 400 (invalidValue) for a body with text the database cannot store (NUL, a lone surrogate); else null. */
export async function refuseUnstorableBody(request: Request): Promise<Response | null> {
  const problem = await unstorableJsonBody(request);
  return problem ? scimError(new ScimError(400, problem, "invalidValue")) : null;
}

/** SCIM's answer while the database is down: a 503 in its error envelope, with Retry-After, so IdPs retry. */
const scimUnavailable = () => scimError(new ScimError(503, DATABASE_UNAVAILABLE_MESSAGE), { "retry-after": String(RETRY_AFTER_SECONDS) });

/**
 * Wraps a SCIM route handler: a database outage, whether thrown (the wrong-token limiter runs first)
 * or turned into SCIM's generic 500 by the handler, answers 503 instead.
 */
export function scimAnsweringOutages<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    let response: Response;
    try {
      response = await handler(...args);
    } catch (error) {
      if (isDatabaseUnavailable(error)) return scimUnavailable();
      throw error;
    }
    return outageFor500(response, scimUnavailable);
  };
}
