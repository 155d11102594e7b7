import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTime } from "@/server/admin-home/access-time";
import { adminAttention, type AttentionKind } from "@/server/admin-home/attention";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The admin home: stuck work is counted and listed with links; the access-time chart's percentiles per day.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const HOUR = 3_600_000;
const kind = async (k: AttentionKind) => (await adminAttention(demo.db, await demo.actor("admin"))).kinds.find((a) => a.kind === k)!;

/** A request by Erin for GitHub / Developers, made at `createdAt`, with a grant provisioned `minutes` later (or in `status`). */
async function requestWithGrant(createdAt: Date, grant: { minutes?: number; status?: "FAILED" | "PROVISIONED"; failureReason?: string }) {
  const erin = await demo.actor("erin");
  const entitlement = await demo.entitlement("github", "Developers");
  const request = await demo.db.accessRequest.create({ data: { requesterId: erin.id, entitlementId: entitlement.id, justification: "Chart data.", status: "APPROVED", createdAt } });
  const provisionedAt = grant.minutes === undefined ? null : new Date(createdAt.getTime() + grant.minutes * 60_000);
  return demo.db.grant.create({
    data: { userId: erin.id, entitlementId: entitlement.id, requestId: request.id, status: grant.status ?? "PROVISIONED", provisionedAt, failureReason: grant.failureReason ?? null, updatedAt: createdAt },
  });
}

describe("what needs attention", () => {
  it("counts a failed grant and lists it, linked to its monitoring page", async () => {
    const before = await kind("failedGrants");
    const grant = await requestWithGrant(new Date("2020-01-01T00:00:00Z"), { status: "FAILED", failureReason: "SCIM said 500" });
    const after = await kind("failedGrants");
    expect(after.count).toBe(before.count + 1);
    expect(after.items[0]).toMatchObject({ href: `/admin/provisioning/${grant.id}`, label: "GitHub / Developers for Erin Walsh", detail: "SCIM said 500" });
  });

  it("counts an approval step undecided past the reminder threshold, not a fresh one", async () => {
    const erin = await demo.actor("erin");
    const maya = await demo.actor("maya");
    const entitlement = await demo.entitlement("github", "Developers");
    const before = (await kind("overdueApprovals")).count;
    const fresh = await demo.db.accessRequest.create({ data: { requesterId: erin.id, entitlementId: entitlement.id, justification: "Fresh.", steps: { create: { approverId: maya.id } } } });
    expect((await kind("overdueApprovals")).count).toBe(before);
    const old = new Date(Date.now() - 25 * HOUR);
    const stale = await demo.db.accessRequest.create({ data: { requesterId: erin.id, entitlementId: entitlement.id, justification: "Old.", createdAt: old, steps: { create: { approverId: maya.id, createdAt: old } } } });
    const after = await kind("overdueApprovals");
    expect(after.count).toBe(before + 1);
    expect(after.items.map((i) => i.href)).toContain(`/requests/${stale.id}`);
    expect(after.items.find((i) => i.href === `/requests/${stale.id}`)?.detail).toBe(`Waiting for ${maya.name}`);
    expect(after.items.map((i) => i.href)).not.toContain(`/requests/${fresh.id}`);
  });

  it("counts unreachable connectors and held revocations", async () => {
    const connectors = (await kind("unreachableConnectors")).count;
    const connector = await demo.db.connector.findFirstOrThrow();
    await demo.db.connector.update({ where: { id: connector.id }, data: { unreachableSince: new Date(), lastError: "connect ECONNREFUSED" } });
    expect((await kind("unreachableConnectors")).count).toBe(connectors + 1);
    const holds = (await kind("heldRevocations")).count;
    const hold = await demo.db.revocationHold.create({ data: { source: "hr", title: "HR feed would remove 40 people", reason: "Over the limit" } });
    const after = await kind("heldRevocations");
    expect(after.count).toBe(holds + 1);
    expect(after.items.map((i) => i.href)).toContain(`/admin/revocations?hold=${hold.id}`);
  });

  it("is for admins only", async () => {
    await expect(adminAttention(demo.db, await demo.actor("maya"))).rejects.toThrow(/Only admins/);
    await expect(accessTime(demo.db, await demo.actor("maya"))).rejects.toThrow(/Only admins/);
  });
});

describe("request-to-access time", () => {
  it("gives each day's median, 90th percentile and count, and the window's", async () => {
    // A window in the future, so only these grants fall in it.
    const now = new Date("2031-03-10T12:00:00Z");
    for (const minutes of [1, 2, 3, 4, 10]) await requestWithGrant(new Date("2031-03-08T09:00:00Z"), { minutes });
    await requestWithGrant(new Date("2031-03-10T08:00:00Z"), { minutes: 60 });
    // Provisioned outside the window: not counted.
    await requestWithGrant(new Date("2031-01-01T08:00:00Z"), { minutes: 5 });
    const time = await accessTime(demo.db, await demo.actor("admin"), now, 30);
    expect(time.days).toHaveLength(30);
    expect(time.days.at(-1)).toEqual({ day: "2031-03-10", grants: 1, medianSeconds: 3600, p90Seconds: 3600 });
    const eighth = time.days.find((d) => d.day === "2031-03-08")!;
    expect(eighth.grants).toBe(5);
    expect(eighth.medianSeconds).toBe(180);
    // percentile_cont interpolates: 0.9 of the way from 4 min to 10 min is 7.6 min.
    expect(eighth.p90Seconds).toBeCloseTo(456, 5);
    expect(time.days.find((d) => d.day === "2031-03-09")).toEqual({ day: "2031-03-09", grants: 0, medianSeconds: null, p90Seconds: null });
    expect(time.total).toMatchObject({ grants: 6, medianSeconds: 210 });
  });
});
