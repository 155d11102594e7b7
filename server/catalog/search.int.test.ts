import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchCatalog } from "@/server/catalog/search";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const summary = async (q: string) =>
  (await searchCatalog(demo.db, q)).map((a) => `${a.name}: ${a.entitlements.map((e) => e.name).join(", ")}`);

describe("catalog search", () => {
  it("lists every app and its requestable entitlements for an empty query", async () => {
    const apps = await searchCatalog(demo.db, "");
    // The four apps, and access profiles (each requestable as one entitlement; "excluded from rule" is not).
    expect(apps.map((a) => a.name)).toEqual(["AWS", "Access profiles", "Figma", "GitHub", "Salesforce"]);
    expect(apps.find((a) => a.name === "GitHub")).toMatchObject({ owner: "Omar Haddad" });
    expect(apps.find((a) => a.name === "Access profiles")?.entitlements.map((e) => e.name)).toEqual(["Sales starter kit"]);
    expect(apps.reduce((n, a) => n + a.entitlements.length, 0)).toBe(19);
  });

  it("matches entitlements by name or description, case-insensitively", async () => {
    expect(await summary("VIEWER")).toEqual(["AWS: Billing Viewer", "Figma: Viewer", "GitHub: Security Reviewers"]);
    expect(await summary("athena")).toEqual(["AWS: Data Analyst"]);
  });

  it("shows all of an app's entitlements when the app matches", async () => {
    expect(await summary("figma")).toEqual(["Figma: Design System Admin, Editor, Viewer"]);
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
