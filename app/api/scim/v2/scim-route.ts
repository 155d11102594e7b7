import { env } from "@/server/env";
import { isDatabaseUnavailable } from "@/server/errors";
import { outageFor500 } from "@/server/health";
import { methodNotAllowed } from "@/server/lifecycle/scim-discovery";
import { scimContext, scimError, scimUnavailable, type ScimHandler, type ScimRequest, type ScimResponse } from "@/server/lifecycle/scim-protocol";
import { ScimError } from "@/server/lifecycle/scim-user";
import { BodyTooLargeError, readLimitedText } from "@/server/security/body-limit";
import { clientAddress } from "@/server/security/client-address";
import { findUnstorableText, unstorableTextMessage } from "@/server/security/text";

// The HTTP side of inbound SCIM, shared by every route under /api/scim/v2: a Request becomes a plain
// ScimRequest for the endpoints in server/lifecycle, and their ScimResponse becomes an
// application/scim+json Response. What only HTTP has stays here: the body's size cap, text the database
// cannot store, the client's address for the wrong-token limit, and the 503 while the database is down.

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type RouteContext = { params: Promise<{ id?: string; path?: string[] }> };
/** A Next.js route handler; collection routes are also called without the context (tests do). */
type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

/** SCIM bodies are small (one user); larger is refused before anything reads or parses it. */
const MAX_SCIM_BODY = 1_000_000;
const TAKES_BODY: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);

function toResponse({ status, body, headers = {} }: ScimResponse): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/scim+json", "cache-control": "no-store", ...headers } });
}

/**
 * The body read under the cap and parsed, or the answer given before authentication: 413 for a body
 * over the cap, 400 (invalidValue) for text the database cannot store (NUL, a lone surrogate). A body
 * that is not JSON is the endpoint's to refuse, after authentication.
 */
async function readBody(request: Request): Promise<{ body: NonNullable<ScimRequest["body"]> } | { refused: ScimResponse }> {
  let text: string;
  try {
    text = await readLimitedText(request, MAX_SCIM_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { refused: scimError(new ScimError(413, error.message)) };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { body: { unreadable: `The request body is not valid JSON (${(error as Error).message}).` } };
  }
  const field = findUnstorableText(json, "body");
  return field ? { refused: scimError(new ScimError(400, unstorableTextMessage(field), "invalidValue")) } : { body: { json } };
}

/**
 * One SCIM endpoint as a route handler. A database outage, whether thrown (the wrong-token limiter runs
 * before the endpoint's own error handling) or answered as SCIM's generic 500, becomes a 503 with Retry-After.
 */
function adapt(handle: ScimHandler, readsBody: boolean): RouteHandler {
  return async (received, context) => {
    try {
      const url = new URL(received.url);
      const request: ScimRequest = {
        method: received.method,
        path: url.pathname.replace(/^.*\/api\/scim\/v2/, "") || "/",
        params: (await context?.params) ?? {},
        query: url.searchParams,
        authorization: received.headers.get("authorization"),
      };
      if (readsBody) {
        const read = await readBody(received);
        if ("refused" in read) return toResponse(read.refused);
        request.body = read.body;
      }
      const ctx = scimContext(clientAddress(received.headers, env().TRUST_PROXY));
      return await outageFor500(toResponse(await handle(request, ctx)), () => toResponse(scimUnavailable()));
    } catch (error) {
      if (isDatabaseUnavailable(error)) return toResponse(scimUnavailable());
      throw error;
    }
  };
}

/**
 * A route module's handlers: the endpoints it serves by method, and for every other method a SCIM 405
 * naming them (instead of Next's bodiless 405). Export all five: `export const { GET, POST, … } = scimRoute(…)`.
 */
export function scimRoute(endpoints: Partial<Record<Method, ScimHandler>>): Record<Method, RouteHandler> {
  const allowed = METHODS.filter((method) => endpoints[method]);
  const notAllowed = adapt((request, ctx) => methodNotAllowed(request, ctx, allowed), false);
  return Object.fromEntries(
    METHODS.map((method) => {
      const endpoint = endpoints[method];
      return [method, endpoint ? adapt(endpoint, TAKES_BODY.has(method)) : notAllowed];
    }),
  ) as Record<Method, RouteHandler>;
}

/** One handler for every method, body unread: the catch-all for paths no endpoint serves. */
export function scimCatchAll(handle: ScimHandler): Record<Method, RouteHandler> {
  const handler = adapt(handle, false);
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<Method, RouteHandler>;
}
