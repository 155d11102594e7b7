import { expect, it, vi } from "vitest";
import type { ScimServer } from "@/dev/scim-server";
import { approvedRequest } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { CountingProxy } from "@/test/faults/counting-proxy";
import { recordFaultRow } from "@/test/faults/table";
import type { DemoDatabase } from "@/test/fixtures";

// Fault: the SCIM target is down for several times a grant's retry schedule while grants are approved,
// then comes back. Promise: every grant is provisioned by itself once it answers, no manual task, no
// duplicate, and the target is not hammered meanwhile (only first tries and the probe reach it).

let scim: ScimServer;
let proxy: CountingProxy;
let demo: DemoDatabase;

useScimEngine(
  {
    env: { CONNECTOR_PROBE_BASE_MS: "1000", CONNECTOR_PROBE_MAX_MS: "2000", CONNECTOR_BREAKER_FAILURES: "3" },
    proxy: true,
    // 3 tries 100 ms apart: the retry schedule is over in about two seconds (durable sleeps round up to 1 s).
    connectors: { backoffMs: 100, maxAttempts: 3 },
  },
  (started) => ({ demo, scim, proxy } = started),
);

const PEOPLE = ["erin", "omar", "lena", "tom", "yuki", "carla", "ben", "nora", "raj", "zoe", "hugo", "ines", "kofi", "lara", "mia"];
const ENTITLEMENTS = ["Developers", "Maintainers"];

it("target down longer than the retry schedule, then back", async () => {
  scim.faults.setDown(true);
  const downAt = Date.now();
  const before = proxy.count();
  const grants: Array<{ grantId: string; email: string; group: string }> = [];
  for (const name of ENTITLEMENTS) {
    for (const person of PEOPLE) grants.push({ ...(await approvedRequest(demo, person, "github", name)), email: `${person}@example.com`, group: `github-${name.toLowerCase()}` });
  }
  const ids = grants.map((g) => g.grantId);
  // Every grant parked, waiting for GitHub; then stay down for three times the retry schedule.
  await vi.waitFor(async () => {
    if ((await demo.db.connectorWait.count({ where: { grantId: { in: ids } } })) < ids.length) throw new Error("not all waiting yet");
  }, { timeout: 60_000, interval: 200 });
  await new Promise((r) => setTimeout(r, 6_000));
  const requestsWhileDown = proxy.count() - before;
  const downForMs = Date.now() - downAt;
  expect(await demo.db.provisioningTask.count({ where: { grantId: { in: ids } } })).toBe(0);

  scim.faults.setDown(false);
  const backAt = Date.now();
  await vi.waitFor(async () => {
    const done = await demo.db.grant.count({ where: { id: { in: ids }, status: "PROVISIONED" } });
    if (done < ids.length) throw new Error(`${done}/${ids.length} provisioned`);
  }, { timeout: 60_000, interval: 100 });
  const recoverMs = Date.now() - backAt;

  const provisioned = await demo.db.grant.count({ where: { id: { in: ids }, status: "PROVISIONED" } });
  const tasks = await demo.db.provisioningTask.count({ where: { grantId: { in: ids } } });
  const doubled = grants.filter((g) => scim.state.membersOf(g.group).filter((m) => m === g.email).length > 1).length;
  const missing = grants.filter((g) => !scim.state.membersOf(g.group).includes(g.email)).length;
  recordFaultRow({
    case: "target down longer than the retry schedule, then back",
    grants: ids.length,
    lost: ids.length - provisioned + missing,
    doubled,
    recoverMs,
    note: `down ${(downForMs / 1000).toFixed(0)} s; ${requestsWhileDown} requests reached it while down (before: up to 3 per grant); ${tasks} manual tasks`,
  });
  expect(provisioned).toBe(ids.length);
  expect(missing).toBe(0);
  expect(doubled).toBe(0);
  expect(tasks).toBe(0);
  // Each grant's first try, the few that opened the breaker, and the probe: not every grant's retries.
  expect(requestsWhileDown).toBeLessThan(ids.length + 15);
}, 180_000);
