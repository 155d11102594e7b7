import { describe, expect, it, vi } from "vitest";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import type { EngineHarness } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";

// Inngest caps a run at 1,000 steps (https://www.inngest.com/docs/usage-limits/inngest), and a big
// profile's sync makes a request per person, a batch per step. Scaled down here: one person per batch,
// three batches per run, and the engine enforcing 5 steps per run (the sync, three batches and the
// hand-over: exactly the limit). Without the hand-over to a new run the first run would fail at step 6.

const STEPS_PER_RUN = 5;
let demo: DemoDatabase;
let harness: EngineHarness;

useScimEngine(
  { env: { ENROLLMENT_BATCH_SIZE: "1", ENROLLMENT_BATCHES_PER_RUN: "3" }, limits: { maxStepsPerRun: STEPS_PER_RUN } },
  (started) => ({ demo, harness } = started),
);

describe("a profile sync larger than one run", () => {
  it("makes every request, continuing in new runs of the same function, none past the step limit", async () => {
    const admin = await demo.actor("admin");
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    // The default policy: the requests wait for approvers, so nothing else runs long here.
    const { id: profileId } = await saveProfile(demo.db, admin, { name: "Sales tools", itemIds: [readOnly.id] });
    await saveRule(demo.db, admin, { profileId, name: "Everyone in Sales", enabled: true, attributes: { department: ["Sales"] } });

    // The demo organisation's Sales team.
    const sales = 6;
    await vi.waitFor(
      async () => expect(await demo.db.profileEnrollment.count({ where: { profileId, requestId: { not: null } } })).toBe(sales),
      { timeout: 30_000, interval: 200 },
    );
    const runs = await vi.waitFor(
      async () => {
        const all = await harness.engine.listRuns({ functionId: "access-portal-sync-profile" });
        if (all.length < 3 || all.some((r) => r.status === "RUNNING")) throw new Error("the sync is still running");
        return all;
      },
      { timeout: 30_000, interval: 200 },
    );
    // Six requests at one a batch, three batches a run, and a last batch that finds nothing: three runs.
    expect(runs.map((r) => r.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
    const details = await Promise.all(runs.map((r) => harness.engine.getRun(r.id)));
    expect(details.map((d) => d!.steps.length).sort()).toEqual([1, 4, 5]);
    expect(runs.map((r) => r.eventName).sort()).toEqual(["enrollment/profile.apply-continued", "enrollment/profile.apply-continued", "enrollment/profile.sync-requested"]);
    const totals = details.map((d) => d!.output as { requested: number; continuesInPart?: number });
    expect(totals.reduce((sum, t) => sum + t.requested, 0)).toBe(sales);
    expect(totals.map((t) => t.continuesInPart ?? null).sort()).toEqual([2, 3, null]);
    // Every person asked once: one request each, none twice across the runs.
    const enrollments = await demo.db.profileEnrollment.findMany({ where: { profileId }, select: { userId: true, requestId: true } });
    expect(enrollments).toHaveLength(sales);
    expect(new Set(enrollments.map((e) => e.requestId)).size).toBe(sales);
  });
});
