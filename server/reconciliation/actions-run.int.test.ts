import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { githubRun, orphanFinding, unmanagedFinding } from "@/test/reconciliation-findings";

// "Reconcile now", a settings change, the admin's "portal is authoritative" switch, and who may do any
// of it: GitHub's owner (Omar) and admins; everyone else is refused.

let demo: DemoDatabase;
let run: Awaited<ReturnType<typeof githubRun>>;
beforeAll(async () => {
  demo = await demoDatabase();
  run = await githubRun(demo);
});
afterAll(async () => demo?.close());

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof TRPCError ? e.code : Promise.reject(e)));
const as = async (key: string) => createCaller({ db: demo.db, actor: await demo.actor(key) });
const reconcileEvents = () => demo.db.outboxEvent.findMany({ where: { name: "reconciliation/connector.requested" }, orderBy: { createdAt: "asc" } });

describe("Reconcile now", () => {
  it("queues one run for the owner, audited; a second click while it waits or runs starts nothing new", async () => {
    const omar = await as("omar");
    const before = (await reconcileEvents()).length;
    expect(await omar.reconciliation.run({ connectorId: run.connector.id })).toMatchObject({ queued: true });
    const events = await reconcileEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)?.data).toMatchObject({ connectorId: run.connector.id, trigger: "on demand by Omar Haddad" });
    expect(await demo.db.auditEvent.findFirst({ where: { action: "connector.reconcile_requested", objectId: run.connector.id } })).not.toBeNull();

    expect(await omar.reconciliation.run({ connectorId: run.connector.id })).toMatchObject({ queued: false });
    await demo.db.outboxEvent.updateMany({ where: { name: "reconciliation/connector.requested" }, data: { sentAt: new Date() } });
    const going = await demo.db.reconcileRun.create({ data: { connectorId: run.connector.id, appId: run.app.id, trigger: "hourly", progress: "Read 2,000 of 9,000 accounts" } });
    expect(await omar.reconciliation.run({ connectorId: run.connector.id })).toMatchObject({ queued: false, runId: going.id, progress: "Read 2,000 of 9,000 accounts" });
    expect(await reconcileEvents()).toHaveLength(before + 1);

    const overview = await omar.reconciliation.overview({ appSlug: "github" });
    expect(overview.connectors[0]).toMatchObject({ id: run.connector.id, readable: true, lastRun: { id: going.id, status: "RUNNING", progress: "Read 2,000 of 9,000 accounts" } });
    await demo.db.reconcileRun.update({ where: { id: going.id }, data: { status: "DONE", finishedAt: new Date() } });
  });

  it("refuses a connector whose target cannot be read, with the reason", async () => {
    const hook = await demo.db.connector.create({ data: { appId: run.app.id, method: "WEBHOOK", name: "GitHub webhook", config: {} } });
    const admin = await as("admin");
    await expect(admin.reconciliation.run({ connectorId: hook.id })).rejects.toThrow(/GitHub webhook cannot be reconciled: Webhook targets cannot be read/);
    const overview = await admin.reconciliation.overview({ appSlug: "github" });
    expect(overview.connectors.find((c) => c.id === hook.id)).toMatchObject({ readable: false, reason: expect.stringContaining("cannot be read") });
    await demo.db.connector.delete({ where: { id: hook.id } });
  });

  it("queues a run when an admin changes a readable connector's settings", async () => {
    const admin = await as("admin");
    const before = (await reconcileEvents()).length;
    const shown = (await admin.admin.app({ slug: "github" })).connectors.find((c) => c.id === run.connector.id)!;
    const saved = await admin.admin.saveConnector({ appId: run.app.id, id: run.connector.id, method: "SCIM", name: shown.name, config: shown.config, maxAttempts: 6 });
    expect(saved.status).toBe("APPLIED");
    const events = await reconcileEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)?.data).toMatchObject({ connectorId: run.connector.id, trigger: "settings changed" });
  });
});

describe("the list of findings", () => {
  it("pages through every finding once, newest first, and filters by kind", async () => {
    const omar = await as("omar");
    for (let i = 0; i < 5; i++) await orphanFinding(demo, run, `paged-${i}@example.com`);
    await unmanagedFinding(demo, run, "kofi", "Developers");
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await omar.reconciliation.findings({ appSlug: "github", kind: "ORPHAN", q: "paged-", limit: 2, cursor });
      expect(page.findings.length).toBeLessThanOrEqual(2);
      seen.push(...page.findings.map((f) => f.account));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => `paged-${i}@example.com`));
    const unmanaged = await omar.reconciliation.findings({ appSlug: "github", kind: "UNMANAGED", q: "kofi" });
    expect(unmanaged.findings).toEqual([expect.objectContaining({ kind: "UNMANAGED", entitlement: "GitHub / Developers", person: expect.objectContaining({ name: "Kofi Mensah" }), actions: { adopt: true, ignore: true, revoke: false } })]);
  });
});

describe("portal is authoritative", () => {
  it("is an admin's switch, audited with before and after; the owner is refused", async () => {
    const omar = await as("omar");
    expect(await codeOf(omar.reconciliation.setAuthoritative({ appSlug: "github", authoritative: true }))).toBe("FORBIDDEN");
    const admin = await as("admin");
    expect(await admin.reconciliation.setAuthoritative({ appSlug: "github", authoritative: true })).toEqual({ appSlug: "github", portalAuthoritative: true });
    expect((await omar.reconciliation.overview({ appSlug: "github" })).app.portalAuthoritative).toBe(true);
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { action: "app.authority_changed", objectId: run.app.id } });
    expect(audit).toMatchObject({ actorId: (await demo.actor("admin")).id, before: { portalAuthoritative: false }, after: { portalAuthoritative: true } });
    await admin.reconciliation.setAuthoritative({ appSlug: "github", authoritative: false });
  });
});

describe("who may reconcile", () => {
  it("refuses a stranger every procedure, and answers NOT_FOUND for what does not exist", async () => {
    const finding = await unmanagedFinding(demo, run, "tom", "Maintainers");
    const orphan = await orphanFinding(demo, run);
    const erin = await as("erin");
    const calls = {
      overview: erin.reconciliation.overview({ appSlug: "github" }),
      findings: erin.reconciliation.findings({ appSlug: "github" }),
      dryRun: erin.reconciliation.dryRun({ appSlug: "github" }),
      adopt: erin.reconciliation.adopt({ findingId: finding.id, justification: "I need to merge things." }),
      ignore: erin.reconciliation.ignore({ findingId: finding.id, reason: "Not mine to judge." }),
      revoke: erin.reconciliation.revoke({ findingId: orphan.id, reason: "Looks stale." }),
      run: erin.reconciliation.run({ connectorId: run.connector.id }),
      setAuthoritative: erin.reconciliation.setAuthoritative({ appSlug: "github", authoritative: true }),
    };
    const outcomes = Object.fromEntries(await Promise.all(Object.entries(calls).map(async ([name, p]) => [name, await codeOf(p)])));
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(calls).map((name) => [name, "FORBIDDEN"])));
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "OPEN" });

    const omar = await as("omar");
    expect(await codeOf(omar.reconciliation.adopt({ findingId: "missing", justification: "Ten characters at least." }))).toBe("NOT_FOUND");
    expect(await codeOf(omar.reconciliation.overview({ appSlug: "no-such-app" }))).toBe("NOT_FOUND");
    expect(await codeOf(omar.reconciliation.run({ connectorId: "missing" }))).toBe("NOT_FOUND");
  });
});
