import { describe, expect, it, vi } from "vitest";
import type { ScimServer } from "@/dev/scim-server";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import { approvedRequest, type EngineHarness } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";

// Rule-driven grants go to the target in batches (provision-in-bulk): one PATCH per group for many
// members, each grant still with its attempt, recorded effect and audit rows. A person's own request
// keeps the one-by-one path. A batch the target refuses hands its grants to provision-grant, whose
// retries take over when the target is back.

let demo: DemoDatabase;
let scim: ScimServer;
let harness: EngineHarness;

useScimEngine({ connectors: { backoffMs: 200, maxAttempts: 3 } }, (started) => ({ demo, scim, harness } = started));

const until = <T>(probe: () => Promise<T>, timeout = 60_000) => vi.waitFor(probe, { timeout, interval: 200 });

/** `count` generated people in a new department, and a profile of two SCIM items (GitHub) enrolling them by rule. */
async function wave(name: string, count: number) {
  const admin = await demo.actor("admin");
  const auto = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
  const items = await Promise.all(
    [1, 2].map((i) => demo.db.entitlement.create({ data: { appId: github.id, name: `${name} ${i}`, externalName: `${name.toLowerCase()}-${i}`, requestPolicyId: auto.id } })),
  );
  const dept = await demo.db.department.create({ data: { name } });
  await demo.db.user.createMany({
    data: Array.from({ length: count }, (_, i) => ({ email: `${name.toLowerCase()}${i}@example.com`, name: `${name} person ${i}`, title: "Engineer", departmentId: dept.id })),
  });
  const { id: profileId } = await saveProfile(demo.db, admin, { name, itemIds: items.map((e) => e.id), requestPolicyId: auto.id });
  await saveRule(demo.db, admin, { profileId, name: `Everyone in ${name}`, enabled: true, attributes: { department: [name] } });
  return { items, emails: Array.from({ length: count }, (_, i) => `${name.toLowerCase()}${i}@example.com`) };
}

const runsOf = async (functionId: string) => (await harness.engine.listRuns({ functionId, limit: 1000 })).filter((r) => r.status !== "RUNNING");

describe("provisioning rule-driven grants in batches", () => {
  it("puts a rule's 80 memberships on the target in a few runs, each grant with its attempt and audit rows", { timeout: 120_000 }, async () => {
    // One of them already has an account on the target, made before the portal: it is linked, not created.
    scim.state.load({ users: [{ userName: "batchers7@example.com", active: true }] as never });
    const { items, emails } = await wave("Batchers", 40);
    await until(async () => {
      for (const item of items) expect(scim.state.membersOf(item.externalName).filter((m) => emails.includes(m))).toHaveLength(40);
    });
    const grants = await until(async () => {
      const rows = await demo.db.grant.findMany({ where: { entitlementId: { in: items.map((e) => e.id) } }, include: { attempts: true, effects: true } });
      expect(rows.filter((g) => g.status === "PROVISIONED")).toHaveLength(80);
      return rows;
    });
    for (const g of grants) {
      expect(g.attempts).toHaveLength(1);
      expect(g.attempts[0]).toMatchObject({ outcome: "SUCCEEDED", number: 1 });
      expect(g.attempts[0]!.detail).toMatch(/added to batchers-[12], in a batch of \d+/);
      expect(g.effects[0]).toMatchObject({ createdByPortal: true, groupName: items.find((e) => e.id === g.entitlementId)!.externalName });
    }
    const accounts = await demo.db.appAccount.findMany({ where: { user: { email: { in: emails } } }, include: { user: true } });
    expect(accounts).toHaveLength(40);
    expect(accounts.filter((a) => !a.createdByPortal).map((a) => a.user.email)).toEqual(["batchers7@example.com"]);
    expect(accounts.every((a) => a.status === "PROVISIONED" && a.externalId === scim.state.users().find((u) => u.userName === a.userName)?.id)).toBe(true);
    const accountAudits = await demo.db.auditEvent.groupBy({ by: ["action"], where: { objectId: { in: accounts.map((a) => a.id) } }, _count: true });
    expect(Object.fromEntries(accountAudits.map((a) => [a.action, a._count]))).toEqual({ "account.created": 39, "account.linked": 1 });
    const audited = await demo.db.auditEvent.groupBy({ by: ["action"], where: { objectId: { in: grants.map((g) => g.id) } }, _count: true });
    expect(Object.fromEntries(audited.map((a) => [a.action, a._count]))).toMatchObject({ "grant.created": 80, "grant.provisioning": 80, "grant.provisioned": 80 });
    // Batches, not a run per grant: 40 enrollment grants and 80 items took far fewer runs (how many
    // depends on how fast the requests are made: a batch waits 3 s for more).
    const bulkRuns = await runsOf("access-portal-provision-in-bulk");
    expect(bulkRuns.length).toBeGreaterThan(0);
    expect(bulkRuns.length).toBeLessThan(40);
    const sizes = grants.map((g) => Number(/in a batch of (\d+)/.exec(g.attempts[0]!.detail ?? "")?.[1]));
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(5);
    const single = await demo.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM engine_runs WHERE function_id = 'access-portal-provision-grant' AND event->'data'->>'grantId' = ANY(${grants.map((g) => g.id)}::text[])`;
    expect(single[0]!.n).toBe(0);
    // Each person is told once, that they are enrolled: not once more for every item of the profile.
    await until(async () => expect(await demo.db.devMail.count({ where: { to: emails[0], subject: { contains: "is ready" } } })).toBe(1));
    const mails = await demo.db.devMail.findMany({ where: { to: { in: emails }, subject: { contains: "is ready" } }, select: { subject: true } });
    expect(mails).toHaveLength(40);
    expect(new Set(mails.map((m) => m.subject))).toEqual(new Set(["Your access to Access profiles / Batchers is ready"]));
  });

  it("leaves a person's own request to the one-by-one path", async () => {
    const { grantId } = await approvedRequest(demo, "erin", "github", "Developers");
    await until(async () => expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("PROVISIONED"));
    const runs = await demo.db.$queryRaw<{ function_id: string }[]>`SELECT function_id FROM engine_runs WHERE event->'data'->>'grantId' = ${grantId}`;
    expect(runs.map((r) => r.function_id)).toEqual(["access-portal-provision-grant"]);
  });

  it("hands a batch the target refuses to provision-grant, which provisions it once the target answers", { timeout: 120_000 }, async () => {
    // Every group PATCH fails for a while: the batch's try fails, then each grant's own tries.
    scim.faults.inject({ kind: "unavailable", method: "PATCH", path: "/Groups/", times: 12 });
    const { items, emails } = await wave("Refused", 3);
    await until(async () => {
      for (const item of items) expect(scim.state.membersOf(item.externalName).filter((m) => emails.includes(m))).toHaveLength(3);
    }, 90_000);
    const grants = await until(async () => {
      const rows = await demo.db.grant.findMany({ where: { entitlementId: { in: items.map((e) => e.id) } }, include: { attempts: { orderBy: { number: "asc" } } } });
      expect(rows.filter((g) => g.status === "PROVISIONED")).toHaveLength(6);
      return rows;
    });
    for (const g of grants) {
      // The batch's failed try, then the grant's own tries numbered on from it.
      expect(g.attempts[0]).toMatchObject({ number: 1, outcome: "FAILED" });
      expect(g.attempts[g.attempts.length - 1]).toMatchObject({ outcome: "SUCCEEDED" });
      expect(g.attempts.map((a) => a.number)).toEqual(g.attempts.map((_, i) => i + 1));
    }
    scim.faults.clear();
  });
});
