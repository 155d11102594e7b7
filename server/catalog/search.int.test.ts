import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/actor";
import { catalogAppOptions, searchCatalog } from "@/server/catalog/search";
import { createRequest } from "@/server/requests/create-request";
import type { CatalogSearchInput } from "@/universal/catalog/search-inputs";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
let erin: Actor;
beforeAll(async () => {
  demo = await demoDatabase();
  erin = await demo.actor("erin");
});
afterAll(async () => demo?.close());

const search = (input: CatalogSearchInput, actor = erin) => searchCatalog(demo.db, actor, input);
const summary = async (input: CatalogSearchInput | string) =>
  (await search(typeof input === "string" ? { q: input } : input)).apps.map((a) => `${a.name}: ${a.entitlements.map((e) => e.name).join(", ")}`);
const item = async (actor: Actor, app: string, name: string) =>
  (await search({ q: name }, actor)).apps.find((a) => a.name === app)!.entitlements.find((e) => e.name === name)!;

describe("catalog search", () => {
  it("lists every app and its requestable entitlements for an empty query", async () => {
    const { apps, nextCursor } = await search({});
    // The four apps, and access profiles (each requestable as one entitlement; "excluded from rule" is not).
    expect(apps.map((a) => a.name)).toEqual(["AWS", "Access profiles", "Figma", "GitHub", "Salesforce"]);
    expect(apps.find((a) => a.name === "GitHub")).toMatchObject({ owner: "Omar Haddad" });
    expect(apps.find((a) => a.name === "Access profiles")?.entitlements.map((e) => e.name)).toEqual(["Sales starter kit"]);
    expect(apps.reduce((n, a) => n + a.entitlements.length, 0)).toBe(19);
    expect(nextCursor).toBeNull();
    // The app filter offers the same apps.
    expect((await catalogAppOptions(demo.db)).map((a) => a.slug)).toEqual(["aws", expect.any(String), "figma", "github", "salesforce"]);
  });

  it("matches entitlements by name or description, case-insensitively", async () => {
    expect(await summary("VIEWER")).toEqual(["AWS: Billing Viewer", "Figma: Viewer", "GitHub: Security Reviewers"]);
    expect(await summary("athena")).toEqual(["AWS: Data Analyst"]);
  });

  it("shows all of an app's entitlements when the app matches", async () => {
    expect(await summary("figma")).toEqual(["Figma: Design System Admin, Editor, Viewer"]);
  });

  it("filters by kind, risk and app, together with the words typed", async () => {
    expect(await summary({ kind: "GROUP", app: "github" })).toEqual(["GitHub: Developers, Maintainers, Security Reviewers"]);
    expect(await summary({ risk: "HIGH" })).toEqual([
      "AWS: Administrator (production), Security Auditor",
      "GitHub: Org Owner",
      "Salesforce: System Administrator",
    ]);
    expect(await summary({ q: "admin", kind: "ROLE", app: "aws" })).toEqual(["AWS: Administrator (production)"]);
    // Nothing of that kind in the app: the app is left out, not shown empty.
    expect(await summary({ kind: "GROUP", app: "salesforce", q: "read" })).toEqual([]);
    expect(await summary({ app: "no-such-app" })).toEqual([]);
  });

  it("pages through the listing, an app continuing on the next page", async () => {
    const first = await search({ limit: 4 });
    expect(first.apps.map((a) => `${a.name}: ${a.entitlements.length}`)).toEqual(["AWS: 4"]);
    expect(first.nextCursor).toBe(4);
    const second = await search({ limit: 4, cursor: first.nextCursor });
    expect(second.apps.map((a) => `${a.name}: ${a.entitlements.length}`)).toEqual(["AWS: 2", "Access profiles: 1", "Figma: 1"]);
    let cursor: number | null = 0;
    let seen = 0;
    while (cursor !== null) {
      const page = await search({ limit: 5, cursor });
      seen += page.apps.reduce((n, a) => n + a.entitlements.length, 0);
      cursor = page.nextCursor;
    }
    expect(seen).toBe(19);
  });

  it("pages through what a word matches, apps in name order, the same rows as one long page", async () => {
    // "e" is in nearly every name and description: matches from several apps, some matched by the app itself.
    const whole = await summary({ q: "e", limit: 100 });
    expect(whole.length).toBeGreaterThan(2);
    const names = (await search({ q: "e", limit: 100 })).apps.map((a) => a.name);
    // In the listing's own order (the database's, as without words).
    const order = (await search({ limit: 100 })).apps.map((a) => a.name);
    expect(names).toEqual(order.filter((n) => names.includes(n)));
    const paged: string[] = [];
    let cursor: number | null = 0;
    while (cursor !== null) {
      const page = await search({ q: "e", limit: 3, cursor });
      for (const app of page.apps) for (const e of app.entitlements) paged.push(`${app.name}: ${e.name}`);
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(whole.flatMap((line) => line.split(": ")[1]!.split(", ").map((e) => `${line.split(": ")[0]}: ${e}`)));
  });

  it("tells the person what they hold, what they asked for and what segregation of duties blocks", async () => {
    const hugo = await demo.actor("hugo");
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    const auditor = await demo.entitlement("aws", "Security Auditor");
    const billing = await demo.entitlement("aws", "Billing Viewer");
    expect(await item(hugo, "Salesforce", "Read Only")).toMatchObject({ held: null, requested: null, blockedBySod: null });

    // Read Only is approved at once: a pending grant already counts as having it.
    const held = await createRequest(demo.db, hugo, { entitlementId: readOnly.id, justification: "Quarterly finance reports." });
    const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: held.id } });
    expect(await item(hugo, "Salesforce", "Read Only")).toMatchObject({ held: { grantId: grant.id, expiresAt: null }, requested: null });

    // Time-bound access says until when.
    const timed = await createRequest(demo.db, hugo, { entitlementId: billing.id, justification: "Reconciling the invoices.", durationDays: 7 });
    const ends = new Date("2027-01-01T00:00:00Z");
    await demo.db.accessRequest.update({ where: { id: timed.id }, data: { status: "APPROVED" } });
    await demo.db.grant.create({ data: { userId: hugo.id, entitlementId: billing.id, requestId: timed.id, status: "PROVISIONED", expiresAt: ends } });
    expect((await item(hugo, "AWS", "Billing Viewer")).held).toMatchObject({ expiresAt: ends });

    // Security Auditor waits for approval; asking for it blocks Administrator (production).
    const asked = await createRequest(demo.db, hugo, { entitlementId: auditor.id, justification: "SOC 2 evidence." });
    expect(await item(hugo, "AWS", "Security Auditor")).toMatchObject({ held: null, requested: { requestId: asked.id }, blockedBySod: null });
    const admin = await item(hugo, "AWS", "Administrator (production)");
    expect(admin.blockedBySod?.reason).toMatch(/^Blocked by segregation of duties: you have already asked for AWS \/ Security Auditor/);

    // An exception rule does not block: it adds a step.
    const maintainers = await demo.entitlement("github", "Maintainers");
    await demo.db.grant.create({ data: { userId: hugo.id, entitlementId: maintainers.id, status: "PROVISIONED" } });
    expect((await item(hugo, "GitHub", "Security Reviewers")).blockedBySod).toBeNull();

    // Someone else sees none of it.
    expect(await item(erin, "AWS", "Administrator (production)")).toMatchObject({ held: null, requested: null, blockedBySod: null });
    expect(await item(erin, "Salesforce", "Read Only")).toMatchObject({ held: null });
  });

  it("hides entitlements that are not requestable", async () => {
    await demo.db.entitlement.updateMany({ where: { name: "Org Owner" }, data: { requestable: false } });
    expect(await summary("github")).toEqual(["GitHub: Developers, Maintainers, Security Reviewers"]);
  });

  it("treats % and _ as plain characters", async () => {
    expect(await summary("%")).toEqual([]);
    expect(await summary("_")).toEqual([]);
  });
});
