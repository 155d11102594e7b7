import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMyAccess, removeMyAccess, type MyAccess } from "@/server/access/my-access";
import { enrollPeople, excludePerson } from "@/server/enrollment/enroll";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import { syncProfile } from "@/server/enrollment/sync";
import { processEnrollmentQueue } from "@/server/enrollment/worker";
import { startProvisioning } from "@/server/provisioning/lifecycle";
import { createRequest } from "@/server/requests/create-request";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";

// "My access" against the demo organisation: Lara (Finance, manager Priya, whose manager is Alex) asks
// for access herself and through Priya; Mia, Kofi and Hugo (Finance) meet an access profile through a
// rule, an admin's enrollment and an exclusion. Provisioning is not run: grants are set Provisioned by
// hand where a test needs access that is really held.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const row = (rows: MyAccess[], access: string) => {
  const found = rows.find((r) => `${r.app} / ${r.entitlement.name}` === access);
  if (!found) throw new Error(`${access} is not in ${rows.map((r) => `${r.app} / ${r.entitlement.name}`).join(", ")}`);
  return found;
};

async function ask(key: string, app: string, entitlement: string, forKey?: string) {
  const e = await demo.entitlement(app, entitlement);
  const forUserId = forKey ? (await demo.actor(forKey)).id : undefined;
  const { id } = await createRequest(demo.db, await demo.actor(key), { entitlementId: e.id, justification: "Needed for the year-end close.", forUserId });
  await approveAllSteps(demo, id);
  return id;
}

/** A profile with one auto-approved item (Salesforce / Read Only) that auto-approves its enrollment. */
async function financeProfile() {
  const admin = await demo.actor("admin");
  const readOnly = await demo.entitlement("salesforce", "Read Only");
  const { id } = await saveProfile(demo.db, admin, { name: "Finance floor", itemIds: [readOnly.id], requestPolicyId: (await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } })).id });
  const enrollment = await demo.db.entitlement.findFirstOrThrow({ where: { profileId: id, profileRole: "ENROLLMENT" } });
  return { id, enrollmentId: enrollment.id, admin };
}

/** What the engine does with an approved enrollment grant: enroll, then request the items. */
async function provisionEnrollment(userId: string, enrollmentId: string) {
  const grant = await demo.db.grant.findFirstOrThrow({ where: { userId, entitlementId: enrollmentId, status: "PENDING" } });
  await startProvisioning(demo.db, grant.id, grant.requestId);
}

describe("what My access says about each grant", () => {
  it("says in words where requested access came from, and links the request", async () => {
    const lara = await demo.actor("lara");
    const own = await ask("lara", "salesforce", "Read Only");
    await ask("lara", "figma", "Viewer");
    await ask("priya", "aws", "Billing Viewer", "lara");
    await demo.db.grant.create({ data: { userId: lara.id, entitlementId: (await demo.entitlement("github", "Developers")).id, status: "PROVISIONED", provisionedAt: new Date() } });

    const rows = await listMyAccess(demo.db, lara);
    expect(row(rows, "Salesforce / Read Only").source).toEqual({
      kind: "request",
      text: "You asked for it; approved automatically under the “Auto-approve (low risk)” policy.",
      requestId: own,
    });
    expect(row(rows, "Figma / Viewer").source.text).toBe("You asked for it; approved by Priya Patel.");
    expect(row(rows, "AWS / Billing Viewer").source).toMatchObject({ kind: "on-behalf", text: "Your manager, Priya Patel, asked for it for you; approved by Alex Morgan." });
    expect(row(rows, "GitHub / Developers").source).toMatchObject({ kind: "direct", text: "Given to you directly by an admin, not through a request.", requestId: null });
    // Approved but not provisioned yet: shown, honestly, as being set up; removable like any of her own.
    expect(row(rows, "Figma / Viewer")).toMatchObject({ display: { label: "Setting up", tone: "working" }, cannotRemove: null });
    // Nobody else sees Lara's access on their page.
    expect((await listMyAccess(demo.db, await demo.actor("priya"))).map((r) => r.id)).not.toContain(row(rows, "AWS / Billing Viewer").id);
  });

  it("names the access profile, and the rule or the admin that enrolled them", async () => {
    const kit = await financeProfile();
    await saveRule(demo.db, kit.admin, { profileId: kit.id, name: "Analysts", enabled: true, attributes: { title: ["FP&A Analyst"] } });
    await syncProfile(demo.db, kit.id, { trigger: "test" });
    while ((await processEnrollmentQueue(demo.db, kit.id)).remaining > 0);
    const mia = await demo.actor("mia");
    await provisionEnrollment(mia.id, kit.enrollmentId);
    const kofi = await demo.actor("kofi");
    await enrollPeople(demo.db, kit.admin, { profileId: kit.id, userIds: [kofi.id] });
    await provisionEnrollment(kofi.id, kit.enrollmentId);
    const hugo = await demo.actor("hugo");
    await excludePerson(demo.db, kit.admin, { profileId: kit.id, userId: hugo.id, reason: "Covered by the audit programme." });

    const byRule = "the rule “Analysts” enrolled you because your job title is FP&A Analyst";
    const mias = await listMyAccess(demo.db, mia);
    expect(row(mias, "Access profiles / Finance floor").source).toMatchObject({ kind: "profile-membership", text: `You are a member of the “Finance floor” access profile: ${byRule}.` });
    expect(row(mias, "Salesforce / Read Only").source).toMatchObject({ kind: "profile-item", text: `Comes with the “Finance floor” access profile: ${byRule}.` });

    const kofis = await listMyAccess(demo.db, kofi);
    expect(row(kofis, "Access profiles / Finance floor").source.text).toBe("You are a member of the “Finance floor” access profile: Alex Morgan enrolled you.");
    expect(row(kofis, "Salesforce / Read Only").source.text).toBe("Comes with the “Finance floor” access profile: Alex Morgan enrolled you.");

    const [excluded] = await listMyAccess(demo.db, hugo);
    expect(excluded?.source).toMatchObject({ kind: "profile-exclusion", text: "An admin excluded you from the rules of the “Finance floor” access profile, so they do not enroll you." });
  });
});

describe("removing access from My access", () => {
  it("starts deprovisioning through the outbox, audited with the holder as the actor", async () => {
    const lara = await demo.actor("lara");
    const grant = row(await listMyAccess(demo.db, lara), "Salesforce / Read Only");
    await demo.db.grant.update({ where: { id: grant.id }, data: { status: "PROVISIONED", provisionedAt: new Date() } });

    expect(await removeMyAccess(demo.db, lara, { grantId: grant.id, reason: "The audit is finished." })).toEqual({ grantId: grant.id, status: "DELETING", deferred: false });
    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: "DELETING", revokeReason: "self", revokedById: lara.id });
    expect(await demo.db.outboxEvent.count({ where: { name: "access/grant.revoke-requested", data: { path: ["grantId"], equals: grant.id } } })).toBe(1);
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { action: "grant.revoked", objectId: grant.id } });
    expect(audit).toMatchObject({ actorId: lara.id, reason: "The audit is finished.", after: { status: "DELETING", reason: "self" } });

    // Still listed while it is removed, and not removable twice.
    expect(row(await listMyAccess(demo.db, lara), "Salesforce / Read Only")).toMatchObject({ display: { label: "Removing" }, cannotRemove: { code: "CONFLICT" } });
    await expect(removeMyAccess(demo.db, lara, { grantId: grant.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses anyone but the holder, admins included", async () => {
    const lara = await demo.actor("lara");
    const grant = row(await listMyAccess(demo.db, lara), "GitHub / Developers");
    for (const key of ["priya", "tom", "admin"]) {
      await expect(removeMyAccess(demo.db, await demo.actor(key), { grantId: grant.id })).rejects.toMatchObject({ code: "FORBIDDEN", message: "You can only remove your own access." });
    }
    await expect(removeMyAccess(demo.db, lara, { grantId: "no-such-grant" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe("PROVISIONED");
    expect(await demo.db.auditEvent.count({ where: { action: "grant.revoked", objectId: grant.id } })).toBe(0);
  });

  it("leaves access that came with a profile to the profile; a hand-made enrollment can be left", async () => {
    const mia = await demo.actor("mia");
    const mias = await listMyAccess(demo.db, mia);
    const item = row(mias, "Salesforce / Read Only");
    expect(item.cannotRemove?.message).toBe("It comes with the “Finance floor” access profile: leave the profile to give it up, or ask an admin.");
    await expect(removeMyAccess(demo.db, mia, { grantId: item.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The rule would enroll her again at the next sync: she cannot leave here either.
    const membership = row(mias, "Access profiles / Finance floor");
    await expect(removeMyAccess(demo.db, mia, { grantId: membership.id })).rejects.toThrow(/rule “Analysts” would enroll you again/);
    const hugo = await demo.actor("hugo");
    const [exclusion] = await listMyAccess(demo.db, hugo);
    await expect(removeMyAccess(demo.db, hugo, { grantId: exclusion!.id })).rejects.toThrow(/Only an admin can lift an exclusion/);

    // Kofi was enrolled by hand: leaving the profile takes its items with it.
    const kofi = await demo.actor("kofi");
    const kofis = await listMyAccess(demo.db, kofi);
    await removeMyAccess(demo.db, kofi, { grantId: row(kofis, "Access profiles / Finance floor").id });
    expect(await listMyAccess(demo.db, kofi)).toEqual([]);
    const kit = await demo.db.accessProfile.findUniqueOrThrow({ where: { name: "Finance floor" } });
    expect(await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: kit.id, userId: kofi.id } } })).toMatchObject({ status: "UNENROLLED" });
  });
});
