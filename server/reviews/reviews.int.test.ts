import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaign, previewCampaign, startDueCampaigns } from "@/server/reviews/campaigns";
import { closeCampaign, extendDueDate } from "@/server/reviews/close";
import { decideReviewItems, reassignReviewItems } from "@/server/reviews/decide";
import { campaignDetail, campaignEvidenceCsv, myReviewItems } from "@/server/reviews/read";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Access reviews on the demo organisation, without the engine: what a campaign covers, who reviews
// each item, the decisions and their effects on grants, closing, recurring runs and the evidence.

let demo: DemoDatabase;
const DAY = 86_400_000;

/** Gives `key` a provisioned grant of app/entitlement, as if requested earlier. */
async function holds(key: string, app: string, entitlement: string) {
  const person = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  return demo.db.grant.create({ data: { userId: person.id, entitlementId: e.id, status: "PROVISIONED", provisionedAt: new Date(Date.now() - 40 * DAY) } });
}

/** Enrolls `key` in the Sales starter kit by its rule, with the kit's items held through the enrollment. */
async function enrolledByRule(key: string) {
  const person = await demo.actor(key);
  const profile = await demo.db.accessProfile.findFirstOrThrow({ where: { name: "Sales starter kit" }, include: { rules: true, items: true, entitlements: true } });
  const enrollment = await demo.db.profileEnrollment.create({ data: { profileId: profile.id, userId: person.id, ruleId: profile.rules[0]!.id, status: "ENROLLED" } });
  const membership = profile.entitlements.find((e) => e.profileRole === "ENROLLMENT")!;
  const grant = await demo.db.grant.create({ data: { userId: person.id, entitlementId: membership.id, status: "PROVISIONED", provisionedAt: new Date() } });
  for (const item of profile.items) await demo.db.grant.create({ data: { userId: person.id, entitlementId: item.entitlementId, status: "PROVISIONED", provisionedAt: new Date(), profileEnrollmentId: enrollment.id } });
  return { profile, grant };
}

const ids = async (app: string) => [(await demo.db.app.findUniqueOrThrow({ where: { slug: app } })).id];
const scopeOf = (over: Record<string, unknown>) => ({ everything: false, appIds: [], entitlementIds: [], profileIds: [], departmentIds: [], personIds: [], ...over });

beforeAll(async () => {
  demo = await demoDatabase();
  await holds("tom", "github", "Developers");
  await holds("yuki", "github", "Developers");
  await holds("maya", "github", "Maintainers");
  await holds("erin", "aws", "Billing Viewer");
  await enrolledByRule("carla");
}, 120_000);

afterAll(() => demo?.close());

describe("a campaign's scope and reviewers", () => {
  it("previews GitHub reviewed by managers: items, reviewers and loads, with Maya's own access sent to her manager", async () => {
    const admin = await demo.actor("admin");
    const preview = await previewCampaign(demo.db, admin, { name: "GitHub Q4", scope: scopeOf({ appIds: await ids("github") }), reviewerRule: { type: "MANAGER" } });
    expect(preview).toMatchObject({ items: 3, people: 3, reviewers: 2, rerouted: 0 });
    expect(preview.largest[0]).toEqual({ reviewer: "Maya Chen", count: 2 });
    // Nothing was written.
    expect(await demo.db.reviewCampaign.count()).toBe(0);
  });

  it("starts now with a two-week due date by default, snapshots each item and routes self-review away", async () => {
    const admin = await demo.actor("admin");
    const maya = await demo.actor("maya");
    const started = await createCampaign(demo.db, admin, { name: "GitHub owners", scope: scopeOf({ appIds: await ids("github") }), reviewerRule: { type: "PEOPLE", userIds: [maya.id] } });
    expect(started).toMatchObject({ started: true, items: 3 });
    const { campaign, items, reviewers } = await campaignDetail(demo.db, admin, started.id);
    expect(Math.round((campaign.dueAt.getTime() - campaign.startsAt.getTime()) / DAY)).toBe(14);
    // Maya reviews Tom's and Yuki's access; her own goes to her manager, Alex, saying why.
    const own = items.find((i) => i.snapshot.person.email === "maya@example.com")!;
    expect(own.reviewer.email).toBe("admin@example.com");
    expect(own.routingNote).toBe("Their own access: sent to their manager.");
    expect(reviewers.map((r) => r.email).sort()).toEqual(["admin@example.com", "maya@example.com"]);
    const tom = items.find((i) => i.snapshot.person.email === "tom@example.com")!;
    expect(tom.snapshot).toMatchObject({ kind: "access", access: { app: "GitHub", name: "Developers", risk: "LOW" }, person: { department: "Engineering", title: "Software Engineer" } });
    // Erin is the other Software Engineer in Engineering; she holds AWS access, not this.
    expect(tom.snapshot.peers?.text).toBe("0 of 1 other Software Engineers in Engineering have it");
    expect(tom.snapshot.source).toMatch(/^Granted directly/);
    // Every reviewer is emailed once for the campaign (an outbox event each), not once per item.
    expect(await demo.db.outboxEvent.count({ where: { name: "reviews/reviewer.assigned", data: { path: ["campaignId"], equals: started.id } } })).toBe(2);
  });

  it("reviews access that came with a profile as the enrollment, once, with the rule that enrolled them", async () => {
    const admin = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const preview = await previewCampaign(demo.db, admin, { name: "Salesforce", scope: scopeOf({ appIds: await ids("salesforce") }), reviewerRule: { type: "MANAGER" }, fallbackReviewerId: rosa.id });
    expect(preview).toMatchObject({ items: 1, people: 1 });
    const started = await createCampaign(demo.db, admin, { name: "Salesforce", scope: scopeOf({ appIds: await ids("salesforce") }), reviewerRule: { type: "MANAGER" } });
    const { items } = await campaignDetail(demo.db, admin, started.id);
    expect(items).toHaveLength(1);
    expect(items[0]!.snapshot).toMatchObject({ kind: "profile", access: { name: "Sales starter kit" } });
    expect(items[0]!.snapshot.access.items).toHaveLength(3);
    expect(items[0]!.snapshot.source).toBe("Enrolled in the access profile by its rule “Sales department”");
    expect(items[0]!.reviewer.email).toBe("sam@example.com");
  });

  it("sends items whose rule finds nobody to the fallback reviewer, else an admin", async () => {
    const admin = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    // Alex (the admin) has no manager: his own access has nobody by the manager rule.
    const grant = await holds("admin", "aws", "ReadOnly (production)");
    const scope = scopeOf({ entitlementIds: [grant.entitlementId] });
    const withFallback = await createCampaign(demo.db, admin, { name: "Fallback", scope, reviewerRule: { type: "MANAGER" }, fallbackReviewerId: rosa.id });
    const [item] = (await campaignDetail(demo.db, admin, withFallback.id)).items;
    expect(item).toMatchObject({ reviewer: { email: "rosa@example.com" }, routingNote: "The campaign's rule found nobody: sent to its fallback reviewer." });
    const without = await createCampaign(demo.db, admin, { name: "No fallback", scope, reviewerRule: { type: "MANAGER" } });
    const [other] = (await campaignDetail(demo.db, admin, without.id)).items;
    // Not Alex himself: the other admin.
    expect(other).toMatchObject({ reviewer: { email: "rosa@example.com" }, routingNote: "The campaign's rule found nobody: sent to an admin." });
  });

  it("refuses a fallback reviewer who does not exist, and a due date before the start", async () => {
    const admin = await demo.actor("admin");
    await expect(createCampaign(demo.db, admin, { name: "Bad", scope: scopeOf({ everything: true }), reviewerRule: { type: "MANAGER" }, fallbackReviewerId: "nobody" })).rejects.toThrow("The fallback reviewer does not exist or has left.");
    await expect(createCampaign(demo.db, admin, { name: "Bad", scope: scopeOf({ everything: true }), reviewerRule: { type: "MANAGER" }, dueAt: new Date(Date.now() - DAY) })).rejects.toThrow("The due date must be after the start");
    await expect(createCampaign(demo.db, await demo.actor("maya"), { name: "Mine", scope: scopeOf({ everything: true }), reviewerRule: { type: "MANAGER" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("decisions", () => {
  it("only the item's reviewer decides; Revoke needs a reason and starts deprovisioning with reason review; Keep until makes it time-bound", async () => {
    const admin = await demo.actor("admin");
    const maya = await demo.actor("maya");
    const erinGrant = await demo.db.grant.findFirstOrThrow({ where: { user: { email: "erin@example.com" } } });
    const started = await createCampaign(demo.db, admin, { name: "Engineering", scope: scopeOf({ departmentIds: [(await demo.db.department.findUniqueOrThrow({ where: { name: "Engineering" } })).id] }), reviewerRule: { type: "MANAGER" } });
    const { items } = await myReviewItems(demo.db, maya, started.id);
    const tom = items.find((i) => i.snapshot.person.email === "tom@example.com")!;
    const yuki = items.find((i) => i.snapshot.person.email === "yuki@example.com")!;
    const erin = items.find((i) => i.snapshot.person.email === "erin@example.com")!;

    await expect(decideReviewItems(demo.db, await demo.actor("sam"), { itemIds: [tom.id], decision: "KEEP" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(decideReviewItems(demo.db, maya, { itemIds: [tom.id], decision: "REVOKE", reason: "no" })).rejects.toThrow("Say why the access should go");

    const revoked = await decideReviewItems(demo.db, maya, { itemIds: [tom.id], decision: "REVOKE", reason: "Moved to the data team." });
    expect(revoked).toEqual({ decided: 1, refused: [] });
    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: tom.grant.id } })).toMatchObject({ status: "DELETING", revokeReason: "review" });

    const until = new Date(Date.now() + 30 * DAY);
    await decideReviewItems(demo.db, maya, { itemIds: [erin.id], decision: "KEEP_UNTIL", keepUntil: until });
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: erinGrant.id } })).expiresAt?.toISOString()).toBe(until.toISOString());
    expect(await demo.db.outboxEvent.count({ where: { name: "access/grant.expiry-scheduled", data: { path: ["grantId"], equals: erinGrant.id } } })).toBe(1);

    // Bulk: one decided already, one still open.
    const bulk = await decideReviewItems(demo.db, maya, { itemIds: [tom.id, yuki.id], decision: "KEEP", reason: "Quarterly check" });
    expect(bulk.decided).toBe(1);
    expect(bulk.refused).toEqual([{ itemId: tom.id, ok: false, reason: "This item has already been decided." }]);
    const audit = await demo.db.auditEvent.findMany({ where: { action: "review.decided", objectId: { in: [tom.id, yuki.id, erin.id] } } });
    expect(audit).toHaveLength(3);
  });

  it("revoking a rule's enrollment unenrolls and excludes the person so the next sync does not put them back", async () => {
    const admin = await demo.actor("admin");
    const sam = await demo.actor("sam");
    const { profile } = await enrolledByRule("ben");
    const started = await createCampaign(demo.db, admin, { name: "Kit", scope: scopeOf({ profileIds: [profile.id], personIds: [(await demo.actor("ben")).id] }), reviewerRule: { type: "MANAGER" } });
    const { items } = await myReviewItems(demo.db, sam, started.id);
    expect(items).toHaveLength(1);
    await decideReviewItems(demo.db, sam, { itemIds: [items[0]!.id], decision: "REVOKE", reason: "Ben moved to partnerships." });
    const ben = await demo.actor("ben");
    expect(await demo.db.profileEnrollment.findUniqueOrThrow({ where: { profileId_userId: { profileId: profile.id, userId: ben.id } } })).toMatchObject({ status: "UNENROLLED" });
    const excluded = profile.entitlements.find((e) => e.profileRole === "EXCLUDED")!;
    expect(await demo.db.grant.count({ where: { userId: ben.id, entitlementId: excluded.id, status: "PROVISIONED" } })).toBe(1);
    // The items he held through the profile are being removed too.
    const items2 = await demo.db.grant.findMany({ where: { userId: ben.id, profileEnrollmentId: { not: null } } });
    expect(items2.every((g) => g.status === "DELETING" && g.revokeReason === "unenrollment")).toBe(true);
  });

  it("hands items on with a reason, never to the person reviewed", async () => {
    const admin = await demo.actor("admin");
    const maya = await demo.actor("maya");
    const started = await createCampaign(demo.db, admin, { name: "Handover", scope: scopeOf({ personIds: [(await demo.actor("yuki")).id] }), reviewerRule: { type: "MANAGER" } });
    const { items } = await myReviewItems(demo.db, maya, started.id);
    await expect(reassignReviewItems(demo.db, maya, { itemIds: [items[0]!.id], toUserId: (await demo.actor("yuki")).id, reason: "She knows best" })).rejects.toThrow("Nobody reviews their own access");
    await reassignReviewItems(demo.db, maya, { itemIds: [items[0]!.id], toUserId: (await demo.actor("lena")).id, reason: "Lena runs the platform team now." });
    expect((await myReviewItems(demo.db, await demo.actor("lena"), started.id)).items).toHaveLength(1);
    await expect(myReviewItems(demo.db, maya, started.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("closing, recurring runs and evidence", () => {
  it("at the due date undecided items are revoked when the campaign says so, with that reason, and it closes", async () => {
    const admin = await demo.actor("admin");
    const grant = await holds("lena", "aws", "Data Analyst");
    const started = await createCampaign(demo.db, admin, { name: "AWS", scope: scopeOf({ entitlementIds: [grant.entitlementId] }), reviewerRule: { type: "APP_OWNER" }, undecided: "REVOKE" });
    // Lena owns AWS and holds the access: her own item goes to her manager.
    const { items } = await campaignDetail(demo.db, admin, started.id);
    expect(items[0]!.reviewer.email).toBe("maya@example.com");
    const closed = await closeCampaign(demo.db, started.id, null, "due");
    expect(closed).toEqual({ closed: true, settled: 1 });
    const after = await campaignDetail(demo.db, admin, started.id);
    expect(after.campaign.status).toBe("CLOSED");
    expect(after.items[0]).toMatchObject({ decision: "REVOKE", reason: "Not reviewed by the due date: revoked, as the campaign says." });
    expect(after.removing).toHaveLength(1);
    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: "DELETING", revokeReason: "review" });
    await expect(extendDueDate(demo.db, admin, { campaignId: started.id, dueAt: new Date(Date.now() + 5 * DAY) })).rejects.toThrow("Only an open access review can be extended.");
  });

  it("a quarterly campaign schedules its next run as it starts, and the hourly schedule starts it when due", async () => {
    const admin = await demo.actor("admin");
    const startsAt = new Date(Date.now() - 92 * DAY);
    const first = await createCampaign(demo.db, admin, { name: "Quarterly GitHub", scope: scopeOf({ appIds: await ids("github") }), reviewerRule: { type: "MANAGER" }, recurrence: "QUARTERLY", startsAt, dueAt: new Date(startsAt.getTime() + 100 * DAY) });
    const next = await demo.db.reviewCampaign.findUniqueOrThrow({ where: { previousId: first.id } });
    expect(next.status).toBe("SCHEDULED");
    expect(next.startsAt.getUTCMonth()).toBe((startsAt.getUTCMonth() + 3) % 12);
    // Its start (three months on) has passed: the schedule starts it, once.
    expect((await startDueCampaigns(demo.db)).started).toContain(next.id);
    expect((await startDueCampaigns(demo.db)).started).not.toContain(next.id);
    expect(await demo.db.reviewItem.count({ where: { campaignId: next.id } })).toBeGreaterThan(0);
    expect(await demo.db.reviewCampaign.count({ where: { previousId: next.id } })).toBe(1);
  });

  it("exports the evidence as CSV, every item with its decision, who and when, formulas neutralised", async () => {
    const admin = await demo.actor("admin");
    const campaign = await demo.db.reviewCampaign.findFirstOrThrow({ where: { name: "Engineering" } });
    const { filename, csv } = await campaignEvidenceCsv(demo.db, admin, campaign.id);
    expect(filename).toBe("access-review-engineering.csv");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("campaign,person,email,department,title,access,risk,how they got it,reviewer,decision,reason,keep until,decided at,decided by,removal,removed at");
    expect(lines.find((l) => l.includes("tom@example.com"))).toMatch(/REVOKE,Moved to the data team\.,.*maya@example\.com,Being removed from the app/);
    await expect(campaignEvidenceCsv(demo.db, await demo.actor("maya"), campaign.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
