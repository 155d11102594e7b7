import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { appForAdmin, createApp, createEntitlement, listAppsForAdmin, updateApp, updateEntitlement } from "@/server/catalog/configure-apps";
import { AppError } from "@/server/errors";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const audits = (action: string, objectId: string) => demo.db.auditEvent.findMany({ where: { action, objectId }, orderBy: { seq: "asc" } });

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  return error as AppError | TRPCError;
}

describe("adding an app", () => {
  it("creates it with an empty plan, owned by the person chosen, and audits it", async () => {
    const admin = await demo.actor("admin");
    const lena = await demo.actor("lena");
    const created = await createApp(demo.db, admin, { name: "Notion", slug: "notion", description: "Team wiki.", ownerId: lena.id, deprovisionAction: "DELETE" });
    expect(created.slug).toBe("notion");

    const app = await appForAdmin(demo.db, admin, "notion");
    expect(app).toMatchObject({ name: "Notion", description: "Team wiki.", deprovisionAction: "DELETE", provisioningPlan: [], connectors: [], entitlements: [] });
    expect(app.owner.id).toBe(lena.id);
    expect((await listAppsForAdmin(demo.db, admin)).map((a) => a.slug)).toContain("notion");

    const [event] = await audits("app.created", created.id);
    expect(event).toMatchObject({ actorId: admin.id, objectType: "app", after: { name: "Notion", slug: "notion", ownerId: lena.id, deprovisionAction: "DELETE" } });
  });

  it("refuses a slug another app already uses, saying so", async () => {
    const admin = await demo.actor("admin");
    const error = await rejection(createApp(demo.db, admin, { name: "GitHub Enterprise", slug: "github", ownerId: admin.id }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "CONFLICT", message: "The slug “github” is already used by GitHub. Choose another." });
    expect(await demo.db.app.count({ where: { name: "GitHub Enterprise" } })).toBe(0);
  });

  it("keeps the access profiles slug for the system app", async () => {
    const admin = await demo.actor("admin");
    expect(await rejection(createApp(demo.db, admin, { name: "Access profiles", slug: "access-profiles", ownerId: admin.id }))).toMatchObject({ code: "CONFLICT" });
  });

  it("says which fields need fixing", async () => {
    const admin = await demo.actor("admin");
    const caller = createCaller({ db: demo.db, actor: admin });
    const error = await rejection(caller.admin.createApp({ name: "", slug: "Not A Slug", ownerId: "" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "Some fields need fixing." });
    const flattened = (error.cause as { issues: Array<{ path: string[]; message: string }> }).issues.map((i) => [i.path.join("."), i.message]);
    expect(Object.fromEntries(flattened)).toEqual({
      name: "Name the app (at least 2 characters).",
      slug: "Use lowercase letters, digits and single dashes, e.g. google-workspace.",
      ownerId: "Choose the app's owner.",
    });
  });

  it("refuses an owner id of 10,000 characters as a field to fix, before looking anyone up", async () => {
    const caller = createCaller({ db: demo.db, actor: await demo.actor("admin") });
    const error = await rejection(caller.admin.createApp({ name: "Miro", slug: "miro", ownerId: "x".repeat(10_000) }));
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const issues = (error.cause as { issues: Array<{ path: string[]; message: string }> }).issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toEqual([["ownerId", "That is not a person in the directory."]]);
  });

  it("refuses an owner who does not exist", async () => {
    const admin = await demo.actor("admin");
    expect(await rejection(createApp(demo.db, admin, { name: "Miro", slug: "miro", ownerId: "nobody" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "That person was not found. Search for the owner again.",
    });
  });
});

describe("changing an app's owner", () => {
  it("changes it and audits who it was before and after", async () => {
    const admin = await demo.actor("admin");
    const omar = await demo.actor("omar");
    const maya = await demo.actor("maya");
    const github = await appForAdmin(demo.db, admin, "github");
    expect(github.owner.id).toBe(omar.id);

    await updateApp(demo.db, admin, { appId: github.id, ownerId: maya.id });
    expect((await appForAdmin(demo.db, admin, "github")).owner.id).toBe(maya.id);
    const [event] = await audits("app.configured", github.id);
    expect(event).toMatchObject({ actorId: admin.id, objectType: "app", before: { ownerId: omar.id }, after: { ownerId: maya.id } });

    await updateApp(demo.db, admin, { appId: github.id, ownerId: omar.id });
    expect((await appForAdmin(demo.db, admin, "github")).owner.id).toBe(omar.id);
  });

  it("refuses someone who does not exist or has left", async () => {
    const admin = await demo.actor("admin");
    const github = await appForAdmin(demo.db, admin, "github");
    expect(await rejection(updateApp(demo.db, admin, { appId: github.id, ownerId: "nobody" }))).toMatchObject({ code: "BAD_REQUEST" });
    const tom = await demo.actor("tom");
    await demo.db.user.update({ where: { id: tom.id }, data: { lifecycleState: "TERMINATED" } });
    try {
      expect(await rejection(updateApp(demo.db, admin, { appId: github.id, ownerId: tom.id }))).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("has left the organisation") as string,
      });
    } finally {
      await demo.db.user.update({ where: { id: tom.id }, data: { lifecycleState: "ACTIVE" } });
    }
  });

  it("shows the app's request policy, or the global default it falls back to", async () => {
    const admin = await demo.actor("admin");
    const salesforce = await appForAdmin(demo.db, admin, "salesforce");
    expect(salesforce.requestPolicy?.name).toBe("Manager, then app owner");
    const figma = await appForAdmin(demo.db, admin, "figma");
    expect(figma.requestPolicy).toBeNull();
    expect(figma.globalPolicy?.name).toBe("Manager approval");
  });
});

describe("adding an entitlement", () => {
  it("adds it to the app and audits it", async () => {
    const admin = await demo.actor("admin");
    const notion = await appForAdmin(demo.db, admin, "notion");
    const created = await createEntitlement(demo.db, admin, { appId: notion.id, name: "Workspace member", kind: "GROUP", description: "Read and edit pages.", externalName: "members" });
    expect(created.status).toBe("APPLIED");
    const id = created.id!;

    const [entitlement] = (await appForAdmin(demo.db, admin, "notion")).entitlements;
    expect(entitlement).toMatchObject({ id, name: "Workspace member", kind: "GROUP", description: "Read and edit pages.", externalName: "members", requestable: true, riskLevel: "LOW", adminAccess: false, provisioningPlan: null });
    const [event] = await audits("entitlement.created", id);
    expect(event).toMatchObject({ actorId: admin.id, objectType: "entitlement", after: { appId: notion.id, name: "Workspace member", kind: "GROUP", externalName: "members" } });
  });

  it("refuses a name the app already has, whatever its case", async () => {
    const admin = await demo.actor("admin");
    const notion = await appForAdmin(demo.db, admin, "notion");
    expect(await rejection(createEntitlement(demo.db, admin, { appId: notion.id, name: "workspace MEMBER", externalName: "members-2" }))).toMatchObject({
      code: "CONFLICT",
      message: "Notion already has an entitlement named “workspace MEMBER”. Choose another name.",
    });
    // Another app may use the name.
    const figma = await appForAdmin(demo.db, admin, "figma");
    await createEntitlement(demo.db, admin, { appId: figma.id, name: "Workspace member", externalName: "figma-members" });
  });

  it("leaves access profiles' system app to the Profiles page", async () => {
    const admin = await demo.actor("admin");
    const system = await demo.db.app.findFirstOrThrow({ where: { isSystem: true }, include: { entitlements: { take: 1 } } });
    const message = "Access profiles are managed on the Profiles page, not here.";
    expect(await rejection(appForAdmin(demo.db, admin, system.slug))).toMatchObject({ code: "BAD_REQUEST", message });
    expect(await rejection(createEntitlement(demo.db, admin, { appId: system.id, name: "Sneaky", externalName: "x" }))).toMatchObject({ code: "BAD_REQUEST", message });
    expect(await rejection(updateEntitlement(demo.db, admin, { entitlementId: system.entitlements[0]!.id, requestable: false }))).toMatchObject({ code: "BAD_REQUEST", message });
    expect(await rejection(updateApp(demo.db, admin, { appId: system.id, ownerId: admin.id }))).toMatchObject({ code: "BAD_REQUEST", message });
  });
});

describe("who may do it", () => {
  it("refuses everyone but admins", async () => {
    const omar = await demo.actor("omar");
    const github = await appForAdmin(demo.db, await demo.actor("admin"), "github");
    const caller = createCaller({ db: demo.db, actor: omar });
    expect(await rejection(caller.admin.createApp({ name: "Shadow IT", slug: "shadow-it", ownerId: omar.id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await rejection(caller.admin.createEntitlement({ appId: github.id, name: "Shadow admins", externalName: "shadow" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await rejection(caller.admin.updateApp({ appId: github.id, ownerId: omar.id }))).toMatchObject({ code: "FORBIDDEN" });
    // The domain functions refuse too, whoever calls them.
    expect(await rejection(createApp(demo.db, omar, { name: "Shadow IT", slug: "shadow-it", ownerId: omar.id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await rejection(createEntitlement(demo.db, omar, { appId: github.id, name: "Shadow admins", externalName: "shadow" }))).toMatchObject({ code: "FORBIDDEN" });
    const anonymous = createCaller({ db: demo.db, actor: null });
    expect(await rejection(anonymous.admin.createApp({ name: "Shadow IT", slug: "shadow-it", ownerId: omar.id }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await demo.db.app.count({ where: { slug: "shadow-it" } })).toBe(0);
    expect(await demo.db.entitlement.count({ where: { name: "Shadow admins" } })).toBe(0);
  });
});

describe("a connector's typed settings form", () => {
  it("gets no secret back, only that one is set, and an empty secret field keeps it", async () => {
    const admin = createCaller({ db: demo.db, actor: await demo.actor("admin") });
    const figma = await admin.admin.app({ slug: "figma" });
    const saved = await admin.admin.saveConnector({ appId: figma.id, method: "JIRA", name: "Figma Jira", config: { baseUrl: "https://t.atlassian.net", email: "bot@example.com", apiToken: "jira-token-1", projectKey: "OPS" } });
    const shown = (await admin.admin.app({ slug: "figma" })).connectors.find((c) => c.id === saved.id)!;
    expect(shown).toMatchObject({ config: { baseUrl: "https://t.atlassian.net", email: "bot@example.com", projectKey: "OPS" }, secretsSet: ["apiToken"] });
    expect(JSON.stringify(shown)).not.toContain("jira-token-1");

    await admin.admin.saveConnector({ appId: figma.id, id: saved.id, method: "JIRA", name: "Figma Jira", config: { ...shown.config, apiToken: "", issueType: "Bug" } });
    const { openConnectorConfig } = await import("@/server/connectors/config");
    const row = await demo.db.connector.findUniqueOrThrow({ where: { id: saved.id } });
    expect(openConnectorConfig("JIRA", row.config).config).toMatchObject({ apiToken: "jira-token-1", issueType: "Bug" });
  });

  it("names each refused setting beside its field", async () => {
    const admin = createCaller({ db: demo.db, actor: await demo.actor("admin") });
    const figma = await admin.admin.app({ slug: "figma" });
    const error = await rejection(admin.admin.saveConnector({ appId: figma.id, method: "JIRA", name: "Bad Jira", config: { baseUrl: "https://t.atlassian.net", email: "not an email", apiToken: "", projectKey: "ops" } }));
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const issues = ((error as TRPCError).cause as unknown as { issues: Array<{ path: string[]; message: string }> }).issues;
    expect(Object.fromEntries(issues.map((i) => [i.path[0], i.message]))).toEqual({
      "config.email": "must be the email address of the Atlassian account that owns the API token",
      "config.apiToken": "is required (create one under Atlassian account settings → Security → API tokens)",
      "config.projectKey": "must be a Jira project key such as OPS (capital letters, digits, _)",
    });
  });
});
