import { describe, expect, it } from "vitest";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { importHrCsv } from "@/server/lifecycle/admin";
import { createRequest } from "@/server/requests/create-request";
import { confirmHold } from "@/server/revocations/decide";
import type { ScimServer } from "@/dev/scim-server";
import { everythingSettled } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";
import { recordFaultRow } from "./table";

// A wrong HR file through the real stack (outbox, local engine, SCIM target): 30 people provisioned
// into Salesforce, then a CSV terminating all 30. The guard holds it, so every membership stays on the
// target; only an admin's Confirm removes them.

let demo: DemoDatabase;
let scim: ScimServer;

useScimEngine({}, (started) => ({ demo, scim } = started));

const settled = () => everythingSettled(demo);

describe("mass revocation faults", () => {
  it("a CSV terminating 30 people is held by the guard", async () => {
    const admin = await demo.actor("admin");
    const keys = Array.from({ length: 30 }, (_, i) => `fault.wrongfile${i}`);
    const emails = keys.map((k) => `${k}@example.com`);
    await applyHrRecords(demo.db, emails.map((email, i) => ({ email, name: `Wrong File ${i}`, department: "Sales", managerEmail: "sam@example.com", status: "active" })), { actorId: admin.id, source: "csv" });
    // Salesforce / Read Only is auto-approved: each request provisions a membership on the target.
    const readOnly = await demo.entitlement("salesforce", "Read Only");
    for (const key of keys) await createRequest(demo.db, await demo.actor(key), { entitlementId: readOnly.id, justification: "Read the accounts I work on." });
    await settled();
    const members = () => scim.state.membersOf(readOnly.externalName).filter((m) => emails.includes(m));
    expect(await demo.db.grant.count({ where: { entitlementId: readOnly.id, user: { email: { in: emails } }, status: "PROVISIONED" } })).toBe(30);
    expect(members()).toHaveLength(30);

    // The wrong file: everyone terminated.
    const report = await importHrCsv(demo.db, admin, { csv: `email,status\n${emails.map((e) => `${e},terminated`).join("\n")}\n` });
    await settled();
    const kept = members().length;
    const doubled = members().length - new Set(members()).size;
    const hold = await demo.db.revocationHold.findFirstOrThrow({ where: { status: "HELD" }, include: { items: true } });
    recordFaultRow({ case: "a CSV terminating 30 people is held by the guard", grants: 30, lost: 30 - kept, doubled, recoverMs: null, note: `${report.counts.held} held, ${hold.items.length} in the hold` });
    expect(report.counts).toMatchObject({ held: 30, terminated: 0 });
    expect(kept).toBe(30);
    expect(await demo.db.user.count({ where: { email: { in: emails }, lifecycleState: "ACTIVE" } })).toBe(30);

    // An admin confirms: exactly those memberships go.
    const result = await confirmHold(demo.db, admin, { id: hold.id });
    expect(result.grantsRevoked).toBe(30);
    await settled();
    expect(members()).toHaveLength(0);
    expect(await demo.db.grant.count({ where: { entitlementId: readOnly.id, user: { email: { in: emails } }, status: "DEPROVISIONED" } })).toBe(30);
  }, 300_000);
});
