import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMyAccess } from "@/server/access/my-access";
import { createCaller } from "@/server/api/root";
import { AppError } from "@/server/errors";
import { adoptFinding, revokeFinding } from "@/server/reconciliation/actions";
import { ADOPT_JUSTIFICATION_MESSAGE } from "@/universal/reconciliation/inputs";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { githubRun, orphanFinding, unmanagedFinding } from "@/test/reconciliation-findings";

// An app owner's decisions on what a reconciliation found on GitHub's SCIM target (Omar owns GitHub).
// Findings are written as a run would leave them; the target itself is not needed.

let demo: DemoDatabase;
let run: Awaited<ReturnType<typeof githubRun>>;
beforeAll(async () => {
  demo = await demoDatabase();
  run = await githubRun(demo);
});
afterAll(async () => demo?.close());

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError || e instanceof TRPCError ? e.code : Promise.reject(e)));
const as = async (key: string) => createCaller({ db: demo.db, actor: await demo.actor(key) });
const setAuthoritative = (on: boolean) => demo.db.app.update({ where: { slug: "github" }, data: { portalAuthoritative: on } });

describe("adopting unmanaged access", () => {
  it("makes a Provisioned grant the portal now manages, and the person's My access says who adopted it and why", async () => {
    const finding = await unmanagedFinding(demo, run, "felix", "Maintainers");
    const omar = await demo.actor("omar");
    const why = "Felix runs the release train this quarter.";

    const result = await adoptFinding(demo.db, omar, { findingId: finding.id, justification: why });

    const grant = await demo.db.grant.findUniqueOrThrow({ where: { id: result.grantId }, include: { effects: true } });
    expect(grant).toMatchObject({ status: "PROVISIONED", requestId: null, adoptedById: omar.id, adoptionNote: why, userId: finding.userId, entitlementId: finding.entitlementId });
    expect(grant.provisionedAt).not.toBeNull();
    // Revoking it later (a review, say) removes the membership from the target: the portal manages it now.
    expect(grant.effects).toEqual([
      expect.objectContaining({ stepIndex: 0, method: "SCIM", connectorId: run.connector.id, groupName: "github-maintainers", reference: finding.groupId, createdByPortal: true, target: "SCIM group github-maintainers" }),
    ]);
    const account = await demo.db.appAccount.findUniqueOrThrow({ where: { connectorId_userId: { connectorId: run.connector.id, userId: finding.userId! } } });
    expect(account).toMatchObject({ externalId: finding.accountId, userName: finding.accountName, createdByPortal: false, status: "PROVISIONED" });
    expect(await demo.db.auditEvent.findFirst({ where: { action: "account.linked", objectId: account.id } })).toMatchObject({ actorId: omar.id });
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "ADOPTED", grantId: grant.id, resolvedById: omar.id, resolution: why });
    expect(await demo.db.auditEvent.findFirst({ where: { action: "grant.adopted", objectId: grant.id } })).toMatchObject({ actorId: omar.id, reason: why });

    const mine = (await listMyAccess(demo.db, await demo.actor("felix"))).find((g) => g.id === grant.id);
    expect(mine?.source).toMatchObject({ kind: "adopted", text: `Adopted from GitHub by Omar Haddad: ${why}` });
    expect(mine?.display.label).toBeTruthy();
  });

  it("refuses a second adoption, a missing justification, and access the person already holds through a grant", async () => {
    const omar = await demo.actor("omar");
    const finding = await unmanagedFinding(demo, run, "hugo", "Security Reviewers");
    await expect(adoptFinding(demo.db, omar, { findingId: finding.id, justification: "too short" })).rejects.toThrow(ADOPT_JUSTIFICATION_MESSAGE);
    await adoptFinding(demo.db, omar, { findingId: finding.id, justification: "Hugo triages the advisories." });
    await expect(adoptFinding(demo.db, omar, { findingId: finding.id, justification: "Hugo triages the advisories." })).rejects.toThrow("This finding is already adopted.");

    // The same membership seen again under another account: Hugo already has the grant just made.
    const again = await unmanagedFinding(demo, run, "hugo", "Security Reviewers");
    await expect(adoptFinding(demo.db, omar, { findingId: again.id, justification: "Hugo triages the advisories." })).rejects.toThrow(/already has a grant of GitHub \/ Security Reviewers/);
    expect(await demo.db.grant.count({ where: { userId: finding.userId!, entitlementId: finding.entitlementId!, status: "PROVISIONED" } })).toBe(1);
  });

  it("refuses access held by another account than the one the portal knows for the person", async () => {
    const finding = await unmanagedFinding(demo, run, "ana", "Developers");
    await demo.db.appAccount.create({ data: { appId: run.app.id, connectorId: run.connector.id, userId: finding.userId!, externalId: "made-by-portal", userName: "ana.costa", createdByPortal: true } });
    await expect(adoptFinding(demo.db, await demo.actor("omar"), { findingId: finding.id, justification: "Ana reviews design PRs." })).rejects.toThrow(
      `The portal knows this person's account on the target as ana.costa, not ana@example.com`,
    );
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "OPEN" });
  });
});

describe("ignoring and revoking", () => {
  it("keeps an ignored finding ignored, with the reason and who decided, out of the open list", async () => {
    const omar = await as("omar");
    const finding = await unmanagedFinding(demo, run, "grace", "Developers");
    await omar.reconciliation.ignore({ findingId: finding.id, reason: "The CI bot's account." });

    expect(await codeOf(omar.reconciliation.adopt({ findingId: finding.id, justification: "Actually she needs it." }))).toBe("CONFLICT");
    expect(await codeOf(omar.reconciliation.ignore({ findingId: finding.id, reason: "again" }))).toBe("CONFLICT");
    const open = await omar.reconciliation.findings({ appSlug: "github", status: "open", q: "grace" });
    expect(open.findings).toEqual([]);
    const closed = await omar.reconciliation.findings({ appSlug: "github", status: "closed", q: "grace" });
    expect(closed.findings).toEqual([expect.objectContaining({ id: finding.id, status: "IGNORED", statusLabel: "Ignored", resolution: "The CI bot's account.", resolvedBy: "Omar Haddad" })]);
    expect(await demo.db.auditEvent.findFirst({ where: { action: "finding.ignored", reason: "The CI bot's account." } })).not.toBeNull();
  });

  it("refuses to remove anything from a target where the portal is not authoritative, and says so", async () => {
    await setAuthoritative(false);
    const finding = await unmanagedFinding(demo, run, "ines", "Developers");
    await expect(revokeFinding(demo.db, await demo.actor("omar"), { findingId: finding.id, reason: "Not on the team." })).rejects.toThrow(
      /Only apps where the portal is authoritative can have access removed from their targets; GitHub is not/,
    );
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "OPEN", grantId: null });
    expect(await demo.db.grant.count({ where: { userId: finding.userId!, entitlementId: finding.entitlementId! } })).toBe(0);
  });

  it("revokes unmanaged access through the engine on an authoritative app, and reads Removed once the grant is gone", async () => {
    await setAuthoritative(true);
    const omar = await as("omar");
    const finding = await unmanagedFinding(demo, run, "jade", "Maintainers");
    const result = await omar.reconciliation.revoke({ findingId: finding.id, reason: "Not a maintainer any more." });

    const grant = await demo.db.grant.findUniqueOrThrow({ where: { id: result.grantId! } });
    expect(grant).toMatchObject({ status: "DELETING", revokeReason: "reconcile" });
    const queued = await demo.db.outboxEvent.findMany({ where: { name: "access/grant.revoke-requested" } });
    expect(queued.map((e) => e.data)).toContainEqual({ grantId: grant.id });
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "REVOKING", grantId: grant.id });

    await demo.db.grant.update({ where: { id: grant.id }, data: { status: "DEPROVISIONED", deprovisionedAt: new Date() } });
    const shown = await omar.reconciliation.findings({ appSlug: "github", status: "all", q: "jade" });
    expect(shown.findings[0]).toMatchObject({ id: finding.id, status: "REVOKED", statusLabel: "Removed" });
  });

  it("queues an orphan account's removal on an authoritative app; the dry run listed it first", async () => {
    await setAuthoritative(false);
    const admin = await as("admin");
    const finding = await orphanFinding(demo, run, "left-the-company@example.com");
    const dry = await admin.reconciliation.dryRun({ appSlug: "github" });
    expect(dry.items).toContainEqual(expect.objectContaining({ findingId: finding.id, what: "account", account: "left-the-company@example.com" }));
    expect(dry.lastRunAt).toEqual(run.run.finishedAt);

    await setAuthoritative(true);
    await admin.reconciliation.revoke({ findingId: finding.id, reason: "Left in October." });
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: finding.id } })).toMatchObject({ status: "REVOKING" });
    const queued = await demo.db.outboxEvent.findMany({ where: { name: "reconciliation/orphan.removal-requested" } });
    expect(queued.map((e) => e.data)).toEqual([{ findingId: finding.id }]);
    expect((await admin.reconciliation.dryRun({ appSlug: "github" })).items.map((i) => i.findingId)).not.toContain(finding.id);
  });
});
