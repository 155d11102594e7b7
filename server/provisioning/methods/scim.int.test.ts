import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeGrant } from "@/server/provisioning/revoke";
import { runPlanStep } from "@/server/provisioning/run-step";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// SCIM group memberships shared across entitlements: two entitlements of one app naming the same SCIM
// group (an entitlement imported from the target next to one an admin typed, say) hold one membership.

let demo: DemoDatabase;
let scim: ScimServer;

beforeAll(async () => {
  scim = await startScimServer({ groups: ["github-auditors"] });
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

async function provision(userId: string, entitlementId: string) {
  const grant = await demo.db.grant.create({ data: { userId, entitlementId, status: "PROVISIONING" } });
  expect(await runPlanStep(demo.db, { grantId: grant.id, operation: "PROVISION", stepIndex: 0, attempt: 1 })).toMatchObject({ outcome: "done" });
  await demo.db.grant.update({ where: { id: grant.id }, data: { status: "PROVISIONED", provisionedAt: new Date() } });
  return grant.id;
}

async function revoke(grantId: string): Promise<string> {
  await revokeGrant(demo.db, { grantId, reason: "expiry" });
  const result = await runPlanStep(demo.db, { grantId, operation: "DEPROVISION", stepIndex: 0, attempt: 1 });
  await demo.db.grant.update({ where: { id: grantId }, data: { status: "DEPROVISIONED" } });
  return "detail" in result ? result.detail : JSON.stringify(result);
}

describe("two entitlements naming one SCIM group", () => {
  it("keep the membership the portal made until the last grant that holds it is revoked", async () => {
    const app = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
    const [auditors, imported] = await Promise.all([
      demo.db.entitlement.create({ data: { appId: app.id, name: "Auditors", externalName: "github-auditors" } }),
      demo.db.entitlement.create({ data: { appId: app.id, name: "Auditors (imported)", externalName: "github-auditors" } }),
    ]);
    const erin = await demo.actor("erin");
    // Another grant keeps the account itself alive, so only the group membership is in question.
    const developers = await demo.entitlement("github", "Developers");
    await provision(erin.id, developers.id);

    const first = await provision(erin.id, auditors.id);
    const second = await provision(erin.id, imported.id);
    expect(scim.state.membersOf("github-auditors")).toEqual([erin.email]);

    expect(await revoke(first)).toContain("github-auditors: kept, another grant gives the same access");
    expect(scim.state.membersOf("github-auditors")).toEqual([erin.email]);
    expect(await demo.db.provisionedEffect.findFirstOrThrow({ where: { grantId: second } })).toMatchObject({ createdByPortal: true, removedAt: null });

    expect(await revoke(second)).toContain("removed from github-auditors");
    expect(scim.state.membersOf("github-auditors")).toEqual([]);
  });
});
