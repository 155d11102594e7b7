import * as catchAll from "@/app/api/scim/v2/[[...path]]/route";
import * as group from "@/app/api/scim/v2/Groups/[id]/route";
import * as groups from "@/app/api/scim/v2/Groups/route";
import * as resourceType from "@/app/api/scim/v2/ResourceTypes/[id]/route";
import * as resourceTypes from "@/app/api/scim/v2/ResourceTypes/route";
import * as schema from "@/app/api/scim/v2/Schemas/[id]/route";
import * as schemas from "@/app/api/scim/v2/Schemas/route";
import * as config from "@/app/api/scim/v2/ServiceProviderConfig/route";
import * as user from "@/app/api/scim/v2/Users/[id]/route";
import * as users from "@/app/api/scim/v2/Users/route";

// Calls the SCIM route modules the way Next's app router does: a named folder wins over the catch-all,
// [id] takes one decoded segment, and a method a route module does not export answers 405 without a body.

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

/** A route module seen as Next sees it: handlers by method name (their context types differ per route). */
const route = (module: object) => module as RouteModule;

const FOLDERS: Record<string, [collection: RouteModule, item: RouteModule | null]> = {
  Users: [route(users), route(user)],
  Groups: [route(groups), route(group)],
  Schemas: [route(schemas), route(schema)],
  ResourceTypes: [route(resourceTypes), route(resourceType)],
  ServiceProviderConfig: [route(config), null],
};

export const SCIM_PREFIX = "/api/scim/v2";

export async function dispatch(request: Request): Promise<Response> {
  const segments = new URL(request.url).pathname.slice(SCIM_PREFIX.length).split("/").filter(Boolean).map(decodeURIComponent);
  const [head, id, ...rest] = segments;
  const folder = head === undefined ? undefined : FOLDERS[head];
  let target = route(catchAll);
  let params: Record<string, unknown> = { path: segments };
  if (folder && id === undefined) [target, params] = [folder[0], {}];
  else if (folder?.[1] && rest.length === 0) [target, params] = [folder[1], { id }];
  const handler = target[request.method as keyof RouteModule];
  if (!handler) return new Response(null, { status: 405 });
  return handler(request, { params: Promise.resolve(params) });
}

export interface ScimAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined for an empty one). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- SCIM answers are read by path, as the IdPs do
  /** Milliseconds the handler took. */
  time: number;
}

/** One SCIM call as an IdP makes it; `path` starts after /api/scim/v2. */
export async function call(base: string, token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimAnswer> {
  const request = new Request(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/scim+json" }), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const started = performance.now();
  const response = await dispatch(request);
  const text = await response.text();
  const time = performance.now() - started;
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, time };
}
