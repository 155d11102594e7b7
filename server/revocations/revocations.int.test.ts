import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/actor";
import { updateApp } from "@/server/catalog/configure-apps";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import { syncProfile } from "@/server/enrollment/sync";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { importHrCsv, setLifecycleState } from "@/server/lifecycle/admin";
import { listDevMail } from "@/server/mail/dev-mailbox";
import { confirmHold, getHold, rejectHold } from "@/server/revocations/decide";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The guard against mass revocation on the HR side: an upload terminating many people at once is held
// (nobody loses anything, the admins are mailed, the hold lists who would lose what), Confirm revokes
// exactly what was held, Reject nothing; one leaver at a time is never held.

let demo: DemoDatabase;
let admin: Actor;

beforeAll(async () => {
  demo = await demoDatabase();
  admin = await demo.actor("admin");
}, 60_000);
afterAll(async () => demo?.close());

const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"];

/** `n` new people, each holding a provisioned grant of app / entitlement. */
async function staff(prefix: string, n: number, app: string, entitlement: string) {
  const emails = Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
  const { counts } = await applyHrRecords(demo.db, emails.map((email, i) => ({ email, name: `${prefix} ${i}`, department: "Engineering", status: "active" })), { actorId: admin.id, source: "csv" });
  expect(counts.created).toBe(n);
  const ent = await demo.entitlement(app, entitlement);
  const people = await demo.db.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } });
  const grants = [];
  for (const p of people) grants.push(await demo.db.grant.create({ data: { userId: p.id, entitlementId: ent.id, status: "PROVISIONED", provisionedAt: new Date() } }));
  return { emails, people, grantIds: grants.map((g) => g.id) };
}

const terminating = (emails: string[]) => `email,status\n${emails.map((e) => `${e},terminated`).join("\n")}\n`;
const liveCount = (ids: string[]) => demo.db.grant.count({ where: { id: { in: ids }, status: { in: LIVE as never } } });
const audits = (objectId: string) => demo.db.auditEvent.findMany({ where: { objectId }, orderBy: { seq: "asc" }, select: { action: true, actorId: true } });

describe("an HR CSV terminating 30 people at once", () => {
  let holdId: string;
  let team: Awaited<ReturnType<typeof staff>>;

  it("is held: nobody is terminated, no grant is revoked, the admins get the list of who would lose what", async () => {
    team = await staff("leaver", 30, "github", "Developers");
    const report = await importHrCsv(demo.db, admin, { csv: terminating(team.emails) });
    expect(report.counts).toMatchObject({ held: 30, terminated: 0, error: 0 });
    expect(report.rows[0]!.message).toMatch(/GitHub: 30 people would lose access \(threshold 10\)/);

    expect(await liveCount(team.grantIds)).toBe(30);
    expect(await demo.db.user.count({ where: { email: { in: team.emails }, lifecycleState: "ACTIVE" } })).toBe(30);
    expect(await demo.db.outboxEvent.count({ where: { name: "provisioning/grant.revoke-requested" } })).toBe(0);

    const hold = await demo.db.revocationHold.findFirstOrThrow({ where: { source: "csv" }, include: { items: true } });
    holdId = hold.id;
    expect(hold.status).toBe("HELD");
    const detail = await getHold(demo.db, admin, { id: holdId });
    expect(detail.items.map((i) => i.person.email).sort()).toEqual([...team.emails].sort());
    for (const item of detail.items) expect(item.grants.map((g) => `${g.app} / ${g.entitlement}`)).toEqual(["GitHub / Developers"]);

    for (const to of ["admin@example.com", "rosa@example.com"]) {
      const [mail] = await listDevMail(demo.db, to);
      expect(mail?.subject).toBe("Held: HR CSV upload by admin@example.com would revoke access from 30 people");
      for (const email of team.emails) expect(mail?.text).toContain(`<${email}>: GitHub / Developers`);
      expect(mail?.text).toContain(`/admin/revocations?hold=${holdId}`);
    }
    expect((await audits(holdId)).map((a) => a.action)).toEqual(["revocation.held"]);
  }, 60_000);

  it("uploaded again, adds nobody a second time and still revokes nothing", async () => {
    const report = await importHrCsv(demo.db, admin, { csv: terminating(team.emails.slice(0, 3)) });
    expect(report.counts).toMatchObject({ held: 3, terminated: 0 });
    expect(await demo.db.revocationHoldItem.count({ where: { holdId } })).toBe(30);
    expect(await liveCount(team.grantIds)).toBe(30);
  });

  it("Confirm revokes exactly the held grants, and terminates those people, audited", async () => {
    // Access granted after the hold is not part of what the admin saw, so Confirm leaves it alone.
    const later = await demo.db.grant.create({ data: { userId: team.people[0]!.id, entitlementId: (await demo.entitlement("figma", "Viewer")).id, status: "PROVISIONED" } });
    const result = await confirmHold(demo.db, admin, { id: holdId, note: "The reorg is real." });
    expect(result).toMatchObject({ status: "CONFIRMED", people: 30, grantsRevoked: 30 });
    expect(await liveCount(team.grantIds)).toBe(0);
    expect(await demo.db.grant.count({ where: { id: { in: team.grantIds }, status: "DELETING", revokeReason: "leaver" } })).toBe(30);
    expect(await demo.db.user.count({ where: { email: { in: team.emails }, lifecycleState: "TERMINATED" } })).toBe(30);
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: later.id } })).status).toBe("PROVISIONED");
    expect(await audits(holdId)).toEqual([
      { action: "revocation.held", actorId: admin.id },
      { action: "revocation.confirmed", actorId: admin.id },
    ]);
    await expect(confirmHold(demo.db, admin, { id: holdId })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(rejectHold(demo.db, admin, { id: holdId })).rejects.toMatchObject({ code: "CONFLICT" });
  }, 60_000);
});

describe("Reject", () => {
  it("revokes nothing and terminates nobody, audited", async () => {
    const team = await staff("keeper", 15, "figma", "Editor");
    const report = await importHrCsv(demo.db, admin, { csv: terminating(team.emails) });
    expect(report.counts).toMatchObject({ held: 15, terminated: 0 });
    const hold = await demo.db.revocationHold.findFirstOrThrow({ where: { status: "HELD" } });
    expect(hold.reason).toMatch(/Figma: 15 people/);
    await expect(rejectHold(demo.db, await demo.actor("erin"), { id: hold.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await rejectHold(demo.db, admin, { id: hold.id, note: "Wrong file." })).toMatchObject({ status: "REJECTED", people: 15 });
    expect(await liveCount(team.grantIds)).toBe(15);
    expect(await demo.db.user.count({ where: { email: { in: team.emails }, lifecycleState: "ACTIVE" } })).toBe(15);
    expect((await audits(hold.id)).map((a) => a.action)).toEqual(["revocation.held", "revocation.rejected"]);
  }, 60_000);
});

describe("leavers one at a time", () => {
  it("are never held, by an admin or in a small upload", async () => {
    const team = await staff("single", 2, "aws", "Billing Viewer");
    const holds = await demo.db.revocationHold.count();
    await setLifecycleState(demo.db, admin, { userId: team.people[0]!.id, state: "TERMINATED", reason: "Left for another company." });
    const report = await importHrCsv(demo.db, admin, { csv: terminating([team.emails[1]!]) });
    expect(report.counts).toMatchObject({ terminated: 1, held: 0 });
    expect(await liveCount(team.grantIds)).toBe(0);
    expect(await demo.db.revocationHold.count()).toBe(holds);
  }, 60_000);
});

describe("SCIM leavers in a burst", () => {
  it("go through up to the threshold, then wait in one hold", async () => {
    const team = await staff("burst", 13, "salesforce", "Read Only");
    const rows = [];
    for (const [i, email] of team.emails.entries()) {
      const { rows: [row] } = await applyHrRecords(demo.db, [{ email, status: "terminated", userId: team.people.find((p) => p.email === email)!.id }], { actorId: null, source: "scim" });
      rows.push(`${i}:${row!.outcome}`);
    }
    expect(rows).toEqual(team.emails.map((_, i) => `${i}:${i < 10 ? "terminated" : "held"}`));
    const hold = await demo.db.revocationHold.findFirstOrThrow({ where: { source: "scim", status: "HELD" }, include: { items: true } });
    expect(hold.items).toHaveLength(3);
    expect(await liveCount(team.grantIds)).toBe(3);
  }, 60_000);
});

describe("a rule change unenrolling more than the threshold", () => {
  it("is held: everyone stays enrolled with their access until an admin confirms", async () => {
    const auto = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
    const { id: profileId } = await saveProfile(demo.db, admin, { name: "Field kit", itemIds: [(await demo.entitlement("salesforce", "Report Builder")).id], requestPolicyId: auto.id });
    const enrollmentEnt = await demo.db.entitlement.findFirstOrThrow({ where: { profileId, profileRole: "ENROLLMENT" } });
    const emails = Array.from({ length: 12 }, (_, i) => `field${i}@example.com`);
    await applyHrRecords(demo.db, emails.map((email) => ({ email, department: "Field", status: "active" })), { actorId: admin.id, source: "csv" });
    const rule = await saveRule(demo.db, admin, { profileId, name: "Field department", enabled: true, attributes: { department: ["Field"] } });
    expect(await syncProfile(demo.db, profileId, { trigger: "test" })).toMatchObject({ status: "done", enrolled: 12 });
    // Enrolled and holding the profile (as the worker and the engine would leave them).
    const enrollments = await demo.db.profileEnrollment.findMany({ where: { profileId } });
    const grantIds: string[] = [];
    for (const e of enrollments) {
      await demo.db.profileEnrollment.update({ where: { id: e.id }, data: { status: "ENROLLED" } });
      grantIds.push((await demo.db.grant.create({ data: { userId: e.userId, entitlementId: enrollmentEnt.id, status: "PROVISIONED" } })).id);
    }

    // The wrong edit: the rule now matches nobody.
    await saveRule(demo.db, admin, { id: rule.id, profileId, name: "Field department", enabled: true, attributes: { department: ["Feld"] } });
    expect(await syncProfile(demo.db, profileId, { trigger: "rule changed" })).toMatchObject({ status: "done", unenrolled: 0 });
    expect(await demo.db.profileEnrollment.count({ where: { profileId, status: "ENROLLED" } })).toBe(12);
    expect(await liveCount(grantIds)).toBe(12);
    const hold = await demo.db.revocationHold.findFirstOrThrow({ where: { source: "enrollment", profileId }, include: { items: true } });
    expect(hold.reason).toMatch(/Access profile Field kit: 12 people would lose access \(threshold 10\)/);
    expect(hold.items.map((i) => i.grantIds).flat().sort()).toEqual([...grantIds].sort());
    // A later sync keeps them while the hold waits, and holds nobody twice.
    await syncProfile(demo.db, profileId, { trigger: "sync now" });
    expect(await demo.db.revocationHoldItem.count({ where: { hold: { profileId } } })).toBe(12);
    expect(await demo.db.profileEnrollment.count({ where: { profileId, status: "ENROLLED" } })).toBe(12);

    expect(await confirmHold(demo.db, admin, { id: hold.id })).toMatchObject({ grantsRevoked: 12 });
    expect(await liveCount(grantIds)).toBe(0);
    expect(await demo.db.profileEnrollment.count({ where: { profileId, status: "UNENROLLED" } })).toBe(12);
  }, 60_000);
});

describe("an app's own threshold", () => {
  it("set by an admin, holds a smaller upload than the default would; a nonsense value is refused", async () => {
    const salesforce = await demo.db.app.findUniqueOrThrow({ where: { slug: "salesforce" } });
    await expect(updateApp(demo.db, admin, { appId: salesforce.id, revocationThreshold: 0 })).rejects.toThrow(/1 person or more/);
    await updateApp(demo.db, admin, { appId: salesforce.id, revocationThreshold: 3 });
    const team = await staff("sfleaver", 4, "salesforce", "Read Only");
    // 4 people is under the default (10), but over the app's own 3.
    const report = await importHrCsv(demo.db, admin, { csv: terminating(team.emails) });
    expect(report.counts).toMatchObject({ held: 4, terminated: 0 });
    expect(report.rows[0]!.message).toMatch(/Salesforce: 4 people would lose access \(threshold 3\)/);
    expect(await liveCount(team.grantIds)).toBe(4);
  });
});
