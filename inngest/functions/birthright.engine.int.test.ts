import { describe, expect, it, vi } from "vitest";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import type { ScimServer } from "@/dev/scim-server";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";

// Birthright access end to end: an HR feed's joiner is enrolled in the profile their department's
// rule names, gets its items provisioned on the real SCIM target; when they move department, the
// profile and its items go away. Everything runs through the outbox, the local engine and its functions.

let demo: DemoDatabase;
let scim: ScimServer;

useScimEngine({}, (started) => ({ demo, scim } = started));

const until = <T>(probe: () => Promise<T>) => vi.waitFor(probe, { timeout: 30_000, interval: 200 });

describe("birthright access profiles", () => {
  it("enrolls a joiner by their department and provisions the profile's items; a mover loses them", async () => {
    const admin = await demo.actor("admin");
    const auto = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
    // Items under the auto-approve policy too, so that nothing waits for a person here.
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    const { id: profileId } = await saveProfile(demo.db, admin, { name: "Sales birthright", itemIds: [readOnly.id], requestPolicyId: auto.id });
    await saveRule(demo.db, admin, { profileId, name: "Everyone in Sales", enabled: true, attributes: { department: ["Sales"] } });
    // Enabling the rule synced the existing Sales team through the engine.
    await until(async () => expect(await demo.db.profileEnrollment.count({ where: { profileId, status: "ENROLLED" } })).toBe(6));

    await applyHrRecords(demo.db, [{ line: 2, email: "new.seller@example.com", name: "New Seller", title: "Account Executive", department: "Sales", managerEmail: "sam@example.com", status: "active" }], { actorId: admin.id, source: "csv" });
    const joiner = await demo.db.user.findUniqueOrThrow({ where: { email: "new.seller@example.com" } });
    const enrollment = await until(async () => {
      const e = await demo.db.profileEnrollment.findUnique({ where: { profileId_userId: { profileId, userId: joiner.id } } });
      expect(e?.status).toBe("ENROLLED");
      return e!;
    });
    expect(enrollment.ruleId).not.toBeNull();
    await until(async () => expect(scim.state.membersOf("salesforce-read-only")).toContain("new.seller@example.com"));
    // The target is written before the grant row: wait for the grant to say so too.
    const item = await until(async () => {
      const grant = await demo.db.grant.findFirstOrThrow({ where: { userId: joiner.id, entitlementId: readOnly.id } });
      expect(grant).toMatchObject({ status: "PROVISIONED", profileEnrollmentId: enrollment.id });
      return grant;
    });

    // They move to Finance: the profile no longer applies, and its items are removed from the target.
    await applyHrRecords(demo.db, [{ line: 2, email: "new.seller@example.com", name: "New Seller", title: "Analyst", department: "Finance", managerEmail: "priya@example.com", status: "active" }], { actorId: admin.id, source: "csv" });
    await until(async () => expect((await demo.db.grant.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("DEPROVISIONED"));
    expect(scim.state.membersOf("salesforce-read-only")).not.toContain("new.seller@example.com");
    expect((await demo.db.profileEnrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).status).toBe("UNENROLLED");
  });
});
