import { expect, type Page, test } from "../test";
import { as, call as callAs, query } from "./trpc";

// Admin access follows the target group, so one admin must not be able to move an app's entitlements
// into the AWS admin group through the app's default plan or its connector's address (the demo apps
// share one SCIM target), calling the tRPC endpoints the admin pages use. Rosa is the second admin.

const ADMIN_GROUP = "aws-administrator-production";
type Result = { status: "PENDING" | "APPLIED"; message: string; changeId: string | null; id?: string };
const call = <T = Result>(page: Page, path: string, json: unknown) => callAs<T>(page, path, json);



type AdminApp = {
  id: string;
  provisioningPlan: unknown;
  owner: { id: string };
  connectors: { id: string; config: Record<string, unknown> }[];
  entitlements: { name: string; adminAccess: boolean }[];
};

test("one admin cannot route an app's entitlements into the AWS admin group by its plan or its connector's address", async ({ browser }) => {
  const alex = await as(browser, "admin@example.com");
  const aws = await query<AdminApp>(alex, "admin.app", { slug: "aws" });
  const awsTarget = aws.connectors[0]!.config.baseUrl as string;
  const slug = `shadow-${Math.random().toString(36).slice(2, 8)}`;
  const created = await call<{ id: string }>(alex, "admin.createApp", { name: slug, slug, ownerId: aws.owner.id });
  expect(created.status).toBe(200);
  const appId = created.data.id;
  // Provisioned by hand for now: a group named like AWS's admin group puts nobody into it.
  expect((await call(alex, "admin.createEntitlement", { appId, name: "Cloud admins", externalName: ADMIN_GROUP, requestable: false })).data).toMatchObject({ status: "APPLIED" });
  const elsewhere = await call(alex, "admin.saveConnector", { appId, method: "SCIM", name: "Elsewhere", config: { baseUrl: "https://scim.example.net/scim/v2", token: "t0ken" } });
  expect(elsewhere.data).toMatchObject({ status: "APPLIED" });
  expect((await call(alex, "admin.updateApp", { appId, provisioningPlan: [{ method: "SCIM", connectorId: elsewhere.data.id }] })).data).toMatchObject({ status: "APPLIED" });

  const why = `${slug} / Cloud admins would map to the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) does). A second admin must approve this before it applies.`;
  // The connector's address becomes AWS's SCIM target...
  const readdressed = await call(alex, "admin.saveConnector", { appId, id: elsewhere.data.id, method: "SCIM", name: "Elsewhere", config: { baseUrl: awsTarget, token: "t0ken" } });
  expect(readdressed.data).toMatchObject({ status: "PENDING", message: why });
  // ...or the plan switches to a connector already there.
  const there = await call(alex, "admin.saveConnector", { appId, method: "SCIM", name: "AWS target", config: { baseUrl: awsTarget, token: "t0ken" } });
  expect(there.data).toMatchObject({ status: "APPLIED" });
  const replanned = await call(alex, "admin.updateApp", { appId, provisioningPlan: [{ method: "SCIM", connectorId: there.data.id }] });
  expect(replanned.data).toMatchObject({ status: "PENDING", message: why });

  const app = await query<AdminApp>(alex, "admin.app", { slug });
  expect(app.connectors.find((c) => c.id === elsewhere.data.id)!.config.baseUrl).toBe("https://scim.example.net/scim/v2");
  expect(app.provisioningPlan).toEqual([{ method: "SCIM", connectorId: elsewhere.data.id }]);
  expect(app.entitlements.find((e) => e.name === "Cloud admins")!.adminAccess).toBe(false);
  expect((await call(alex, "policies.decideChange", { id: replanned.data.changeId, decision: "APPROVE" })).status).toBe(403);

  const rosa = await as(browser, "rosa@example.com");
  for (const id of [readdressed.data.changeId, replanned.data.changeId]) expect((await call(rosa, "policies.decideChange", { id, decision: "REJECT", note: "Not the admin group." })).status).toBe(200);
});
