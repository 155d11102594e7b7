import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { listApprovals } from "@/server/approvals/inbox";
import { viewApprovalLink } from "@/server/approvals/link";
import { notifyApprover } from "@/server/approvals/notify-approver";
import { issueApprovalTokens } from "@/server/approvals/tokens";
import { saveRule } from "@/server/enrollment/rules";
import { syncProfile } from "@/server/enrollment/sync";
import { processEnrollmentQueue } from "@/server/enrollment/worker";
import { startProvisioning } from "@/server/provisioning/lifecycle";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// What an approver sees to decide: the same context in the inbox, on the email link's page and in the email.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

async function newestMail(to: string) {
  return demo.db.devMail.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
}

describe("the approver's context", () => {
  it("says how long, what it gives, how risky, how many peers hold it and what the requester has in the app", async () => {
    const [erin, maya] = [await demo.actor("erin"), await demo.actor("maya")];
    const developers = await demo.entitlement("github", "Developers");
    await demo.db.entitlement.update({ where: { id: developers.id }, data: { description: "Push to every repository of the org.", riskLevel: "HIGH", adminAccess: true } });
    // Two others in Engineering hold it; a leaver who held it does not count, nor does anyone in another department.
    const engineering = await demo.db.user.findMany({ where: { department: { name: "Engineering" }, lifecycleState: "ACTIVE", id: { not: erin.id } }, orderBy: { email: "asc" } });
    await demo.db.grant.deleteMany({ where: { entitlementId: developers.id } });
    for (const u of engineering.slice(0, 2)) await demo.db.grant.create({ data: { userId: u.id, entitlementId: developers.id, status: "PROVISIONED" } });
    await demo.db.grant.create({ data: { userId: (await demo.actor("carla")).id, entitlementId: developers.id, status: "PROVISIONED" } });
    await demo.db.grant.create({ data: { userId: erin.id, entitlementId: (await demo.entitlement("github", "Maintainers")).id, status: "DEPROVISIONED" } });
    const { id } = await createRequest(demo.db, erin, { entitlementId: developers.id, justification: "Joining the payments project team.", durationDays: 7 });

    const expected = {
      asker: null,
      lead: "Erin Walsh wants",
      duration: "for 7 days",
      endsAt: null,
      description: "Push to every repository of the org.",
      risk: { level: "HIGH", adminAccess: true, label: "High risk · admin access" },
      peers: { department: "Engineering", holders: 2, people: engineering.length, text: `2 of ${engineering.length} other people in Engineering have it` },
      holds: { app: "GitHub", entitlements: [], text: "Nothing yet in GitHub" },
    };
    const item = (await listApprovals(demo.db, maya)).pending.find((s) => s.request.id === id);
    expect(item?.context).toEqual(expected);

    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id }, include: { request: true } });
    const links = await issueApprovalTokens(demo.db, step);
    expect(await viewApprovalLink(demo.db, maya, links.approve)).toMatchObject({ ok: true, context: expected });
    // Someone else with the link learns nothing of the request.
    expect(await viewApprovalLink(demo.db, erin, links.approve)).toEqual({ ok: false, problem: "wrong-user" });

    expect(await notifyApprover(demo.db, step.id)).toMatchObject({ sent: true });
    const mail = await newestMail(maya.email);
    expect(mail.subject).toBe("Access request: Erin Walsh wants GitHub / Developers");
    expect(mail.text).toContain(
      ["- Duration: for 7 days", "- What it gives: Push to every repository of the org.", "- Risk: High risk · admin access", `- Peers: 2 of ${engineering.length} other people in Engineering have it`, "- Nothing yet in GitHub"].join("\n"),
    );
  });

  it("lists what the requester already holds in the app, and says when access has no end", async () => {
    const [tom, maya] = [await demo.actor("tom"), await demo.actor("maya")];
    for (const name of ["Security Reviewers", "Maintainers"]) {
      await demo.db.grant.create({ data: { userId: tom.id, entitlementId: (await demo.entitlement("github", name)).id, status: "PROVISIONED" } });
    }
    const { id } = await createRequest(demo.db, tom, { entitlementId: (await demo.entitlement("github", "Developers")).id, justification: "Joining the payments project team." });
    const context = (await listApprovals(demo.db, maya)).pending.find((s) => s.request.id === id)?.context;
    expect(context).toMatchObject({
      duration: "until no longer needed",
      holds: { app: "GitHub", entitlements: ["Maintainers", "Security Reviewers"], text: "In GitHub already: Maintainers, Security Reviewers" },
    });
  });

  it("says the end date the requester chose, to the minute in UTC in the email, and passes the date on for pages", async () => {
    const [lena, maya] = [await demo.actor("lena"), await demo.actor("maya")];
    // The end of 19 December for someone in New York: 20 December in UTC.
    const endsAt = new Date(Date.now() + 20 * 86_400_000);
    endsAt.setUTCHours(4, 59, 0, 0);
    const { id } = await createRequest(demo.db, lena, { entitlementId: (await demo.entitlement("aws", "Billing Viewer")).id, justification: "Preparing the quarterly cost review.", endsAt });
    const item = (await listApprovals(demo.db, maya)).pending.find((s) => s.request.id === id);
    const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(endsAt);
    expect(item?.context).toMatchObject({ duration: `until ${day}, 04:59 UTC`, endsAt });

    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    expect(await notifyApprover(demo.db, step.id)).toMatchObject({ sent: true });
    expect((await newestMail(maya.email)).text).toContain(`- Duration: until ${day}, 04:59 UTC`);
  });
});

describe("a request an access profile's rule asked for", () => {
  it("says the rule and the profile asked, not the person, in the inbox, on the link and in the email", async () => {
    const admin = await demo.actor("admin");
    const kit = await demo.db.accessProfile.findUniqueOrThrow({ where: { name: "Sales starter kit" }, include: { rules: true } });
    const rule = kit.rules[0]!;
    await saveRule(demo.db, admin, { id: rule.id, profileId: kit.id, name: rule.name, enabled: true, attributes: { department: ["Sales"] } });
    await syncProfile(demo.db, kit.id, { trigger: "test" });
    while ((await processEnrollmentQueue(demo.db, kit.id)).remaining > 0);

    const [carla, sam] = [await demo.actor("carla"), await demo.actor("sam")];
    const enrollment = await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: kit.id, userId: carla.id } } });
    const lead = "The rule “Sales department” of the access profile “Sales starter kit” asks for Carla Mendes to get";
    const inbox = await listApprovals(demo.db, sam);
    const item = inbox.pending.find((s) => s.request.id === enrollment.requestId);
    expect(item?.context).toMatchObject({ asker: "The rule “Sales department” of the access profile “Sales starter kit”", lead });

    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: enrollment.requestId!, status: "PENDING" }, include: { request: true } });
    const links = await issueApprovalTokens(demo.db, step);
    expect(await viewApprovalLink(demo.db, sam, links.approve)).toMatchObject({ ok: true, context: { lead } });
    await notifyApprover(demo.db, step.id);
    const mail = await newestMail(sam.email);
    expect(mail.subject).toBe(`Access request: ${lead} Access profiles / Sales starter kit`);
    expect(mail.text.split("\n")[0]).toBe(`${lead} Access profiles / Sales starter kit.`);
    expect(mail.text).not.toContain("Carla Mendes wants");

    // Once enrolled, the profile's items are asked for by the same rule.
    await decideStep(demo.db, sam, { stepId: step.id, decision: "APPROVE" });
    const grant = await demo.db.grant.findFirstOrThrow({ where: { requestId: enrollment.requestId! } });
    await startProvisioning(demo.db, grant.id, grant.requestId);
    const salesUser = await demo.db.accessRequest.findFirstOrThrow({ where: { requesterId: carla.id, profileEnrollmentId: enrollment.id, status: "PENDING_APPROVAL" } });
    const itemStep = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: salesUser.id, status: "PENDING" }, include: { approver: true } });
    const approver = { id: itemStep.approver.id, email: itemStep.approver.email, name: itemStep.approver.name, isAdmin: itemStep.approver.isAdmin };
    expect((await listApprovals(demo.db, approver)).pending.find((s) => s.request.id === salesUser.id)?.context?.lead).toBe(lead);
  });

  it("says the person wants it when they asked for the profile themselves", async () => {
    const [hugo, priya] = [await demo.actor("hugo"), await demo.actor("priya")];
    const kit = await demo.db.entitlement.findFirstOrThrow({ where: { profile: { name: "Sales starter kit" }, profileRole: "ENROLLMENT" } });
    const { id } = await createRequest(demo.db, hugo, { entitlementId: kit.id, justification: "Covering the sales team's invoicing." });
    const item = (await listApprovals(demo.db, priya)).pending.find((s) => s.request.id === id);
    expect(item?.context).toMatchObject({ asker: null, lead: "Hugo Laurent wants" });
  });
});
