import { afterAll, beforeAll, expect, it } from "vitest";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { call, SCIM_PREFIX, type ScimAnswer } from "./client";

// What server/lifecycle/scim-interop*.int.test.ts share: a demo database with the inbound token set,
// the SCIM calls through the route modules as Next calls them, and a summary of the steps each
// published source passed, printed when the file ends.

export const TOKEN = "scim-interop-test-token-0123456789abcdef";
export const BASE = `http://localhost:3000${SCIM_PREFIX}`;
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** Call at the top of a test file: its database, and `step` to declare a counted test. */
export function interopSuite() {
  const suite: { demo: DemoDatabase; step: (source: string, name: string, run: () => Promise<void>) => void } = {
    demo: undefined as unknown as DemoDatabase,
    step,
  };
  beforeAll(async () => {
    process.env.SCIM_INBOUND_TOKEN = TOKEN;
    suite.demo = await demoDatabase();
  });
  const passed: Record<string, number> = {};
  const total: Record<string, number> = {};
  afterAll(async () => {
    console.log(`SCIM interop steps passed: ${Object.keys(total).map((source) => `${source} ${passed[source] ?? 0}/${total[source]}`).join("; ")}`);
    await suite.demo?.close();
  });
  /** One step of a source: a test of its own, counted for the summary. */
  function step(source: string, name: string, run: () => Promise<void>) {
    total[source] = (total[source] ?? 0) + 1;
    it(name, async () => {
      await run();
      passed[source] = (passed[source] ?? 0) + 1;
    });
  }
  return suite;
}

export const scim = (method: string, path: string, body?: unknown) => call(BASE, TOKEN, method, path, body);
export const filter = (path: "/Users" | "/Groups", expression: string, extra = "") => scim("GET", `${path}?filter=${encodeURIComponent(expression)}${extra}`);
/** Every SCIM answer with a body is application/scim+json (RFC 7644 §3.1; Entra's tutorial asks for it too). */
export function scimJson(answer: ScimAnswer) {
  expect(answer.headers.get("content-type")).toBe("application/scim+json");
  return answer.body;
}
