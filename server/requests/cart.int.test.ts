import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewCart, submitCart } from "@/server/requests/cart";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The cart: several entitlements in one submission, each under its own policy. Salesforce asks the
// manager then the app owner (Raj); Salesforce / Read Only is auto-approved; AWS production admin
// and Security Auditor exclude each other. Sam manages Sales (Carla, Ben, Nora, ...); Maya Engineering.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const why = "Joining the renewals project next week.";

describe("previewing a cart", () => {
  it("says what each item's own policy will do, and what stops the cart", async () => {
    const nora = await demo.actor("nora");
    const [readOnly, salesUser, admin, auditor] = await Promise.all([
      demo.entitlement("salesforce", "Read Only"),
      demo.entitlement("salesforce", "Sales User"),
      demo.entitlement("aws", "Administrator (production)"),
      demo.entitlement("aws", "Security Auditor"),
    ]);
    await demo.db.grant.create({ data: { userId: nora.id, entitlementId: auditor.id, status: "PROVISIONED" } });
    const { id: pendingId } = await createRequest(demo.db, nora, { entitlementId: (await demo.entitlement("github", "Developers")).id, justification: why });
    const preview = await previewCart(demo.db, nora, { entitlementIds: [readOnly.id, salesUser.id, admin.id, (await demo.entitlement("github", "Developers")).id], durationDays: 30 });
    const byName = Object.fromEntries(preview.items.map((i) => [i.entitlement, i.outcome]));
    expect(byName["Salesforce / Read Only"]).toMatchObject({ status: "AUTO", text: "Approved automatically." });
    expect(byName["Salesforce / Sales User"]).toMatchObject({ status: "APPROVAL", text: "Approvers: Manager (Sam Rivera), then App owner (Raj Iyer)." });
    expect(byName["AWS / Administrator (production)"]).toMatchObject({ status: "BLOCKED" });
    expect(byName["AWS / Administrator (production)"]?.text).toMatch(/^Blocked: .*Security Auditor/);
    expect(byName["GitHub / Developers"]).toMatchObject({ status: "PENDING", requestId: pendingId });
    expect(preview.ready).toBe(false);
  });
});

describe("submitting a cart", () => {
  it("creates one request per item with the one justification and length", async () => {
    const carla = await demo.actor("carla");
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    const reports = await demo.entitlement("salesforce", "Report Builder");
    const result = await submitCart(demo.db, carla, { entitlementIds: [readOnly.id, reports.id], justification: why, durationDays: 30 });
    expect(result.submitted).toBe(true);
    expect(result.results.map((r) => [r.entitlement, r.status])).toEqual([
      ["Salesforce / Read Only", "APPROVED"],
      ["Salesforce / Report Builder", "PENDING_APPROVAL"],
    ]);
    const requests = await demo.db.accessRequest.findMany({ where: { id: { in: result.results.map((r) => r.requestId!) } } });
    expect(requests.map((r) => [r.justification, r.durationDays])).toEqual([
      [why, 30],
      [why, 30],
    ]);
  });

  it("submits nothing when one item cannot be submitted, and says which and why", async () => {
    const ben = await demo.actor("ben");
    const developers = await demo.entitlement("github", "Developers");
    const salesManager = await demo.entitlement("salesforce", "Sales Manager");
    await createRequest(demo.db, ben, { entitlementId: developers.id, justification: why });
    const before = await demo.db.accessRequest.count({ where: { requesterId: ben.id } });
    const result = await submitCart(demo.db, ben, { entitlementIds: [salesManager.id, developers.id], justification: why });
    expect(result.submitted).toBe(false);
    expect(result.results.map((r) => [r.entitlement, r.status, r.problem])).toEqual([
      ["Salesforce / Sales Manager", "NOT_SUBMITTED", null],
      ["GitHub / Developers", "NOT_SUBMITTED", "You already have a pending request for this entitlement."],
    ]);
    expect(await demo.db.accessRequest.count({ where: { requesterId: ben.id } })).toBe(before);
    expect(await demo.db.auditEvent.count({ where: { action: "request.submitted", request: { requesterId: ben.id, entitlementId: salesManager.id } } })).toBe(0);
  });

  it("lets a manager ask for two reports at once: one request per person and entitlement", async () => {
    const sam = await demo.actor("sam");
    const [raj, zoe] = [await demo.actor("raj"), await demo.actor("zoe")];
    const [viewer, billing] = [await demo.entitlement("figma", "Viewer"), await demo.entitlement("aws", "Billing Viewer")];
    const result = await submitCart(demo.db, sam, { entitlementIds: [viewer.id, billing.id], forUserIds: [zoe.id, raj.id], justification: why });
    expect(result.submitted).toBe(true);
    expect(result.results).toHaveLength(4);
    const requests = await demo.db.accessRequest.findMany({ where: { id: { in: result.results.map((r) => r.requestId!) } } });
    expect(new Set(requests.map((r) => `${r.requesterId}:${r.entitlementId}`)).size).toBe(4);
    expect(requests.every((r) => r.requestedById === sam.id && [raj.id, zoe.id].includes(r.requesterId))).toBe(true);
  });

  it("refuses the whole cart for anyone who is not the actor's report, and lets an admin ask for anyone", async () => {
    const [maya, erin, tom, carla] = [await demo.actor("maya"), await demo.actor("erin"), await demo.actor("tom"), await demo.actor("carla")];
    const editor = await demo.entitlement("figma", "Editor");
    // Maya manages Tom, not Carla: one outsider refuses the cart, Tom's request included.
    await expect(submitCart(demo.db, maya, { entitlementIds: [editor.id], forUserIds: [tom.id, carla.id], justification: why })).rejects.toThrow(/only ask for access on behalf of your direct reports/);
    await expect(previewCart(demo.db, erin, { entitlementIds: [editor.id], forUserIds: [tom.id] })).rejects.toThrow(/direct reports/);
    await expect(submitCart(demo.db, erin, { entitlementIds: [editor.id], forUserIds: [tom.id], justification: why })).rejects.toThrow(/direct reports/);
    expect(await demo.db.accessRequest.count({ where: { entitlementId: editor.id } })).toBe(0);
    const admin = await demo.actor("admin");
    const result = await submitCart(demo.db, admin, { entitlementIds: [editor.id], forUserIds: [carla.id], justification: why });
    expect(result).toMatchObject({ submitted: true, results: [{ person: "Carla Mendes", status: "PENDING_APPROVAL" }] });
  });
});
