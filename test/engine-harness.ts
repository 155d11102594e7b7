import { vi } from "vitest";
import { type LocalEngine, type LocalEngineOptions, startLocalEngine } from "@/inngest/engine";
import { freePort, serveTestApp, type TestApp } from "@/inngest/engine/test-app";
import { resolvePolicy } from "@/server/policies/evaluate";
import type { SealerLoop } from "@/server/audit/sealer-loop";
import type { RelayLoop } from "@/server/outbox/relay-loop";
import { createRequest } from "@/server/requests/create-request";
import { approveAllSteps, type DemoDatabase } from "@/test/fixtures";

// The portal's real functions behind the SDK's serve handler, driven by the local engine over HTTP,
// with events delivered by the real outbox relay: the path work takes in production.

export interface EngineHarness {
  engine: LocalEngine;
  restartEngine(): Promise<void>;
  stop(): Promise<void>;
}

const signingKey = `signkey-test-${"5eed".repeat(16)}`;

/** `limits`: Inngest's limits for the engine to enforce, when a test lowers them (see inngest/engine/limits.ts). */
export async function startEngineHarness(demo: DemoDatabase, options: Pick<LocalEngineOptions, "limits" | "crons"> = {}): Promise<EngineHarness> {
  const enginePort = await freePort();
  // The app's Inngest client reads these when it is first used, as under `npm start`.
  process.env.INNGEST_DEV = "0";
  process.env.INNGEST_BASE_URL = `http://127.0.0.1:${enginePort}/`;
  process.env.INNGEST_EVENT_KEY = "local";
  process.env.INNGEST_SIGNING_KEY = signingKey;
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const { startOutboxRelay } = await import("@/server/outbox/relay-loop");
  const { startAuditSealer } = await import("@/server/audit/sealer-loop");
  const app: TestApp = await serveTestApp(inngest, functions);
  const start = () => startLocalEngine({ databaseUrl: demo.url, appUrl: app.url, port: enginePort, signingKey, backoffBaseMs: 100, concurrency: 10, quiet: true, ...options });
  const harness: EngineHarness = {
    engine: await start(),
    async restartEngine() {
      await harness.engine.stop();
      harness.engine = await start();
    },
    async stop() {
      await relay.stop();
      await sealer.stop();
      await harness.engine.stop();
      await app.close();
    },
  };
  await harness.engine.ready;
  const relay: RelayLoop = startOutboxRelay({ db: demo.db, connectionString: demo.url, send: (events) => inngest.send(events), sweepMs: 500 });
  const sealer: SealerLoop = startAuditSealer({ db: demo.db, connectionString: demo.url, sweepMs: 500 });
  return harness;
}

/** Submits a request and has its approvers approve every step; provisioning starts from there. */
export async function approvedRequest(demo: DemoDatabase, requesterKey: string, appSlug: string, entitlementName: string) {
  const requester = await demo.actor(requesterKey);
  const entitlement = await demo.entitlement(appSlug, entitlementName);
  // A policy that caps the duration gets its longest.
  const cap = (await demo.db.$transaction((tx) => resolvePolicy(tx, entitlement.id))).definition.maxDurationDays ?? undefined;
  const { id } = await createRequest(demo.db, requester, { entitlementId: entitlement.id, justification: "Needed for the Q4 platform migration.", durationDays: cap });
  await approveAllSteps(demo, id);
  const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
  return { requestId: id, grantId: grant.id, requester, entitlement };
}

const SETTLED = ["PROVISIONED", "FAILED", "DEPROVISIONED"];

/** Waits until the grant reaches one of `statuses` (by default any settled one), with its attempts. */
export async function grantReaches(demo: DemoDatabase, grantId: string, statuses: string[] = SETTLED, timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const grant = await demo.db.grant.findUniqueOrThrow({
        where: { id: grantId },
        include: { attempts: { orderBy: [{ operation: "asc" }, { stepIndex: "asc" }, { number: "asc" }] }, effects: true, tasks: true },
      });
      if (!statuses.includes(grant.status)) throw new Error(`grant is ${grant.status}`);
      return grant;
    },
    { timeout, interval: 100 },
  );
}

/** Waits for the grant's open task of this kind (a manual step or a fallback). */
export async function openTaskFor(demo: DemoDatabase, grantId: string, kind: "PROVISION" | "DEPROVISION" = "PROVISION", timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const task = await demo.db.provisioningTask.findFirst({ where: { grantId, kind, status: "OPEN" }, include: { assignee: true } });
      if (!task) throw new Error("no open task yet");
      return task;
    },
    { timeout, interval: 100 },
  );
}

/** Waits until a function run is parked waiting for the task's completion event. */
export async function waitingFor(demo: DemoDatabase, eventName: string, timeout = 10_000) {
  await vi.waitFor(
    async () => {
      const rows = await demo.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM engine_waiters WHERE event_name = $1`, eventName);
      if (!rows[0]?.n) throw new Error(`nothing waits for ${eventName}`);
    },
    { timeout, interval: 50 },
  );
}

/** Waits until every outbox event is delivered, no event waits in a batch, and every engine run has ended. */
export async function everythingSettled(demo: DemoDatabase, timeout = 120_000) {
  await vi.waitFor(
    async () => {
      const unsent = await demo.db.outboxEvent.count({ where: { sentAt: null } });
      const batched = await demo.db.engineBatchEvent.count();
      const running = await demo.db.engineRun.count({ where: { status: "RUNNING" } });
      if (unsent + batched + running) throw new Error(`${unsent} events unsent, ${batched} waiting in a batch, ${running} runs running`);
    },
    { timeout, interval: 250 },
  );
}

/** Waits for the latest mail to `to` whose subject contains `subject`. */
export async function mailArrives(demo: DemoDatabase, to: string, subject: string, timeout = 10_000) {
  return vi.waitFor(
    async () => {
      const m = await demo.db.devMail.findFirst({ where: { to, subject: { contains: subject } }, orderBy: { createdAt: "desc" } });
      if (!m) throw new Error(`no mail "${subject}" to ${to} yet`);
      return m;
    },
    { timeout, interval: 100 },
  );
}
