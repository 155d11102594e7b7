import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleExpiry } from "@/server/provisioning/expiry";
import { createRequest, previewRequest } from "@/server/requests/create-request";
import { extendHeldGrant } from "@/server/requests/extend";
import { getRequest } from "@/server/requests/read-requests";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Time-bound access by end date, and extensions that move the end of the access already held.
// AWS production admin is under "Admin access": at most 30 days at a time.

const DAY = 86_400_000;
const why = "On call for the database migration.";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

describe("a custom end date", () => {
  it("must be in the future and within the policy's longest duration", async () => {
    const lena = await demo.actor("lena");
    const admin = await demo.entitlement("aws", "Administrator (production)");
    await expect(createRequest(demo.db, lena, { entitlementId: admin.id, justification: why, endsAt: new Date(Date.now() - DAY) })).rejects.toThrow("Choose an end date in the future.");
    await expect(createRequest(demo.db, lena, { entitlementId: admin.id, justification: why, endsAt: new Date(Date.now() + 45 * DAY) })).rejects.toThrow(
      /allows at most 30 days for this access: choose an end date on or before/,
    );
    const preview = await previewRequest(demo.db, lena, { entitlementId: admin.id, endsAt: new Date(Date.now() + 45 * DAY) });
    expect(preview.durationProblem).toMatch(/at most 30 days/);
    await expect(createRequest(demo.db, lena, { entitlementId: admin.id, justification: why, durationDays: 5, endsAt: new Date(Date.now() + 5 * DAY) })).rejects.toThrow(
      "Choose a duration or an end date, not both.",
    );
    expect(await demo.db.accessRequest.count({ where: { requesterId: lena.id } })).toBe(0);
  });

  it("ends the access on that date, whenever it is provisioned", async () => {
    const tom = await demo.actor("tom");
    const e = await demo.entitlement("aws", "Billing Viewer");
    const endsAt = new Date(Date.now() + 10.5 * DAY);
    const { id } = await createRequest(demo.db, tom, { entitlementId: e.id, justification: why, endsAt });
    expect(await demo.db.accessRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ endsAt, durationDays: 10 });
    await approveAllSteps(demo, id);
    const grant = await demo.db.grant.update({ where: { requestId: id }, data: { status: "PROVISIONED", provisionedAt: new Date(Date.now() + 2 * DAY) } });
    expect(await scheduleExpiry(demo.db, grant.id)).toEqual(endsAt);
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).expiresAt).toEqual(endsAt);
  });
});

describe("extending time-bound access", () => {
  it("moves the held grant's end instead of adding a second grant, and records it", async () => {
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("aws", "Developer (staging)");
    const first = await createRequest(demo.db, erin, { entitlementId: e.id, justification: why, durationDays: 7 });
    await approveAllSteps(demo, first.id);
    const oldEnd = new Date(Date.now() + 2 * DAY);
    const grant = await demo.db.grant.update({ where: { requestId: first.id }, data: { status: "PROVISIONED", provisionedAt: new Date(), expiresAt: oldEnd, expiryWarnedAt: new Date() } });
    const again = await createRequest(demo.db, erin, { entitlementId: e.id, justification: "Still on the migration.", durationDays: 30 });
    const maya = await demo.actor("maya");
    // Through the manager's approval, as in the inbox: approveRequest extends instead of creating a grant.
    await approveAllSteps(demo, again.id);
    const after = await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(after.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29.9 * DAY);
    // Warned about the old end only: the new end gets its own warning.
    expect(after.expiryWarnedAt).toBeNull();
    expect(await demo.db.grant.count({ where: { userId: erin.id, entitlementId: e.id } })).toBe(1);
    expect((await demo.db.accessRequest.findUniqueOrThrow({ where: { id: again.id } })).extendsGrantId).toBe(grant.id);
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { action: "grant.extended", objectId: grant.id } });
    expect(audit).toMatchObject({ actorId: maya.id, requestId: again.id, before: { expiresAt: oldEnd.toISOString() }, after: { expiresAt: after.expiresAt!.toISOString() } });
    // The request page says what happened and links the grant.
    expect((await demo.db.accessRequest.findUniqueOrThrow({ where: { id: again.id } })).status).toBe("APPROVED");
    expect(await getRequest(demo.db, erin, again.id)).toMatchObject({ display: { label: "Approved: access extended" }, extended: { id: grant.id, requestId: first.id, expiresAt: after.expiresAt }, grant: null });
  });

  it("never shortens the access, and does nothing when nothing time-bound is held", async () => {
    const omar = await demo.actor("omar");
    const e = await demo.entitlement("aws", "Data Analyst");
    const first = await createRequest(demo.db, omar, { entitlementId: e.id, justification: why, durationDays: 90 });
    await approveAllSteps(demo, first.id);
    const end = new Date(Date.now() + 60 * DAY);
    const grant = await demo.db.grant.update({ where: { requestId: first.id }, data: { status: "PROVISIONED", provisionedAt: new Date(), expiresAt: end } });
    const short = await createRequest(demo.db, omar, { entitlementId: e.id, justification: why, durationDays: 1 });
    expect(await demo.db.$transaction((tx) => extendHeldGrant(tx, { id: short.id }, null))).toBe(true);
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).expiresAt).toEqual(end);
    const other = await createRequest(demo.db, omar, { entitlementId: (await demo.entitlement("aws", "ReadOnly (production)")).id, justification: why, durationDays: 7 });
    expect(await demo.db.$transaction((tx) => extendHeldGrant(tx, { id: other.id }, null))).toBe(false);
  });
});
