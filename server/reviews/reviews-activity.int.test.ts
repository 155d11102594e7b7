import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { readCampaignActivity } from "@/server/reviews/activity";
import { createCampaign } from "@/server/reviews/campaigns";
import { campaignPlan } from "@/server/reviews/close";
import { escalateReviewers } from "@/server/reviews/escalate";
import { myReviewItems } from "@/server/reviews/read";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Whether accounts look used, read from the demo SCIM target as a review starts (meta.lastModified), and
// the escalation a day before the due date: what the reviewer and their manager see.

let demo: DemoDatabase;
let scim: ScimServer;
const DAY = 86_400_000;

async function holds(key: string, app: string, entitlement: string) {
  const person = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  return demo.db.grant.create({ data: { userId: person.id, entitlementId: e.id, status: "PROVISIONED", provisionedAt: new Date(Date.now() - 300 * DAY) } });
}

beforeAll(async () => {
  scim = await startScimServer({ groups: ["github-developers"] });
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  // Tom's GitHub account has not changed in 200 days; Yuki's changed two days ago.
  const { users } = scim.state.load({ users: [{ userName: "tom@example.com", active: true }, { userName: "yuki@example.com", active: true }] });
  users[0]!.meta = { ...(users[0]!.meta as object), lastModified: new Date(Date.now() - 200 * DAY).toISOString() };
  users[1]!.meta = { ...(users[1]!.meta as object), lastModified: new Date(Date.now() - 2 * DAY).toISOString() };
  await holds("tom", "github", "Developers");
  await holds("yuki", "github", "Developers");
  await holds("erin", "figma", "Editor");
}, 120_000);

afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

const scopeOf = (over: Record<string, unknown>) => ({ everything: false, appIds: [], entitlementIds: [], profileIds: [], departmentIds: [], personIds: [], ...over });

describe("does the account look used?", () => {
  it("says Unknown until the target is read, then what its SCIM meta.lastModified says; Figma, worked by hand, stays Unknown", async () => {
    const admin = await demo.actor("admin");
    const maya = await demo.actor("maya");
    const apps = await demo.db.app.findMany({ where: { slug: { in: ["github", "figma"] } }, select: { id: true } });
    const { id } = await createCampaign(demo.db, admin, { name: "Tools", scope: scopeOf({ appIds: apps.map((a) => a.id) }), reviewerRule: { type: "MANAGER" } });
    const usage = async () => new Map((await myReviewItems(demo.db, maya, id)).items.map((i) => [`${i.snapshot.person.email} ${i.snapshot.access.app}`, i.usage]));
    expect((await usage()).get("tom@example.com GitHub")).toEqual({ state: "unknown", text: "Unknown: GitHub has not reported when this account was last used" });

    const read = await readCampaignActivity(demo.db, id);
    expect(read).toContainEqual(expect.objectContaining({ app: "GitHub", accounts: 2, matched: 2 }));
    const after = await usage();
    expect(after.get("tom@example.com GitHub")).toMatchObject({ state: "unused", text: expect.stringMatching(/^Looks unused: no activity on GitHub since .+, 200 days ago \(SCIM meta\.lastModified, read .+\)$/) });
    expect(after.get("yuki@example.com GitHub")).toMatchObject({ state: "active", text: expect.stringMatching(/^In use: last activity on GitHub 2 days ago \(SCIM meta\.lastModified/) });
    expect(after.get("erin@example.com Figma")).toMatchObject({ state: "unknown" });
  });

  it("a target that is down is reported and leaves its items Unknown", async () => {
    const admin = await demo.actor("admin");
    await demo.db.connector.updateMany({ data: { backoffMs: 10, maxAttempts: 1 } });
    await demo.db.accountActivity.deleteMany();
    const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
    const { id } = await createCampaign(demo.db, admin, { name: "GitHub again", scope: scopeOf({ appIds: [github.id] }), reviewerRule: { type: "MANAGER" } });
    scim.faults.inject({ kind: "unavailable", times: 5, method: "GET" });
    expect(await readCampaignActivity(demo.db, id)).toEqual([expect.objectContaining({ app: "GitHub", error: expect.any(String) })]);
    const items = (await myReviewItems(demo.db, await demo.actor("maya"), id)).items;
    expect(items.every((i) => i.usage.state === "unknown")).toBe(true);
    scim.faults.clear();
  });
});

describe("escalation", () => {
  it("a day before the due date, the manager of a reviewer still behind is emailed how many items wait, once per reviewer", async () => {
    const admin = await demo.actor("admin");
    const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
    const { id } = await createCampaign(demo.db, admin, { name: "Escalated", scope: scopeOf({ appIds: [github.id] }), reviewerRule: { type: "MANAGER" } });
    const plan = (await campaignPlan(demo.db, id))!;
    expect(new Date(plan.dueAt).getTime() - new Date(plan.escalateAt).getTime()).toBe(DAY);
    expect(new Date(plan.escalateAt).getTime()).toBeGreaterThan(new Date(plan.remindAt).getTime());
    expect(await escalateReviewers(demo.db, id, plan.dueAt)).toEqual({ escalated: 1 });
    // Maya reviews Tom's and Yuki's access; her manager is Alex, the admin.
    const mail = await demo.db.devMail.findFirstOrThrow({ where: { to: "admin@example.com", subject: { startsWith: "Escalation:" } }, orderBy: { createdAt: "desc" } });
    expect(mail.subject).toBe("Escalation: Maya Chen has 2 items to review in “Escalated”");
    expect(mail.text).toContain(`/admin/reviews/${id}`);
    expect(await demo.db.auditEvent.count({ where: { action: "review.escalated", objectId: id } })).toBe(1);
    // A moved due date is another plan: this one does nothing.
    expect(await escalateReviewers(demo.db, id, new Date(Date.now() + 3 * DAY).toISOString())).toEqual({ escalated: 0 });
  });
});
