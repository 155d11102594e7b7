import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The procedures as a caller of the API meets them: which error they get, and why.
// Who may call what, for every procedure and role, is authorization-matrix.int.test.ts.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const as = async (key: string | null) => createCaller({ db: demo.db, actor: key ? await demo.actor(key) : null });
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

describe("the API", () => {
  it("shows a request to its requester, approver and admins, and refuses everyone else", async () => {
    const erin = await as("erin");
    const e = await demo.entitlement("github", "Developers");
    const { id } = await erin.requests.create({ entitlementId: e.id, justification: "Reviewing the payments code." });
    expect((await erin.requests.byId({ id })).display.label).toBe("Pending approval");
    expect((await (await as("maya")).requests.byId({ id })).id).toBe(id);
    expect((await (await as("admin")).requests.byId({ id })).id).toBe(id);
    expect(await codeOf((await as("carla")).requests.byId({ id }))).toBe("FORBIDDEN");
    expect(await codeOf((await as("tom")).requests.byId({ id }))).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND for objects that do not exist", async () => {
    const erin = await as("erin");
    expect(await codeOf(erin.requests.byId({ id: "does-not-exist" }))).toBe("NOT_FOUND");
    expect(await codeOf(erin.requests.create({ entitlementId: "does-not-exist", justification: "A good reason here." }))).toBe("NOT_FOUND");
    expect(await codeOf((await as("maya")).approvals.decide({ stepId: "does-not-exist", decision: "APPROVE" }))).toBe("NOT_FOUND");
  });

  it("answers BAD_REQUEST naming the field for invalid input", async () => {
    const erin = await as("erin");
    const error = await erin.requests.create({ entitlementId: "x", justification: "short" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((error as TRPCError).cause)).toContain("at least 10 characters");
  });
});
