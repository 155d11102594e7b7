import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeGroupMember } from "@/server/connectors/ldap";
import { runPlanStep } from "@/server/provisioning/run-step";
import { reconcileConnector } from "@/server/reconciliation/reconcile";
import { removeOrphan } from "@/server/reconciliation/repair";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Reconciling a real directory (slapd): group members by DN (groupOfNames) and by uid (posixGroup),
// compared with the grants the portal holds for them.

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

async function person(key: string) {
  const actor = await demo.actor(key);
  const dn = await directory.addPerson({ uid: key, email: actor.email, name: actor.name ?? key });
  return { id: actor.id, email: actor.email, uid: key, dn };
}

async function entitlement(name: string, externalName: string) {
  return demo.db.entitlement.create({ data: { appId, name, externalName, provisioningPlan: [{ method: "LDAP_GROUP", connectorId }] } });
}

async function provision(userId: string, entitlementId: string) {
  const grant = await demo.db.grant.create({ data: { userId, entitlementId, status: "PROVISIONING" } });
  expect(await runPlanStep(demo.db, { grantId: grant.id, operation: "PROVISION", stepIndex: 0, attempt: 1 })).toMatchObject({ outcome: "done" });
  return demo.db.grant.update({ where: { id: grant.id }, data: { status: "PROVISIONED", provisionedAt: new Date() } });
}

const findings = async (kind: string) =>
  demo.db.reconcileFinding.findMany({ where: { connectorId, kind: kind as never, status: { in: ["OPEN", "REPAIRING"] } }, orderBy: { subjectKey: "asc" } });

describe("reconciling a directory", () => {
  it("finds missing, unmanaged and orphan memberships of groupOfNames and posixGroup groups", async () => {
    const [tom, erin, nora] = await Promise.all([person("tom"), person("erin"), person("nora")]);
    const stranger = await directory.addPerson({ uid: "stranger", email: "stranger@elsewhere.example", name: "Stranger" });
    const analysts = await directory.addGroup("analysts", [stranger]);
    await directory.addPosixGroup("ops", ["erin"]);
    const analyst = await entitlement("Analysts", "analysts");
    const ops = await entitlement("Ops", "ops");

    const tomsGrant = await provision(tom.id, analyst.id);
    const norasGrant = await provision(nora.id, analyst.id);
    // Nora's membership is removed by hand in the directory; Erin was put in ops by hand (no grant).
    const config = { url: directory.url, bindDN: directory.bindDN, bindPassword: directory.bindPassword, usersBaseDN: directory.peopleDN, groupsBaseDN: directory.groupsDN };
    expect(await removeGroupMember(config, analysts, nora.email)).toEqual({ removed: true });

    const run = await reconcileConnector(demo.db, connectorId, { trigger: "test" });
    expect(run).toMatchObject({ status: "done", counts: { MISSING: 1, UNMANAGED: 1, ORPHAN: 1, DRIFT: 0 } });
    expect((await findings("MISSING")).map((f) => f.grantId)).toEqual([norasGrant.id]);
    const [unmanaged] = await findings("UNMANAGED");
    expect(unmanaged).toMatchObject({ userId: erin.id, groupName: "ops", entitlementId: ops.id });
    const [orphan] = await findings("ORPHAN");
    expect(orphan).toMatchObject({ groupName: "analysts", detail: "Nobody in the portal has this account (member of analysts)" });
    // Tom's grant is on the directory; Nora's is not (and is being put back).
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: tomsGrant.id } })).targetState).toBe("CONFIRMED");
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: norasGrant.id } })).targetState).toBe("MISSING");
    expect(await demo.db.outboxEvent.count({ where: { name: "reconciliation/grant.repair-requested" } })).toBe(1);

    // Once the portal is authoritative, the stranger's membership leaves the group; the others stay.
    await demo.db.app.update({ where: { id: appId }, data: { portalAuthoritative: true } });
    await demo.db.reconcileFinding.update({ where: { id: orphan!.id }, data: { status: "REVOKING" } });
    expect((await removeOrphan(demo.db, orphan!.id)).summary).toMatch(/^Removed uid=stranger,/);
    expect(await directory.members(analysts)).toEqual([tom.dn]);
    expect(await demo.db.reconcileFinding.findUniqueOrThrow({ where: { id: orphan!.id } })).toMatchObject({ status: "REVOKED" });
  });
});
