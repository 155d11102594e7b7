import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as groups from "@/app/api/scim/v2/Groups/route";
import { decideStep } from "@/server/approvals/decide";
import { updateEntitlement } from "@/server/catalog/configure-apps";
import { AppError } from "@/server/errors";
import { decidePolicyChange, proposePolicyChange } from "@/server/policies/changes";
import { createRequest, previewRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// A group the identity provider pushes over SCIM changes its members without any admin, so it must
// never decide admin access: whoever approves admin access changes only with a second admin (prisma/
// seed.ts: AWS / Administrator (production) is admin access under the "Admin access" policy; Alex and
// Rosa are the admins; Erin's manager is Maya, whose manager is Alex).

const TOKEN = "pushed-groups-test-token-0123456789abcdef";
const ADMIN_GROUP = "aws-administrator-production";
let demo: DemoDatabase;
let pushedId: string;

beforeAll(async () => {
  process.env.SCIM_INBOUND_TOKEN = TOKEN;
  demo = await demoDatabase();
  // Pushed as Okta's "Push Groups" does: through the real /api/scim/v2/Groups handler.
  const members = await Promise.all(["tom", "yuki"].map(async (k) => ({ value: (await demo.actor(k)).id })));
  const response = await groups.POST(
    new Request("http://localhost:3000/api/scim/v2/Groups", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Okta Engineering", members }),
    }),
  );
  expect(response.status).toBe(201);
  pushedId = ((await response.json()) as { id: string }).id;
});
afterAll(async () => demo?.close());

const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : Promise.reject(e)));
const refusal = (policy: string, why: string) =>
  `BAD_REQUEST: The policy “${policy}” cannot use “Okta Engineering” as approvers: ${why}, and “Okta Engineering” is pushed by your identity provider over SCIM, whose membership changes never wait for a second admin. Use a portal-managed group instead.`;
const ADMIN_PROD = "it decides requests for AWS / Administrator (production), which grants admin access";
const pushedStep = () => ({ label: "Team review", mode: "ANY" as const, approvers: [{ type: "GROUP" as const, groupId: pushedId }] });
const pending = () => demo.db.policyChange.count({ where: { status: "PENDING" } });
const policy = (name: string) => demo.db.requestPolicy.findUniqueOrThrow({ where: { name } });

describe("a policy that decides admin access cannot name a pushed group", () => {
  it("refuses at once, without a pending change, to put a pushed group into the admin policy or an admin-access condition", async () => {
    const alex = await demo.actor("admin");
    const admin = await policy("Admin access");
    const before = await pending();
    const definition = { name: admin.name, description: admin.description, maxDurationDays: 30, steps: [...(admin.steps as object[]), pushedStep()] };
    expect(await outcome(proposePolicyChange(demo.db, alex, { kind: "update", policyId: admin.id, definition: definition as never }))).toBe(refusal("Admin access", ADMIN_PROD));

    const condition = { name: "Extra admin review", autoApprove: true, conditions: [{ when: { kind: "ADMIN_ACCESS" as const }, addStep: pushedStep() }] };
    expect(await outcome(proposePolicyChange(demo.db, alex, { kind: "create", definition: condition }))).toBe(
      refusal("Extra admin review", "it adds that step when an entitlement grants admin access"),
    );
    expect(await pending()).toBe(before);
    expect(await demo.db.requestPolicy.count({ where: { name: "Extra admin review" } })).toBe(0);
    expect((await policy("Admin access")).steps).toEqual(admin.steps);

    // Where it decides no admin access, a pushed group is fine and applies at once.
    expect(await proposePolicyChange(demo.db, alex, { kind: "create", definition: { name: "Design review", steps: [pushedStep()] } })).toMatchObject({ status: "APPLIED" });
  });

  it("refuses every change that would bring a policy using a pushed group to cover admin access", async () => {
    const alex = await demo.actor("admin");
    const before = await pending();
    await proposePolicyChange(demo.db, alex, { kind: "create", definition: { name: "Team review", steps: [pushedStep()] } });
    const team = await policy("Team review");
    const editor = await demo.entitlement("figma", "Editor");
    expect(await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: editor.id }, policyId: team.id })).toMatchObject({ status: "APPLIED" });
    const editorWhy = "it decides requests for Figma / Editor, which grants admin access";
    // Flagging its entitlement admin access.
    expect(await outcome(proposePolicyChange(demo.db, alex, { kind: "risk", entitlementId: editor.id, riskLevel: "HIGH", adminAccess: true }))).toBe(refusal("Team review", editorWhy));
    // Attaching it to an admin entitlement.
    const awsAdmin = await demo.entitlement("aws", "Administrator (production)");
    expect(await outcome(proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: awsAdmin.id }, policyId: team.id }))).toBe(refusal("Team review", ADMIN_PROD));
    // Mapping an entitlement it decides onto an admin group (app configuration, not the policies page).
    const billing = await demo.entitlement("aws", "Billing Viewer");
    await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: billing.id }, policyId: team.id });
    expect(await outcome(updateEntitlement(demo.db, alex, { entitlementId: billing.id, externalName: ADMIN_GROUP }))).toBe(
      refusal("Team review", "it decides requests for AWS / Billing Viewer, which grants admin access"),
    );
    // Letting the admin entitlement fall back to it: its own policy taken away, or deleted.
    const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } });
    expect(await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "app", appId: aws.id }, policyId: team.id })).toMatchObject({ status: "APPLIED" });
    expect(await outcome(proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: awsAdmin.id }, policyId: null }))).toBe(refusal("Team review", ADMIN_PROD));
    expect(await outcome(proposePolicyChange(demo.db, alex, { kind: "delete", policyId: (await policy("Admin access")).id }))).toBe(refusal("Team review", ADMIN_PROD));

    expect(await pending()).toBe(before);
    expect(await demo.entitlement("figma", "Editor")).toMatchObject({ adminAccess: false });
    expect(await demo.entitlement("aws", "Billing Viewer")).toMatchObject({ externalName: billing.externalName });
    expect(await demo.entitlement("aws", "Administrator (production)")).toMatchObject({ requestPolicyId: (await policy("Admin access")).id });
    await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "app", appId: aws.id }, policyId: null });
  });

  it("refuses a second admin's approval when the policy came to use a pushed group while the change waited", async () => {
    const [alex, rosa] = [await demo.actor("admin"), await demo.actor("rosa")];
    const viewer = await demo.entitlement("figma", "Viewer");
    const flag = await proposePolicyChange(demo.db, alex, { kind: "risk", entitlementId: viewer.id, riskLevel: "HIGH", adminAccess: true });
    expect(flag).toMatchObject({ status: "PENDING" });
    // Not admin access yet, so one admin may do this alone.
    await proposePolicyChange(demo.db, alex, { kind: "create", definition: { name: "Viewer review", steps: [pushedStep()] } });
    const team = await policy("Viewer review");
    expect(await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: viewer.id }, policyId: team.id })).toMatchObject({ status: "APPLIED" });

    expect(await outcome(decidePolicyChange(demo.db, rosa, { id: flag.changeId, decision: "APPROVE" }))).toBe(
      refusal("Viewer review", "it decides requests for Figma / Viewer, which grants admin access"),
    );
    expect(await demo.entitlement("figma", "Viewer")).toMatchObject({ adminAccess: false, riskLevel: "LOW" });
    expect(await demo.db.policyChange.findUniqueOrThrow({ where: { id: flag.changeId } })).toMatchObject({ status: "PENDING" });
    await decidePolicyChange(demo.db, rosa, { id: flag.changeId, decision: "REJECT" });
  });
});

describe("requests for admin access pass a pushed group over", () => {
  // As an older release, or a direct database edit, could have left it: the guards above never ran.
  let legacyId: string;
  beforeAll(async () => {
    const legacy = await demo.db.requestPolicy.create({ data: { name: "Legacy team review", steps: [pushedStep()] } });
    legacyId = legacy.id;
    for (const name of ["Org Owner", "Maintainers"]) await demo.db.entitlement.update({ where: { id: (await demo.entitlement("github", name)).id }, data: { requestPolicyId: legacy.id } });
  });

  it("routes the step elsewhere for admin access, and to the group's members otherwise", async () => {
    const erin = await demo.actor("erin");
    const owner = await previewRequest(demo.db, erin, { entitlementId: (await demo.entitlement("github", "Org Owner")).id });
    expect(owner.policy).toMatchObject({ id: legacyId });
    expect(owner.steps).toEqual([
      {
        label: "Team review",
        requireAll: false,
        because: null,
        approvers: [
          {
            name: "Alex Morgan",
            role: "SKIP_LEVEL",
            note: "The group “Okta Engineering” is pushed by the identity provider over SCIM, and a pushed group never approves admin access: routed to the requester's manager's manager.",
          },
        ],
      },
    ]);
    const maintainers = await previewRequest(demo.db, erin, { entitlementId: (await demo.entitlement("github", "Maintainers")).id });
    expect(maintainers.steps[0]!.approvers.map((a) => [a.name, a.role])).toEqual(expect.arrayContaining([["Tom Okafor", "GROUP"], ["Yuki Tanaka", "GROUP"]]));
  });

  it("does not let the group's members decide a pending step once the entitlement grants admin access", async () => {
    const maintainers = await demo.entitlement("github", "Maintainers");
    const { id } = await createRequest(demo.db, await demo.actor("erin"), { entitlementId: maintainers.id, justification: "Release duty this sprint." });
    const tom = await demo.actor("tom");
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id, approverId: tom.id, status: "PENDING" } });
    await demo.db.entitlement.update({ where: { id: maintainers.id }, data: { adminAccess: true } });
    expect(await outcome(decideStep(demo.db, tom, { stepId: step.id, decision: "APPROVE" }))).toBe(
      "FORBIDDEN: This request is for admin access, and “Okta Engineering” is pushed by the identity provider over SCIM, so its members cannot decide it: an admin must reassign this step.",
    );
    expect(await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).toMatchObject({ status: "PENDING" });
  });
});
