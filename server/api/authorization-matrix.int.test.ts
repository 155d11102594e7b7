import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import type { Actor } from "@/server/actor";
import { createRequest } from "@/server/requests/create-request";
import { withdrawRequest } from "@/server/requests/withdraw-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Every procedure × every role, including objects the caller has nothing to do with. The object in
// play is always a request by Erin (Engineering) for GitHub / Developers: her manager is Maya, the
// app's owner is Omar; Sam manages another department; Tom is Erin's colleague.

const roles = {
  anonymous: null,
  requester: "erin",
  colleague: "tom",
  manager: "maya",
  otherManager: "sam",
  appOwner: "omar",
  admin: "admin",
} as const;
type Role = keyof typeof roles;
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST";

/** What each role gets from each procedure. A procedure missing here fails the suite. */
const matrix: Record<string, { input: (o: Objects) => unknown; expect: Record<Role, Outcome> }> = {
  "catalog.search": {
    input: () => ({ q: "git" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.mine": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.create": {
    input: (o) => ({ entitlementId: o.otherEntitlementId, justification: "Needed for the audit project." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.byId": {
    input: (o) => ({ id: o.requestId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "requests.withdraw": {
    input: (o) => ({ id: o.requestId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  "approvals.inbox": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "approvals.decide": {
    // Deny, so that a successful call leaves Erin free to ask again for the next cell.
    input: (o) => ({ stepId: o.stepId, decision: "DENY" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
};

type Objects = { requestId: string; stepId: string; otherEntitlementId: string };

let demo: DemoDatabase;
let erin: Actor;
beforeAll(async () => {
  demo = await demoDatabase();
  erin = await demo.actor("erin");
});
afterAll(async () => demo?.close());

/** A fresh pending request by Erin for each cell, so one cell's effect never decides another's. */
async function freshObjects(cell: number): Promise<Objects> {
  const pending = await demo.db.accessRequest.findMany({ where: { requesterId: erin.id, status: "PENDING_APPROVAL" } });
  for (const r of pending) await withdrawRequest(demo.db, erin, { id: r.id });
  const developers = await demo.entitlement("github", "Developers");
  const { id } = await createRequest(demo.db, erin, { entitlementId: developers.id, justification: "Reviewing the payments code." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  // Entitlements nobody has asked for yet, one per cell, for the create procedure.
  const all = await demo.db.entitlement.findMany({ where: { app: { slug: { in: ["aws", "salesforce", "figma"] } } }, orderBy: { id: "asc" } });
  return { requestId: id, stepId: step.id, otherEntitlementId: all[cell % all.length]!.id };
}

async function call(role: Role, path: string, input: unknown): Promise<Outcome> {
  const key = roles[role];
  const caller = createCaller({ db: demo.db, actor: key ? await demo.actor(key) : null }) as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<unknown>>
  >;
  const [area, name] = path.split(".") as [string, string];
  return caller[area]![name]!(input).then(
    () => "ok",
    (e: unknown) => (e instanceof TRPCError ? (e.code as Outcome) : Promise.reject(e)),
  );
}

describe("the authorization matrix", () => {
  it("has an entry for every procedure of the router", () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it("gives every role exactly what the matrix says, on objects it does and does not own", async () => {
    const seen: string[] = [];
    let cell = 0;
    for (const [path, entry] of Object.entries(matrix)) {
      for (const role of Object.keys(roles) as Role[]) {
        const objects = await freshObjects(cell++);
        seen.push(`${path} as ${role}: ${await call(role, path, entry.input(objects))}`);
      }
    }
    const expected = Object.entries(matrix).flatMap(([path, entry]) =>
      (Object.keys(roles) as Role[]).map((role) => `${path} as ${role}: ${entry.expect[role]}`),
    );
    expect(seen).toEqual(expected);
  });
});
