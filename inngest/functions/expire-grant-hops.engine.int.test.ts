import { describe, expect, it, vi } from "vitest";
import { scheduleExpiryAt } from "@/server/provisioning/expiry";
import type { ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, type EngineHarness } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";

// A 365-day grant under Inngest's 7-day sleep cap (the free plan; https://www.inngest.com/docs/usage-limits/inngest),
// on a scaled clock so it takes seconds: one day is 20 ms, so the grant lasts 7.3 s and no sleep may
// pass 140 ms. The engine enforces that cap (a longer sleep fails the run), so the expiry only ends
// the access if it gets there in hops: each a run of its own that reads the grant again.

const DAY = 20;
let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;

// INNGEST_MAX_SLEEP is read by the functions (inngest/limits.ts) and, at start, by the engine.
useScimEngine({ env: { INNGEST_MAX_SLEEP: `${7 * DAY}ms` } }, (started) => ({ demo, harness, scim } = started));

describe("a grant longer than the longest sleep", () => {
  it("warns and ends on time, 365 days against a 7-day max sleep, in hops that each stay under it", async () => {
    const { grantId, requester } = await approvedRequest(demo, "carla", "salesforce", "Report Builder");
    await grantReaches(demo, grantId);
    const start = new Date();
    await demo.db.grant.update({ where: { id: grantId }, data: { provisionedAt: start } });
    const endsAt = new Date(start.getTime() + 365 * DAY);
    expect(await scheduleExpiryAt(demo.db, grantId, endsAt)).toBe(true);

    const ended = await grantReaches(demo, grantId, ["DEPROVISIONED"], 60_000);
    expect(ended.revokeReason).toBe("expiry");
    expect(scim.state.membersOf("salesforce-report-builder")).not.toContain("carla@example.com");
    const revoked = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: grantId, action: "grant.revoked" } });
    expect(revoked.at.getTime()).toBeGreaterThanOrEqual(endsAt.getTime());
    // Warned once, although many runs passed the warning's time.
    expect(await demo.db.devMail.count({ where: { to: requester.email, subject: { contains: "ends" } } })).toBe(1);

    const runs = await vi.waitFor(async () => {
      const all = await harness.engine.listRuns({ functionId: "access-portal-expire-grant", limit: 500 });
      if (all.some((r) => r.status === "RUNNING")) throw new Error("a hop is still running");
      return all;
    });
    // Many runs, every one completed: none asked for a sleep the engine refused. (On a real clock it is
    // 365 / 7 hops; here each hop's own work takes real time too, so fewer are needed.)
    expect(runs.length).toBeGreaterThan(4);
    expect(runs.filter((r) => r.status !== "COMPLETED")).toEqual([]);
    const last = runs.find((r) => (r.output as { revoked?: boolean } | null)?.revoked === true);
    expect(last).toBeDefined();
  }, 90_000);
});
