import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { db, type Db } from "@/server/db";
import { env } from "@/server/env";
import { APP_ERROR_STATUS, AppError, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/errors";
import { rateLimits } from "@/server/security/rate-limit";
import { ERROR_SCHEMA, PATCH_SCHEMA, ScimError, type SignInAttribute } from "./scim-user";

// Inbound SCIM (RFC 7644) as plain values: the endpoints take a ScimRequest and answer a ScimResponse,
// so nothing under server/ knows HTTP. The route handlers in app/api/scim/v2 read the body under its cap,
// build the ScimRequest and turn the answer into a Response (as boxyhq/jackson's directory sync does).
// Authentication, paging and the error envelope live here, shared by Users, Groups and discovery.

export interface ScimRequest {
  method: string;
  /** The path under the endpoint's base URL as sent, e.g. "/Users/2819c223" ("/" for the base URL itself). */
  path: string;
  /** What the route matched: an item endpoint's {id}, or the segments of a path no endpoint serves. */
  params: { id?: string; path?: string[] };
  query: URLSearchParams;
  /** The Authorization header as sent; null when there was none. */
  authorization: string | null;
  /** The body parsed as JSON, or why it could not be (answered 400 invalidSyntax after authentication). */
  body?: { json: unknown } | { unreadable: string };
}

export interface ScimResponse {
  status: number;
  /** The JSON answer; left out for 204 No Content. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScimContext {
  db: Db;
  /** SCIM_INBOUND_TOKEN; unset means the endpoint is disabled (404). */
  token: string | undefined;
  /** Public base URL of the endpoint, e.g. https://portal.example.com/api/scim/v2. */
  baseUrl: string;
  /** Wrong tokens from this client: counted, and refused with 429 once over the limit (server/security/rate-limit.ts). */
  authFailures?: { blockedFor(): Promise<number | null>; count(): Promise<void> };
  /** SCIM_SIGN_IN_ATTRIBUTE: which attribute becomes the portal email (default: the work email). */
  signInAttribute?: SignInAttribute;
}

export type ScimHandler = (request: ScimRequest, ctx: ScimContext) => Promise<ScimResponse>;

/** The settings the endpoint runs with, and the wrong-token count of `client` (its address). */
export function scimContext(client: string | null): ScimContext {
  const e = env();
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

/** The largest page a list answers (count above it is lowered), as ServiceProviderConfig filter.maxResults says. */
export const MAX_RESULTS = 200;
const DEFAULT_COUNT = 100;

export const ok = (body: unknown): ScimResponse => ({ status: 200, body });
export const created = (body: unknown, location: string): ScimResponse => ({ status: 201, body, headers: { location } });
export const noContent = (): ScimResponse => ({ status: 204 });

/** A SCIM error (RFC 7644 §3.12) as an answer. */
export function scimError(error: ScimError, headers?: Record<string, string>): ScimResponse {
  const body = { schemas: [ERROR_SCHEMA], status: String(error.status), ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail };
  return { status: error.status, body, ...(headers ? { headers } : {}) };
}

/** SCIM's answer while the database is down: a 503 in its error envelope, with Retry-After, so IdPs retry. */
export const scimUnavailable = () => scimError(new ScimError(503, DATABASE_UNAVAILABLE_MESSAGE), { "retry-after": String(RETRY_AFTER_SECONDS) });

/** The endpoint's base URL without a trailing slash. */
export const scimBase = (ctx: ScimContext) => ctx.baseUrl.replace(/\/+$/, "");

/** The {id} of an item endpoint. */
export const itemId = (request: ScimRequest) => request.params.id ?? "";

/** startIndex (1-based) and count, as RFC 7644 §3.4.2.4 reads them: out-of-range values are brought into range. */
export function page(query: URLSearchParams): { startIndex: number; count: number } {
  const startIndex = Math.max(1, Math.floor(Number(query.get("startIndex") ?? 1)) || 1);
  const requested = query.get("count");
  const count = requested === null ? DEFAULT_COUNT : Math.min(MAX_RESULTS, Math.max(0, Math.floor(Number(requested)) || 0));
  return { startIndex, count };
}

/** The body as a JSON object, or the SCIM 400 (invalidSyntax) saying why it is not one. */
export function objectBody(request: ScimRequest): Record<string, unknown> {
  const body = request.body;
  if (!body) throw new ScimError(400, "This request needs a JSON body.", "invalidSyntax");
  if ("unreadable" in body) throw new ScimError(400, body.unreadable, "invalidSyntax");
  const json = body.json;
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ScimError(400, "The request body must be a JSON object.", "invalidSyntax");
  return json as Record<string, unknown>;
}

/** A PatchOp body's operations (RFC 7644 §3.5.2), or the SCIM 400 (invalidSyntax) when there are none. */
export function patchOperations(request: ScimRequest): unknown[] {
  const body = objectBody(request);
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(400, `A PATCH body needs "schemas": ["${PATCH_SCHEMA}"] and a non-empty "Operations" list.`, "invalidSyntax");
  }
  return operations;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Checks the bearer token in constant time (hashing first makes the lengths equal). */
function authenticate(authorization: string | null, token: string | undefined): ScimResponse | null {
  if (!token) return scimError(new ScimError(404, "SCIM provisioning is not enabled on this portal (SCIM_INBOUND_TOKEN is not set)."));
  const challenge = { "www-authenticate": 'Bearer realm="Access Portal SCIM"' };
  const match = /^Bearer\s+(.+)$/i.exec((authorization ?? "").trim());
  if (!match) return scimError(new ScimError(401, "Send the portal's SCIM token in the Authorization header: Authorization: Bearer <token>."), challenge);
  if (!timingSafeEqual(digest(match[1]!.trim()), digest(token))) {
    return scimError(new ScimError(401, "The bearer token is not valid for this portal: check the SCIM token configured in your identity provider."), challenge);
  }
  return null;
}

/** Runs an endpoint after authentication, answering every failure as a SCIM error. */
export async function guarded(request: ScimRequest, ctx: ScimContext, handle: () => Promise<ScimResponse>): Promise<ScimResponse> {
  // A client that guessed wrong too often is not even checked: its next guess could be the right one.
  const blocked = ctx.token ? await ctx.authFailures?.blockedFor() : null;
  if (blocked) {
    return scimError(new ScimError(429, `Too many requests with a wrong token from this address. Try again in ${blocked} seconds.`), { "retry-after": String(blocked) });
  }
  const refused = authenticate(request.authorization, ctx.token);
  if (refused?.status === 401) await ctx.authFailures?.count();
  if (refused) return refused;
  try {
    return await handle();
  } catch (error) {
    if (error instanceof ScimError) return scimError(error);
    if (error instanceof AppError) return scimError(new ScimError(APP_ERROR_STATUS[error.code], error.message));
    // The database restarting: the IdP should retry shortly, not record a failure.
    if (isDatabaseUnavailable(error)) return scimUnavailable();
    console.error("SCIM inbound request failed", error);
    return scimError(new ScimError(500, "Something went wrong on our side. Try again."));
  }
}
