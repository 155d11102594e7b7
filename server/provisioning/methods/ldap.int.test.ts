import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeGrant } from "@/server/provisioning/revoke";
import { runPlanStep } from "@/server/provisioning/run-step";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Directory-group plan steps against a real slapd and Postgres: a membership belongs to the group's
// DN, shared by every live grant that holds it, whichever entitlement (by cn or by DN) named the group.

let demo: DemoDatabase;
let directory: LdapServer;
let appId: string;
let connectorId: string;

beforeAll(async () => {
  [demo, directory] = await Promise.all([demoDatabase(), startLdapServer()]);
  appId = (await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } })).id;
  const config = { url: directory.url, bindDN: directory.bindDN, bindPassword: directory.bindPassword, usersBaseDN: directory.peopleDN, groupsBaseDN: directory.groupsDN };
  connectorId = (await demo.db.connector.create({ data: { appId, method: "LDAP_GROUP", name: "Directory", config, backoffMs: 100 } })).id;
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await directory?.stop();
});

let people = 0;
/** A demo person who is also in the directory: their email and uid. */
async function person(key: string) {
  const actor = await demo.actor(key);
  const uid = `${key}${++people}`;
  const dn = await directory.addPerson({ uid, email: actor.email, name: actor.name ?? key });
  return { id: actor.id, email: actor.email, uid, dn };
}

async function entitlement(name: string, externalName: string) {
  const plan = [{ method: "LDAP_GROUP", connectorId }];
  return demo.db.entitlement.create({ data: { appId, name, externalName, provisioningPlan: plan } });
}

/** Provisions a new grant of the entitlement the way the plan runner does: step 0, then Provisioned. */
async function provision(userId: string, entitlementId: string) {
  const grant = await demo.db.grant.create({ data: { userId, entitlementId, status: "PROVISIONING" } });
  const result = await runPlanStep(demo.db, { grantId: grant.id, operation: "PROVISION", stepIndex: 0, attempt: 1 });
  expect(result).toMatchObject({ outcome: "done" });
  await demo.db.grant.update({ where: { id: grant.id }, data: { status: "PROVISIONED", provisionedAt: new Date() } });
  return { grantId: grant.id, detail: "detail" in result ? result.detail : "" };
}

async function revoke(grantId: string): Promise<string> {
  await revokeGrant(demo.db, { grantId, reason: "expiry" });
  const result = await runPlanStep(demo.db, { grantId, operation: "DEPROVISION", stepIndex: 0, attempt: 1 });
  expect(result).toMatchObject({ outcome: "done" });
  await demo.db.grant.update({ where: { id: grantId }, data: { status: "DEPROVISIONED" } });
  return "detail" in result ? result.detail : "";
}

const effectOf = (grantId: string) => demo.db.provisionedEffect.findFirstOrThrow({ where: { grantId } });
const statusOf = async (grantId: string) => (await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).status;

const kinds = [
  { objectClass: "groupOfNames", who: "erin", add: (cn: string) => directory.addGroup(cn), memberOf: (p: { dn: string }) => p.dn },
  { objectClass: "groupOfUniqueNames", who: "ivan", add: (cn: string) => directory.addGroup(cn, [], undefined, "groupOfUniqueNames"), memberOf: (p: { dn: string }) => p.dn },
  { objectClass: "posixGroup", who: "yuki", add: (cn: string) => directory.addPosixGroup(cn), memberOf: (p: { uid: string }) => p.uid },
] as const;

describe.each(kinds)("two entitlements naming one $objectClass, by cn and by DN", ({ objectClass, who, add, memberOf }) => {
  it("keeps the membership the portal made until the last grant that holds it is revoked", async () => {
    const cn = `tools-${objectClass.toLowerCase()}`;
    const groupDn = await add(cn);
    const byCn = await entitlement(`Tools by cn (${objectClass})`, cn);
    // Named in another case and spacing: the same group to the directory.
    const byDn = await entitlement(`Tools by DN (${objectClass})`, groupDn.toUpperCase().replace(",", ", "));
    const someone = await person(who);

    const a = await provision(someone.id, byCn.id);
    expect(a.detail).toBe(`added to directory group ${cn}`);
    const b = await provision(someone.id, byDn.id);
    // The portal's first grant put them there: the second holds the same membership, not a pre-existing one.
    expect(b.detail).toContain("through another grant");
    expect(await effectOf(b.grantId)).toMatchObject({ createdByPortal: true, reference: groupDn });
    expect(await directory.members(groupDn)).toEqual([memberOf(someone)]);

    expect(await revoke(a.grantId)).toBe(`directory group ${cn}: kept, another grant gives the same access`);
    expect(await directory.members(groupDn)).toEqual([memberOf(someone)]);
    expect(await statusOf(b.grantId)).toBe("PROVISIONED");
    expect(await effectOf(b.grantId)).toMatchObject({ createdByPortal: true, removedAt: null });

    expect(await revoke(b.grantId)).toBe(`removed from directory group ${byDn.externalName}`);
    expect(await directory.members(groupDn)).toEqual([]);
  });
});

describe("shared directory memberships", () => {
  it("revoked in the other order, the membership still goes with the last grant", async () => {
    const groupDn = await directory.addGroup("dashboards");
    const byCn = await entitlement("Dashboards by cn", "dashboards");
    const byDn = await entitlement("Dashboards by DN", groupDn);
    const tom = await person("tom");
    const a = await provision(tom.id, byCn.id);
    const b = await provision(tom.id, byDn.id);

    expect(await revoke(b.grantId)).toContain("kept, another grant gives the same access");
    expect(await directory.members(groupDn)).toEqual([tom.dn]);
    expect(await revoke(a.grantId)).toBe("removed from directory group dashboards");
    expect(await directory.members(groupDn)).toEqual([]);
  });

  it("leaves a membership that existed before any grant in place, whichever name the grants used", async () => {
    const maya = await person("maya");
    const groupDn = await directory.addGroup("warehouse", [maya.dn]);
    const byCn = await entitlement("Warehouse by cn", "warehouse");
    const byDn = await entitlement("Warehouse by DN", groupDn);

    const a = await provision(maya.id, byCn.id);
    const b = await provision(maya.id, byDn.id);
    expect(a.detail).toBe("already in directory group warehouse before the request (left in place on revoke)");
    expect(await effectOf(b.grantId)).toMatchObject({ createdByPortal: false });

    expect(await revoke(a.grantId)).toBe("directory group warehouse: membership existed before the portal granted it: left in place");
    expect(await revoke(b.grantId)).toContain("left in place");
    expect(await directory.members(groupDn)).toEqual([maya.dn]);
  });

  it("recognises a grant recorded before effects kept the group's DN (its reference is the cn)", async () => {
    const groupDn = await directory.addGroup("billing");
    const byCn = await entitlement("Billing by cn", "billing");
    const byDn = await entitlement("Billing by DN", groupDn);
    const sam = await person("sam");
    const a = await provision(sam.id, byCn.id);
    await demo.db.provisionedEffect.updateMany({ where: { grantId: a.grantId }, data: { reference: "billing" } });

    const b = await provision(sam.id, byDn.id);
    expect(await effectOf(b.grantId)).toMatchObject({ createdByPortal: true });
    await revoke(a.grantId);
    expect(await directory.members(groupDn)).toEqual([sam.dn]);
    await revoke(b.grantId);
    expect(await directory.members(groupDn)).toEqual([]);
  });

  it("does not share with another person's grant, nor with a grant that is gone", async () => {
    const groupDn = await directory.addGroup("payroll");
    const byCn = await entitlement("Payroll by cn", "payroll");
    const byDn = await entitlement("Payroll by DN", groupDn);
    const [omar, raj] = [await person("omar"), await person("raj")];
    const omars = await provision(omar.id, byCn.id);
    const rajs = await provision(raj.id, byDn.id);
    expect(await revoke(omars.grantId)).toBe("removed from directory group payroll");
    expect(await directory.members(groupDn)).toEqual([raj.dn]);

    // Raj's second grant comes after his first was revoked: nothing holds it, so it is his own addition.
    await revoke(rajs.grantId);
    const again = await provision(raj.id, byCn.id);
    expect(again.detail).toBe("added to directory group payroll");
  });

  it("fails for good, naming the class, when the entitlement names an entry that is not a group it can manage", async () => {
    const dn = await directory.addEntry(`cn=plotters,${directory.groupsDN}`, { objectClass: "organizationalRole", cn: "plotters" });
    const plotters = await entitlement("Plotters", "plotters");
    const erin = await demo.actor("erin");
    const grant = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: plotters.id, status: "PROVISIONING" } });
    const result = await runPlanStep(demo.db, { grantId: grant.id, operation: "PROVISION", stepIndex: 0, attempt: 1 });
    expect(result).toMatchObject({ outcome: "failed", retryable: false });
    expect("message" in result && result.message).toContain(`unsupported object class organizationalRole for group ${dn}`);
  });
});
