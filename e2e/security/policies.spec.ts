import { expect, type Page, test } from "../test";
import { as, call as callAs, query } from "./trpc";

// Attacks on request policies against the started portal, as one admin calling the tRPC endpoints
// the admin pages use: a second entitlement on the admin group of AWS, and a policy switched to
// auto-approve while a change attaching it to admin access waits for the second admin (Rosa).

const ADMIN_GROUP = "aws-administrator-production";
type Result = { status: "PENDING" | "APPLIED"; message: string; changeId: string | null; policyId?: string };
const call = <T = Result>(page: Page, path: string, json: unknown) => callAs<T>(page, path, json);



type AdminApp = { id: string; entitlements: { id: string; name: string; externalName: string; adminAccess: boolean; requestPolicy: { name: string } | null }[] };
type PendingChange = { id: string; status: string; pinned: { name: string; changedSince: boolean; definition: { autoApprove: boolean } | null }[] };
const suffix = () => Math.random().toString(36).slice(2, 8);

test("one admin cannot add an entitlement on the AWS admin group: it waits for a second admin", async ({ browser }) => {
  const alex = await as(browser, "admin@example.com");
  const aws = await query<AdminApp>(alex, "admin.app", { slug: "aws" });
  const name = `Break glass ${suffix()}`;
  const created = await call(alex, "admin.createEntitlement", { appId: aws.id, name, kind: "ROLE", externalName: ADMIN_GROUP });
  expect(created.status).toBe(200);
  expect(created.data).toMatchObject({ status: "PENDING", message: `This maps to the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) does); a second admin must approve it before it applies.` });
  expect((await query<AdminApp>(alex, "admin.app", { slug: "aws" })).entitlements.map((e) => e.name)).not.toContain(name);
  expect((await call(alex, "policies.decideChange", { id: created.data.changeId, decision: "APPROVE" })).status).toBe(403);

  // Nor move an existing entitlement onto it.
  const billing = aws.entitlements.find((e) => e.name === "Billing Viewer")!;
  const moved = await call(alex, "admin.updateEntitlement", { entitlementId: billing.id, externalName: ADMIN_GROUP });
  expect(moved.data).toMatchObject({ status: "PENDING" });
  expect((await query<AdminApp>(alex, "admin.app", { slug: "aws" })).entitlements.find((e) => e.id === billing.id)!.externalName).toBe(billing.externalName);

  const rosa = await as(browser, "rosa@example.com");
  for (const id of [created.data.changeId, moved.data.changeId]) expect((await call(rosa, "policies.decideChange", { id, decision: "REJECT", note: "Not without a ticket." })).status).toBe(200);
});

test("a policy cannot be loosened while a change attaching it to admin access waits, and a changed policy is never approved", async ({ browser }) => {
  const alex = await as(browser, "admin@example.com");
  const rosa = await as(browser, "rosa@example.com");
  const admin = (await query<AdminApp>(alex, "admin.app", { slug: "aws" })).entitlements.find((e) => e.name === "Administrator (production)")!;
  const name = `Team lead ${suffix()}`;
  const created = await call(alex, "policies.change", { kind: "create", definition: { name, steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }] } });
  expect(created.data).toMatchObject({ status: "APPLIED" });
  const policyId = created.data.policyId!;

  const attach = await call(alex, "policies.change", { kind: "attach", target: { kind: "entitlement", entitlementId: admin.id }, policyId });
  expect(attach.data).toMatchObject({ status: "PENDING" });
  const loosen = await call(alex, "policies.change", { kind: "update", policyId, definition: { name, autoApprove: true } });
  expect(loosen.data).toMatchObject({ status: "PENDING" });

  // Rosa sees the version she approves: a manager step, not auto-approval.
  const pinned = async () => (await query<{ changes: PendingChange[] }>(rosa, "policies.overview")).changes.find((c) => c.id === attach.data.changeId)!.pinned;
  expect(await pinned()).toEqual([{ policyId, name, changedSince: false, definition: expect.objectContaining({ autoApprove: false }) }]);

  // Approving the loosening first makes the attach stale: it is refused, not applied.
  expect((await call(rosa, "policies.decideChange", { id: loosen.data.changeId, decision: "APPROVE" })).status).toBe(200);
  expect((await pinned())[0]!.changedSince).toBe(true);
  const stale = await call(rosa, "policies.decideChange", { id: attach.data.changeId, decision: "APPROVE" });
  expect(stale.status).toBe(409);
  expect(stale.message).toBe(`Policy “${name}” changed since this was proposed; reject this change and propose it again.`);
  expect((await query<AdminApp>(alex, "admin.app", { slug: "aws" })).entitlements.find((e) => e.id === admin.id)!.requestPolicy?.name).toBe("Admin access");

  expect((await call(rosa, "policies.decideChange", { id: attach.data.changeId, decision: "REJECT" })).status).toBe(200);
  expect((await call(alex, "policies.change", { kind: "delete", policyId })).data).toMatchObject({ status: "APPLIED" });
});
