import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appForAdmin, updateEntitlement } from "@/server/catalog/configure-apps";
import { createCampaign } from "@/server/reviews/campaigns";
import { campaignDetail } from "@/server/reviews/read";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The "Entitlement owner" reviewer rule: an admin names who answers for an entitlement, and an access
// review sends its items to them; to the app's owner where it has none (or they have left); and never
// to the person reviewed.

let demo: DemoDatabase;
const DAY = 86_400_000;

async function holds(key: string, app: string, entitlement: string) {
  const person = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  return demo.db.grant.create({ data: { userId: person.id, entitlementId: e.id, status: "PROVISIONED", provisionedAt: new Date(Date.now() - 40 * DAY) } });
}

const scopeOf = async (app: string) => ({ everything: false, appIds: [(await demo.db.app.findUniqueOrThrow({ where: { slug: app } })).id], entitlementIds: [], profileIds: [], departmentIds: [], personIds: [] });

/** Starts a GitHub review by entitlement owners; who reviews each holder's item, by holder's email. */
async function reviewersOfGithub(name: string, fallback?: string) {
  const admin = await demo.actor("admin");
  const fallbackReviewerId = fallback ? (await demo.actor(fallback)).id : undefined;
  const started = await createCampaign(demo.db, admin, { name, scope: await scopeOf("github"), reviewerRule: { type: "ENTITLEMENT_OWNER" }, fallbackReviewerId });
  const { items } = await campaignDetail(demo.db, admin, started.id);
  return Object.fromEntries(items.map((i) => [i.snapshot.person.email, { reviewer: i.reviewer.email, note: i.routingNote }]));
}

beforeAll(async () => {
  demo = await demoDatabase();
  // GitHub is Omar's; nobody owns its Developers group. Lena will own Maintainers.
  await holds("tom", "github", "Developers");
  await holds("yuki", "github", "Maintainers");
  await holds("lena", "github", "Maintainers");
}, 120_000);

afterAll(() => demo?.close());

describe("an entitlement's owner", () => {
  it("is set by an admin, shown on the app's page and audited; others may not set it", async () => {
    const admin = await demo.actor("admin");
    const lena = await demo.actor("lena");
    const maintainers = await demo.entitlement("github", "Maintainers");
    await expect(updateEntitlement(demo.db, await demo.actor("maya"), { entitlementId: maintainers.id, ownerId: lena.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await updateEntitlement(demo.db, admin, { entitlementId: maintainers.id, ownerId: lena.id })).toMatchObject({ status: "APPLIED" });
    const app = await appForAdmin(demo.db, admin, "github");
    expect(app.entitlements.find((e) => e.name === "Maintainers")?.owner).toMatchObject({ name: "Lena Fischer", email: "lena@example.com" });
    expect(app.entitlements.find((e) => e.name === "Developers")?.owner).toBeNull();
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: maintainers.id, action: "entitlement.configured" }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ actorId: admin.id, before: { ownerId: null }, after: { ownerId: lena.id } });
  });

  it("must be someone still here", async () => {
    const admin = await demo.actor("admin");
    const gone = await demo.db.user.update({ where: { email: "zoe@example.com" }, data: { lifecycleState: "TERMINATED" } });
    const developers = await demo.entitlement("github", "Developers");
    await expect(updateEntitlement(demo.db, admin, { entitlementId: developers.id, ownerId: gone.id })).rejects.toThrow("Zoe Martin has left the organisation");
    await expect(updateEntitlement(demo.db, admin, { entitlementId: developers.id, ownerId: "nobody" })).rejects.toThrow("That person was not found");
    await expect(updateEntitlement(demo.db, admin, { entitlementId: developers.id, ownerId: "x".repeat(10_000) })).rejects.toThrow("That is not a person in the directory.");
    expect((await demo.db.entitlement.findUniqueOrThrow({ where: { id: developers.id } })).ownerId).toBeNull();
  });
});

describe("reviewed by the entitlement's owner", () => {
  it("sends each item to its entitlement's owner, else the app's owner, and Lena's own access to her manager", async () => {
    const by = await reviewersOfGithub("GitHub by entitlement owners");
    // Yuki's Maintainers: Lena owns it. Tom's Developers has no owner: GitHub's owner, Omar.
    expect(by["yuki@example.com"]).toEqual({ reviewer: "lena@example.com", note: null });
    expect(by["tom@example.com"]).toEqual({ reviewer: "omar@example.com", note: null });
    // Lena owns Maintainers and holds it: not hers to review.
    expect(by["lena@example.com"]).toEqual({ reviewer: "maya@example.com", note: "Their own access: sent to their manager." });
  });

  it("follows the app's owner again once the admin removes the entitlement's owner", async () => {
    const admin = await demo.actor("admin");
    const maintainers = await demo.entitlement("github", "Maintainers");
    await updateEntitlement(demo.db, admin, { entitlementId: maintainers.id, ownerId: null });
    const by = await reviewersOfGithub("GitHub, owner removed");
    expect(by["yuki@example.com"]).toEqual({ reviewer: "omar@example.com", note: null });
    expect(by["lena@example.com"]).toEqual({ reviewer: "omar@example.com", note: null });
  });

  it("passes over owners who have left: the app's owner, then the campaign's fallback reviewer", async () => {
    const admin = await demo.actor("admin");
    const maintainers = await demo.entitlement("github", "Maintainers");
    await updateEntitlement(demo.db, admin, { entitlementId: maintainers.id, ownerId: (await demo.actor("lena")).id });
    await demo.db.user.update({ where: { email: "lena@example.com" }, data: { lifecycleState: "TERMINATED" } });
    expect((await reviewersOfGithub("GitHub, Lena gone"))["yuki@example.com"]).toEqual({ reviewer: "omar@example.com", note: null });
    await demo.db.user.update({ where: { email: "omar@example.com" }, data: { lifecycleState: "TERMINATED" } });
    const by = await reviewersOfGithub("GitHub, owners gone", "rosa");
    expect(by["yuki@example.com"]).toEqual({ reviewer: "rosa@example.com", note: "The campaign's rule found nobody: sent to its fallback reviewer." });
    expect(by["tom@example.com"]).toEqual({ reviewer: "rosa@example.com", note: "The campaign's rule found nobody: sent to its fallback reviewer." });
  });
});
