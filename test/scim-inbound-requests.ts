import { afterAll, beforeAll } from "vitest";
import type { ScimContext, ScimRequest, ScimResponse } from "@/server/lifecycle/scim-protocol";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Plain requests to the inbound SCIM /Users functions, as the route adapter (app/api/scim/v2/scim-route.ts)
// builds them from what Okta and Entra ID send: for server/lifecycle/scim-inbound*.int.test.ts.

export const TOKEN = "scim-inbound-test-token-0123456789abcdef";
export const BASE = "http://localhost:3000/api/scim/v2";
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

type Init = { method?: string; body?: unknown; token?: string | null; unreadable?: string };
/** `path` starts after the base URL; /Users/{id} fills params.id. */
export function request(path: string, { method = "GET", body, token = TOKEN, unreadable }: Init = {}): ScimRequest {
  const url = new URL(`${BASE}${path}`);
  const under = url.pathname.slice(new URL(BASE).pathname.length);
  const id = /^\/Users\/([^/]+)$/.exec(under)?.[1];
  return {
    method,
    path: under,
    params: id ? { id: decodeURIComponent(id) } : {},
    query: url.searchParams,
    authorization: token ? `Bearer ${token}` : null,
    ...(unreadable ? { body: { unreadable } } : body === undefined ? {} : { body: { json: body } }),
  };
}
/** What the tests read of SCIM answers (users, lists and errors). */
export type ScimBody = {
  id: string;
  detail: string;
  active: boolean;
  title?: string;
  userName: string;
  displayName?: string;
  name: { givenName?: string; familyName?: string; formatted?: string };
  emails: { value: string; type: string; primary: boolean }[];
  totalResults: number;
  Resources: { id: string; userName: string }[];
  [key: string]: unknown;
};
export async function read(response: ScimResponse) {
  return response.body as ScimBody;
}

/** Call at the top of a test file: its demo database, and the context the /Users functions take. */
export function inboundSuite() {
  const suite = { demo: undefined as unknown as DemoDatabase, ctx: undefined as unknown as ScimContext };
  beforeAll(async () => {
    suite.demo = await demoDatabase();
    suite.ctx = { db: suite.demo.db, token: TOKEN, baseUrl: BASE };
  });
  afterAll(async () => suite.demo?.close());
  return suite;
}
