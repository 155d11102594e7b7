import { Writable } from "node:stream";
import type { Logger } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { runPlanStep } from "@/server/provisioning/run-step";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { createLogger } from "./log";
import { metricsText } from "./metrics";

// A grant followed through its provisioning steps in the logs: one line per try of a step, with the
// grant, its access request, the step, the try's number, the outcome and the time it took; and the
// tries and retries counted for /api/metrics.

let demo: DemoDatabase;
let scim: ScimServer;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  scim = await startScimServer({ groups: ["github-auditors"] });
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  (globalThis as unknown as { portalLog?: Logger }).portalLog = createLogger("info", sink);
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

const sample = (text: string, series: string) => Number(text.split("\n").find((l) => l.startsWith(`${series} `))?.split(" ")[1] ?? 0);

describe("provisioning step logs", () => {
  it("log each try of a grant's step with its outcome, and count the tries and the retries", async () => {
    const erin = await demo.actor("erin");
    const entitlement = await demo.db.entitlement.findFirstOrThrow({ where: { app: { slug: "github" } } });
    const grant = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: entitlement.id, status: "PROVISIONING" } });
    const before = await metricsText(demo.db);
    const step = (attempt: number) => runPlanStep(demo.db, { grantId: grant.id, operation: "PROVISION", stepIndex: 0, attempt });

    // The target answers 503 once: the first try fails (retryable), the second succeeds.
    scim.faults.inject({ kind: "unavailable", times: 1 });
    expect(await step(1)).toMatchObject({ outcome: "failed", retryable: true });
    expect(await step(2)).toMatchObject({ outcome: "done" });

    const mine = lines.filter((l) => l.grantId === grant.id);
    expect(mine).toMatchObject([
      { level: "warn", msg: "provisioning step failed", operation: "PROVISION", step: 0, attempt: 1, method: "SCIM", outcome: "failed", retryable: true },
      { level: "info", msg: "provisioning step succeeded", operation: "PROVISION", step: 0, attempt: 2, method: "SCIM", outcome: "succeeded" },
    ]);
    for (const line of mine) expect(line.ms).toEqual(expect.any(Number));
    // Nothing of the connector's credentials reaches the logs.
    expect(JSON.stringify(lines)).not.toContain(scim.token);

    const after = await metricsText(demo.db);
    const tries = (outcome: string) => `portal_provisioning_step_attempts_total{operation="PROVISION",method="SCIM",outcome="${outcome}"}`;
    expect(sample(after, tries("failed")) - sample(before, tries("failed"))).toBe(1);
    expect(sample(after, tries("succeeded")) - sample(before, tries("succeeded"))).toBe(1);
    const retries = 'portal_provisioning_step_retries_total{operation="PROVISION",method="SCIM"}';
    expect(sample(after, retries) - sample(before, retries)).toBe(1);
  });
});
