import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptFinding } from "@/server/reconciliation/actions";
import { createCampaign, previewCampaign } from "@/server/reviews/campaigns";
import { decideReviewItems } from "@/server/reviews/decide";
import { campaignDetail, myReviewItems } from "@/server/reviews/read";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { githubRun, orphanFinding, unmanagedFinding } from "@/test/reconciliation-findings";

// Access reconciliation found on a target without a grant is reviewed when a campaign's scope covers it:
// starting the campaign adopts it (no owner decided: the reviewer does), the reviewer sees where it came
// from, and Revoke removes it from the target through the engine. Findings are written as a run of
// GitHub's SCIM connector would leave them; the target itself is not needed.

let demo: DemoDatabase;
let run: Awaited<ReturnType<typeof githubRun>>;

const FOUND = "Found on the target by reconciliation, not granted through the portal";
const scopeOf = (over: Record<string, unknown>) => ({ everything: false, appIds: [], entitlementIds: [], profileIds: [], departmentIds: [], personIds: [], ...over });
const appIds = async (slug: string) => [(await demo.db.app.findUniqueOrThrow({ where: { slug } })).id];
const departmentIds = async (name: string) => [(await demo.db.department.findUniqueOrThrow({ where: { name } })).id];
const statusOf = async (findingId: string) => (await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: findingId } })).status;

/** Unmanaged access on AWS's SCIM target (the shared helpers only write GitHub's). */
async function awsFinding(person: string, entitlement: string) {
  const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" }, include: { connectors: true } });
  const connector = aws.connectors[0]!;
  const awsRun = await demo.db.reconcileRun.create({ data: { connectorId: connector.id, appId: aws.id, trigger: "hourly", status: "DONE", finishedAt: new Date() } });
  const user = await demo.db.user.findUniqueOrThrow({ where: { email: `${person}@example.com` } });
  const e = await demo.entitlement("aws", entitlement);
  return demo.db.reconcileFinding.create({
    data: {
      connectorId: connector.id,
      appId: aws.id,
      kind: "UNMANAGED",
      subjectKey: `member:group-${e.externalName}:account-${person}`,
      userId: user.id,
      entitlementId: e.id,
      accountId: `account-${person}`,
      accountName: user.email,
      groupId: `group-${e.externalName}`,
      groupName: e.externalName,
      firstSeenRunId: awsRun.id,
      lastSeenRunId: awsRun.id,
    },
  });
}

beforeAll(async () => {
  demo = await demoDatabase();
  run = await githubRun(demo);
  const tom = await demo.actor("tom");
  const developers = await demo.entitlement("github", "Developers");
  await demo.db.grant.create({ data: { userId: tom.id, entitlementId: developers.id, status: "PROVISIONED", provisionedAt: new Date() } });
}, 120_000);

afterAll(() => demo?.close());

describe("unmanaged access in access reviews", () => {
  it("a GitHub campaign reviews Felix's hand-added Maintainers membership: previewed without writing, adopted as it starts, and Revoke removes it through the engine", async () => {
    const admin = await demo.actor("admin");
    const felixFinding = await unmanagedFinding(demo, run, "felix", "Maintainers");
    const onAws = await awsFinding("erin", "Billing Viewer");
    const orphan = await orphanFinding(demo, run);
    const settings = { name: "GitHub Q4", scope: scopeOf({ appIds: await appIds("github") }), reviewerRule: { type: "MANAGER" as const } };

    const preview = await previewCampaign(demo.db, admin, settings);
    // Tom's grant and Felix's membership; Felix's goes to his manager, Jonas.
    expect(preview).toMatchObject({ items: 2, people: 2, reviewers: 2, unmanaged: 1, unmanagedText: "1 of them found on targets by reconciliation, not granted through the portal." });
    expect(await statusOf(felixFinding.id)).toBe("OPEN");
    expect(await demo.db.grant.count({ where: { userId: felixFinding.userId! } })).toBe(0);

    const started = await createCampaign(demo.db, admin, settings);
    expect(started).toMatchObject({ started: true, items: 2, reviewers: 2 });
    const finding = await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: felixFinding.id } });
    expect(finding).toMatchObject({ status: "ADOPTED", resolution: "Under review in “GitHub Q4”", resolvedById: admin.id });
    const grant = await demo.db.grant.findUniqueOrThrow({ where: { id: finding.grantId! }, include: { effects: true } });
    const note = "Found on GitHub by reconciliation without a grant; put under review in “GitHub Q4”";
    expect(grant).toMatchObject({ status: "PROVISIONED", requestId: null, adoptedById: null, adoptionNote: note, userId: felixFinding.userId, entitlementId: felixFinding.entitlementId });
    expect(await demo.db.auditEvent.findFirst({ where: { action: "grant.adopted", objectId: grant.id } })).toMatchObject({ actorId: admin.id, reason: note });
    // Another app's finding and an orphan account (nobody's item) are left on the reconciliation page.
    expect(await statusOf(onAws.id)).toBe("OPEN");
    expect(await statusOf(orphan.id)).toBe("OPEN");

    const { items } = await campaignDetail(demo.db, admin, started.id);
    const felix = items.find((i) => i.snapshot.person.email === "felix@example.com")!;
    expect(felix.snapshot).toMatchObject({ access: { app: "GitHub", name: "Maintainers" }, source: FOUND, unmanaged: true });
    expect(felix.reviewer.email).toBe("jonas@example.com");
    expect(items.find((i) => i.snapshot.person.email === "tom@example.com")!.snapshot).toMatchObject({ unmanaged: false, source: expect.stringMatching(/^Granted directly/) });

    const jonas = await demo.actor("jonas");
    const [item] = (await myReviewItems(demo.db, jonas, started.id)).items;
    await decideReviewItems(demo.db, jonas, { itemIds: [item!.id], decision: "REVOKE", reason: "Felix does not merge releases." });
    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: "DELETING", revokeReason: "review" });
    // The portal manages the membership now, so deprovisioning really takes it off the target.
    expect(grant.effects).toEqual([expect.objectContaining({ method: "SCIM", groupName: "github-maintainers", createdByPortal: true })]);
  });

  it("takes in only the holders the campaign covers, and says who adopted what an owner took over", async () => {
    const admin = await demo.actor("admin");
    const omar = await demo.actor("omar");
    const yukiFinding = await unmanagedFinding(demo, run, "yuki", "Security Reviewers");
    const anaFinding = await unmanagedFinding(demo, run, "ana", "Security Reviewers");
    const erinFinding = await unmanagedFinding(demo, run, "erin", "Security Reviewers");
    const why = "Yuki triages the advisories this quarter.";
    const adopted = await adoptFinding(demo.db, omar, { findingId: yukiFinding.id, justification: why });

    const engineering = await createCampaign(demo.db, admin, { name: "Engineering GitHub", scope: scopeOf({ appIds: await appIds("github"), departmentIds: await departmentIds("Engineering") }), reviewerRule: { type: "MANAGER" } });
    // Erin is in Engineering, Ana in Design: only Erin's membership is this campaign's to review.
    expect(await statusOf(erinFinding.id)).toBe("ADOPTED");
    expect(await statusOf(anaFinding.id)).toBe("OPEN");
    const { items } = await campaignDetail(demo.db, admin, engineering.id);
    const yuki = items.find((i) => i.grant.id === adopted.grantId)!;
    expect(yuki.snapshot).toMatchObject({ source: `Adopted from GitHub by Omar Haddad: ${why}`, unmanaged: false });
    expect(items.some((i) => i.snapshot.person.email === "ana@example.com")).toBe(false);

    // A scope of an access profile alone covers no target's groups.
    const profile = await demo.db.accessProfile.findFirstOrThrow({ where: { name: "Sales starter kit" } });
    expect(await previewCampaign(demo.db, admin, { name: "Kit", scope: scopeOf({ profileIds: [profile.id] }), reviewerRule: { type: "MANAGER" } })).toMatchObject({ unmanaged: 0, unmanagedText: null });
  });

  it("leaves unmanaged access alone when the person got a grant of it since, so nothing is reviewed twice", async () => {
    const admin = await demo.actor("admin");
    const finding = await unmanagedFinding(demo, run, "grace", "Developers");
    await demo.db.grant.create({ data: { userId: finding.userId!, entitlementId: finding.entitlementId!, status: "PROVISIONED", provisionedAt: new Date() } });
    const settings = { name: "Grace", scope: scopeOf({ personIds: [finding.userId!] }), reviewerRule: { type: "MANAGER" as const } };
    expect(await previewCampaign(demo.db, admin, settings)).toMatchObject({ items: 1, unmanaged: 0 });
    const started = await createCampaign(demo.db, admin, settings);
    expect(started).toMatchObject({ items: 1 });
    expect(await statusOf(finding.id)).toBe("OPEN");
  });

  it("starts the campaign without access it cannot adopt (another account than the person's), leaving it open and nothing half-made", async () => {
    const admin = await demo.actor("admin");
    const finding = await unmanagedFinding(demo, run, "ivan", "Developers");
    await demo.db.appAccount.create({ data: { appId: run.app.id, connectorId: run.connector.id, userId: finding.userId!, externalId: "made-by-portal", userName: "ivan.petrov", createdByPortal: true, status: "PROVISIONED" } });
    const started = await createCampaign(demo.db, admin, { name: "Ivan", scope: scopeOf({ personIds: [finding.userId!] }), reviewerRule: { type: "MANAGER" } });
    expect(started).toMatchObject({ started: true, items: 0 });
    expect(await statusOf(finding.id)).toBe("OPEN");
    expect(await demo.db.grant.count({ where: { userId: finding.userId! } })).toBe(0);
    expect(await demo.db.appAccount.findFirstOrThrow({ where: { userId: finding.userId! } })).toMatchObject({ externalId: "made-by-portal" });
  });
});
