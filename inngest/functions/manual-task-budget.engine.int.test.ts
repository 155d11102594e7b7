import { describe, expect, it, vi } from "vitest";
import { manualStepCost } from "@/inngest/plan-runner";
import { approvedRequest, grantReaches, openTaskFor, type EngineHarness } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";

// A manual plan step whose task nobody completes, against Inngest's step limit: the wait is a bounded
// number of windows (a wait and a look each), so the run ends on the task's own timeout, not on the
// limit. Scaled: one sleep may last 100 ms, so every window passes in a moment, and the engine allows
// 40 steps per run. The old wait (63 windows, 126 steps) would have failed the run at step 41.

const LIMIT = 40;
let demo: DemoDatabase;
let harness: EngineHarness;

useScimEngine({ env: { INNGEST_MAX_SLEEP: "100ms" }, limits: { maxStepsPerRun: LIMIT } }, (started) => ({ demo, harness } = started));

describe("waiting for a manual task", () => {
  it("gives up on the task's own timeout within the step budget, and says so on the grant", async () => {
    expect(manualStepCost()).toBeLessThan(LIMIT);
    // Figma Editor is provisioned by hand (a manual plan step for the app's provisioner).
    const { grantId } = await approvedRequest(demo, "ana", "figma", "Editor");
    await openTaskFor(demo, grantId);
    const grant = await grantReaches(demo, grantId, ["FAILED"], 30_000);
    expect(grant.failureReason).toMatch(/nobody completed the task within \d+(\.\d)? seconds/);

    const run = await vi.waitFor(async () => {
      const [r] = await harness.engine.listRuns({ functionId: "access-portal-provision-grant" });
      if (!r || r.status === "RUNNING") throw new Error("still telling the requester");
      return r;
    });
    expect(run.status).toBe("COMPLETED");
    const detail = await harness.engine.getRun(run.id);
    expect(detail!.steps.length).toBeLessThanOrEqual(LIMIT);
    // Sixteen windows of a wait and a look: the most one task's wait may take.
    expect(detail!.steps.filter((s) => /-task-wait-\d+$/.test(s.name))).toHaveLength(16);
  }, 60_000);
});
