import type { PrismaClient } from "@/generated/prisma/client";
import { sealConnectorConfig } from "@/server/connectors/config";
import type { Tx } from "@/server/db";

// The demo organisation: 25 people in 4 departments, each with a manager, plus two admins; 4 apps,
// each with an owner and requestable entitlements provisioned over SCIM; request policies and
// segregation-of-duties rules, and (for `npm start`) a few weeks of history. Used by `npm start`, the
// e2e tests and the benchmark, so all three exercise the same data.

type Person = { key: string; name: string; title: string; dept?: string; manager?: string; admin?: boolean };

const departments = ["Engineering", "Sales", "Finance", "Design"];

const people: Person[] = [
  { key: "admin", name: "Alex Morgan", title: "Head of IT", admin: true },
  // The second admin: changes to policies that cover admin access need two admins.
  { key: "rosa", name: "Rosa Diaz", title: "Security Lead", admin: true, manager: "admin" },
  { key: "maya", name: "Maya Chen", title: "Engineering Manager", dept: "Engineering", manager: "admin" },
  { key: "sam", name: "Sam Rivera", title: "Sales Director", dept: "Sales", manager: "admin" },
  { key: "priya", name: "Priya Patel", title: "Finance Manager", dept: "Finance", manager: "admin" },
  { key: "jonas", name: "Jonas Berg", title: "Design Lead", dept: "Design", manager: "admin" },
  ...[
    ["erin", "Erin Walsh", "Software Engineer"],
    ["omar", "Omar Haddad", "Staff Engineer"],
    ["lena", "Lena Fischer", "Platform Lead"],
    ["tom", "Tom Okafor", "Software Engineer"],
    ["yuki", "Yuki Tanaka", "QA Engineer"],
  ].map(([key, name, title]) => ({ key: key!, name: name!, title: title!, dept: "Engineering", manager: "maya" })),
  ...[
    ["carla", "Carla Mendes", "Account Executive"],
    ["ben", "Ben Adeyemi", "Sales Engineer"],
    ["nora", "Nora Lindqvist", "Account Executive"],
    ["raj", "Raj Iyer", "Sales Operations"],
    ["zoe", "Zoe Martin", "SDR"],
  ].map(([key, name, title]) => ({ key: key!, name: name!, title: title!, dept: "Sales", manager: "sam" })),
  ...[
    ["hugo", "Hugo Laurent", "Accountant"],
    ["ines", "Ines Duarte", "Financial Analyst"],
    ["kofi", "Kofi Mensah", "Controller"],
    ["lara", "Lara Novak", "Payroll Specialist"],
    ["mia", "Mia Schultz", "FP&A Analyst"],
  ].map(([key, name, title]) => ({ key: key!, name: name!, title: title!, dept: "Finance", manager: "priya" })),
  ...[
    ["ana", "Ana Costa", "Product Designer"],
    ["felix", "Felix Wagner", "UX Researcher"],
    ["grace", "Grace Kim", "Brand Designer"],
    ["ivan", "Ivan Petrov", "Product Designer"],
    ["jade", "Jade Moreau", "Content Designer"],
  ].map(([key, name, title]) => ({ key: key!, name: name!, title: title!, dept: "Design", manager: "jonas" })),
];

const apps = [
  {
    slug: "github",
    name: "GitHub",
    description: "Source code, pull requests and CI.",
    owner: "omar",
    entitlements: [
      ["Developers", "GROUP", "Read and write to the product repositories."],
      ["Maintainers", "GROUP", "Merge to protected branches and manage releases."],
      ["Security Reviewers", "GROUP", "See security advisories and Dependabot alerts."],
      ["Org Owner", "ROLE", "Administer the organisation, billing and SSO."],
    ],
  },
  {
    slug: "salesforce",
    name: "Salesforce",
    description: "CRM: accounts, opportunities and forecasts.",
    owner: "raj",
    entitlements: [
      ["Sales User", "ROLE", "Work accounts, contacts and opportunities."],
      ["Sales Manager", "ROLE", "Forecasts and team pipeline."],
      ["Report Builder", "GROUP", "Create and share reports and dashboards."],
      ["Read Only", "ROLE", "View CRM records without editing."],
      ["System Administrator", "ROLE", "Full configuration access."],
    ],
  },
  {
    slug: "aws",
    name: "AWS",
    description: "Cloud infrastructure accounts.",
    owner: "lena",
    entitlements: [
      ["ReadOnly (production)", "ROLE", "View resources in the production account."],
      ["Developer (staging)", "ROLE", "Deploy and debug in the staging account."],
      ["Billing Viewer", "ROLE", "See cost and usage reports."],
      ["Administrator (production)", "ROLE", "Full control of the production account."],
      ["Data Analyst", "GROUP", "Query the data lake through Athena."],
      ["Security Auditor", "ROLE", "Read CloudTrail and Security Hub findings."],
    ],
  },
  {
    slug: "figma",
    name: "Figma",
    description: "Design files, prototypes and libraries.",
    owner: "jonas",
    entitlements: [
      ["Viewer", "ROLE", "View and comment on design files."],
      ["Editor", "ROLE", "Create and edit design files."],
      ["Design System Admin", "GROUP", "Publish shared component libraries."],
    ],
  },
] as const;

export const demoEmail = (key: string) => `${key}@example.com`;

/** Works Figma's manual provisioning tasks in the demo. */
export const figmaProvisioner = "ivan";

/** Create the demo organisation when the database holds no people. Returns false when it did nothing. */
export async function seedDemo(db: PrismaClient, scim: { baseUrl: string; token: string }, options: { history?: boolean } = {}): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  await db.$transaction(async (tx) => {
    const deptIds = new Map<string, string>();
    for (const name of departments) deptIds.set(name, (await tx.department.create({ data: { name } })).id);
    const userIds = new Map<string, string>();
    // People are listed managers-first, so each manager exists before their reports.
    for (const p of people) {
      const user = await tx.user.create({
        data: {
          email: demoEmail(p.key),
          name: p.name,
          title: p.title,
          isAdmin: p.admin === true,
          departmentId: p.dept ? deptIds.get(p.dept) : undefined,
          managerId: p.manager ? userIds.get(p.manager) : undefined,
        },
      });
      userIds.set(p.key, user.id);
    }
    for (const app of apps) {
      const created = await tx.app.create({
        data: {
          slug: app.slug,
          name: app.name,
          description: app.description,
          ownerId: userIds.get(app.owner)!,
          deprovisionAction: "SUSPEND",
          entitlements: {
            create: app.entitlements.map(([name, kind, description]) => ({
              name,
              kind,
              description,
              externalName: `${app.slug}-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/(^-|-$)/g, "")}`,
            })),
          },
        },
      });
      // Figma has no API in the demo: a provisioner does it by hand, so the task queue has work.
      if (app.slug === "figma") {
        await tx.app.update({ where: { id: created.id }, data: { provisioningPlan: [{ method: "MANUAL" }] } });
        await tx.appProvisioner.create({ data: { appId: created.id, userId: userIds.get(figmaProvisioner)! } });
        continue;
      }
      const connector = await tx.connector.create({
        // Its token sealed, as the admin pages store it (server/security/secrets.ts).
        data: { appId: created.id, method: "SCIM", name: `${app.name} SCIM`, config: sealConnectorConfig("SCIM", scim), importGroups: false },
      });
      await tx.app.update({ where: { id: created.id }, data: { provisioningPlan: [{ method: "SCIM", connectorId: connector.id }] } });
    }
    // Security answers for AWS's audit role in access reviews that ask for the entitlement's owner; the rest
    // of AWS is its owner's.
    await tx.entitlement.updateMany({ where: { app: { slug: "aws" }, name: "Security Auditor" }, data: { ownerId: userIds.get("rosa")! } });
    await seedPolicies(tx, userIds);
    // Four weeks of past requests, decisions, a failure and its fix, and manual tasks: for `npm start`
    // and the e2e suite, so every page shows something on first start. Integration tests start clean.
    if (options.history) await (await import("@/prisma/seed-history")).seedHistory(tx, {
      user: (key) => userIds.get(key)!,
      entitlement: (app, name) => tx.entitlement.findFirstOrThrow({ where: { app: { slug: app }, name }, select: { id: true, externalName: true } }),
    });
    await seedProfiles(tx, userIds);
    // A few hundred statements: on a busy two-core machine they can outlast Prisma's 5 s default.
  }, { timeout: 60_000 });
  return true;
}

/** Entitlements that grant admin rights: high risk, and their policies need two admins to change. */
const adminEntitlements = [
  ["github", "Org Owner"],
  ["salesforce", "System Administrator"],
  ["aws", "Administrator (production)"],
] as const;

/**
 * Demo request policies: the global default asks the manager (and security for high-risk access);
 * Salesforce asks the manager, then the app owner; admin access needs three steps and ends within 30
 * days; Salesforce read-only is approved at once. Two segregation-of-duties rules.
 */
async function seedPolicies(tx: Tx, userIds: Map<string, string>) {
  const entitlement = (app: string, name: string) => tx.entitlement.findFirstOrThrow({ where: { app: { slug: app }, name }, select: { id: true, appId: true } });
  const security = await tx.userGroup.create({
    data: { name: "Security team", description: "Reviews high-risk and admin access.", members: { create: ["rosa", "lena"].map((k) => ({ userId: userIds.get(k)! })) } },
  });
  const securityReview = { label: "Security review", mode: "ANY", approvers: [{ type: "GROUP", groupId: security.id }] };
  const managerApproval = await tx.requestPolicy.create({
    data: {
      name: "Manager approval",
      description: "The requester's manager approves. High-risk access also needs the security team.",
      steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }],
      conditions: [{ when: { kind: "HIGH_RISK" }, addStep: securityReview }],
    },
  });
  await tx.portalSetting.create({ data: { id: 1, globalPolicyId: managerApproval.id } });
  const twoStep = await tx.requestPolicy.create({
    data: {
      name: "Manager, then app owner",
      description: "The manager confirms the need; the app owner confirms the access fits.",
      steps: [
        { label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] },
        { label: "App owner", mode: "ANY", approvers: [{ type: "APP_OWNER" }] },
      ],
    },
  });
  await tx.app.update({ where: { slug: "salesforce" }, data: { requestPolicyId: twoStep.id } });
  const adminAccess = await tx.requestPolicy.create({
    data: {
      name: "Admin access",
      description: "Administrative rights: manager, app owner, then both security reviewers. At most 30 days at a time.",
      maxDurationDays: 30,
      steps: [
        { label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] },
        { label: "App owner", mode: "ANY", approvers: [{ type: "APP_OWNER" }] },
        { ...securityReview, mode: "ALL" },
      ],
    },
  });
  for (const [app, name] of adminEntitlements) {
    const e = await entitlement(app, name);
    await tx.entitlement.update({ where: { id: e.id }, data: { riskLevel: "HIGH", adminAccess: true, requestPolicyId: adminAccess.id } });
  }
  await tx.entitlement.update({ where: { id: (await entitlement("aws", "Security Auditor")).id }, data: { riskLevel: "HIGH" } });
  const auto = await tx.requestPolicy.create({
    data: { name: "Auto-approve (low risk)", description: "Read-only access: granted as soon as it is asked for.", autoApprove: true },
  });
  await tx.entitlement.update({ where: { id: (await entitlement("salesforce", "Read Only")).id }, data: { requestPolicyId: auto.id } });

  const sod = async (name: string, description: string, action: "BLOCK" | "EXCEPTION", items: [string, string][], exceptionApprover?: string) =>
    tx.sodRule.create({
      data: {
        name,
        description,
        action,
        exceptionApproverId: exceptionApprover ? userIds.get(exceptionApprover)! : null,
        entitlements: { create: await Promise.all(items.map(async ([app, e]) => ({ entitlementId: (await entitlement(app, e)).id }))) },
      },
    });
  await sod("Audit and administer production", "Whoever audits production must not also administer it.", "BLOCK", [
    ["aws", "Security Auditor"],
    ["aws", "Administrator (production)"],
  ]);
  await sod(
    "Merge and triage security advisories",
    "A maintainer who also sees security advisories could fix and ship quietly; the security lead signs off on exceptions.",
    "EXCEPTION",
    [
      ["github", "Maintainers"],
      ["github", "Security Reviewers"],
    ],
    "rosa",
  );
}

/**
 * A demo access profile: what a new salesperson needs, with a rule for the Sales department saved
 * disabled (enabling it in the admin enrolls the team; the dry run shows who first).
 */
async function seedProfiles(tx: Tx, userIds: Map<string, string>) {
  const { saveProfileTx } = await import("@/server/enrollment/profiles");
  const item = async (app: string, name: string) => (await tx.entitlement.findFirstOrThrow({ where: { app: { slug: app }, name } })).id;
  const { id } = await saveProfileTx(tx, userIds.get("admin")!, {
    name: "Sales starter kit",
    description: "CRM access for a new member of the sales team.",
    itemIds: [await item("salesforce", "Sales User"), await item("salesforce", "Read Only"), await item("salesforce", "Report Builder")],
  });
  await tx.enrollmentRule.create({ data: { profileId: id, name: "Sales department", enabled: false, attributes: { department: ["Sales"] } } });
}
