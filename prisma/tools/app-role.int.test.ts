import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localSecrets } from "@/scripts/lib/local-settings";
import { recordAudit } from "@/server/audit/record";
import { db as appDb } from "@/server/db";
import { syncProfile } from "@/server/enrollment/sync";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { createTestDatabase } from "@/test/db";
import { appRoleName, grantAppPrivileges, prepareAppConnection, withCredentials } from "./app-role";

// The audit trail's append-only triggers only protect it from a role that cannot switch them off.
// The portal connects as the role `npm start` prepares (scripts/start.ts); here it is prepared the
// same way and every attack an app-level SQL injection could try is made with its credentials.

let demo: DemoDatabase;
let appUrl: string;
let attacker: pg.Client;

beforeAll(async () => {
  demo = await demoDatabase();
  const app = await prepareAppConnection(demo.url, { password: localSecrets().appDatabasePassword });
  expect(app.warning).toBeUndefined();
  appUrl = app.url;
  // What scripts/start.ts hands the Next server: the app's db client picks it up.
  process.env.APP_DATABASE_URL = appUrl;
  attacker = await connect(appUrl);
});

afterAll(async () => {
  await attacker?.end();
  await appDb().$disconnect();
  await demo?.close();
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** The error Postgres answers `sql` with, as the app role. */
async function refusal(sql: string, client = attacker): Promise<{ code?: string; message: string }> {
  const error = await client.query(sql).then(
    () => null,
    (e: unknown) => e as { code?: string; message: string },
  );
  if (!error) throw new Error(`the app role was allowed: ${sql}`);
  return { code: error.code, message: error.message };
}

const auditRows = async () => Number((await attacker.query(`SELECT count(*) FROM "AuditEvent"`)).rows[0].count);

describe("the portal's database role", () => {
  it("is what the app's db client connects as: no superuser, owning nothing, member of no role", async () => {
    const [me] = await appDb().$queryRaw<{ user: string; superuser: boolean; createrole: boolean; createdb: boolean; bypassrls: boolean; memberships: number; owned: number }[]>`
      SELECT current_user AS "user", rolsuper AS superuser, rolcreaterole AS createrole, rolcreatedb AS createdb, rolbypassrls AS bypassrls,
             (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships,
             (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned
      FROM pg_roles r WHERE rolname = current_user`;
    expect(me).toEqual({ user: appRoleName, superuser: false, createrole: false, createdb: false, bypassrls: false, memberships: 0, owned: 0 });
  });

  it("may only read and append to the audit trail", async () => {
    const { rows } = await attacker.query<{ privilege_type: string }>(
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'AuditEvent' AND grantee = current_user ORDER BY 1`,
    );
    expect(rows.map((r) => r.privilege_type)).toEqual(["INSERT", "SELECT"]);
  });

  it("can do the app's ordinary work: a request and its audit rows, a recorded audit event, an enrollment sync", async () => {
    const before = await auditRows();
    const erin = await demo.actor("erin");
    const entitlement = await demo.entitlement("figma", "Viewer");
    const request = await createRequest(appDb(), erin, { entitlementId: entitlement.id, justification: "Reviewing the new design system." });
    expect(request.status).toBe("PENDING_APPROVAL");
    await appDb().$transaction((tx) =>
      recordAudit(tx, { actorId: erin.id, action: "test.app_role", objectType: "user", objectId: erin.id, reason: "written as the app role" }),
    );
    expect(await appDb().auditEvent.count({ where: { action: "test.app_role" } })).toBe(1);
    expect(await auditRows()).toBeGreaterThan(before + 1);

    // Temporary tables, ANALYZE of them and advisory locks (the enrollment sync uses all three).
    const kit = await appDb().accessProfile.findFirstOrThrow({ where: { name: "Sales starter kit" } });
    await appDb().enrollmentRule.updateMany({ where: { profileId: kit.id }, data: { enabled: true } });
    const sync = await syncProfile(appDb(), kit.id, { trigger: "test" });
    expect(sync).toMatchObject({ status: "done", enrolled: expect.any(Number) });
    expect(sync.status === "done" && sync.enrolled).toBeGreaterThan(0);
  });

  it("can use the local engine's tables and LISTEN/NOTIFY, as the engine and the outbox relay do", async () => {
    const runId = `run-${randomBytes(4).toString("hex")}`;
    await attacker.query(`INSERT INTO engine_runs (id, function_id, event_id, event, max_attempts) VALUES ($1, 'f', 'e', '{}'::jsonb, 1)`, [runId]);
    await attacker.query(`UPDATE engine_runs SET status = 'COMPLETED' WHERE id = $1`, [runId]);
    await attacker.query(`DELETE FROM engine_runs WHERE id = $1`, [runId]);
    const heard = new Promise((resolve) => attacker.once("notification", resolve));
    await attacker.query("LISTEN outbox_event");
    await attacker.query("SELECT pg_notify('outbox_event', 'x')");
    await expect(heard).resolves.toMatchObject({ channel: "outbox_event", payload: "x" });
    await attacker.query("UNLISTEN outbox_event");
  });

  it("cannot change or remove audit rows: UPDATE, DELETE and TRUNCATE are refused by privilege", async () => {
    const before = await auditRows();
    for (const sql of [`UPDATE "AuditEvent" SET reason = 'rewritten'`, `DELETE FROM "AuditEvent"`, `TRUNCATE "AuditEvent"`, `TRUNCATE "AuditEvent" CASCADE`]) {
      expect(await refusal(sql)).toMatchObject({ code: "42501", message: expect.stringMatching(/permission denied for table AuditEvent/) });
    }
    expect(await auditRows()).toBe(before);
  });

  it("cannot switch the append-only triggers off", async () => {
    expect(await refusal("SET session_replication_role = replica")).toMatchObject({ code: "42501", message: expect.stringMatching(/permission denied to set parameter/) });
    expect(await refusal("SET LOCAL session_replication_role = replica")).toMatchObject({ code: "42501" });
    expect(await refusal("SELECT set_config('session_replication_role', 'replica', false)")).toMatchObject({ code: "42501" });
    for (const sql of [
      `DROP TRIGGER audit_event_no_update_or_delete ON "AuditEvent"`,
      `DROP TRIGGER audit_event_no_truncate ON "AuditEvent"`,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_or_delete`,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`,
      `DROP TABLE "AuditEvent"`,
      `ALTER TABLE "AuditEvent" RENAME TO "AuditEventOld"`,
      `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
      `DROP FUNCTION audit_event_append_only() CASCADE`,
    ]) {
      // Only the owner may; replacing the function is refused already at the schema (no CREATE there).
      expect(await refusal(sql)).toMatchObject({ code: "42501", message: expect.stringMatching(/must be owner|permission denied for schema/) });
    }
    expect(await refusal(`SET ROLE ${pg.escapeIdentifier(new URL(demo.url).username)}`)).toMatchObject({ code: "42501" });
    const { rows } = await attacker.query<{ tgname: string; tgenabled: string }>(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(rows).toEqual([
      { tgname: "audit_event_no_truncate", tgenabled: "O" },
      { tgname: "audit_event_no_update_or_delete", tgenabled: "O" },
    ]);
  });

  it("cannot touch the migration history", async () => {
    expect(await refusal(`SELECT * FROM "_prisma_migrations"`)).toMatchObject({ code: "42501" });
  });
});

describe("setting the role up", () => {
  it("grants the app role on every database it is prepared for, and picks up tables added since", async () => {
    const other = await createTestDatabase();
    try {
      const app = await prepareAppConnection(other.url, { password: localSecrets().appDatabasePassword });
      const client = await connect(app.url);
      try {
        expect((await client.query(`SELECT current_user AS u, count(*)::int AS n FROM "User"`)).rows[0]).toEqual({ u: appRoleName, n: 0 });
        const owner = await connect(other.url);
        await owner.query(`CREATE TABLE later_table (id int)`).finally(() => owner.end());
        expect(await refusal(`SELECT * FROM later_table`, client)).toMatchObject({ code: "42501" });
        await grantAppPrivileges(other.url, appRoleName);
        await client.query(`INSERT INTO later_table VALUES (1)`);
      } finally {
        await client.end();
      }
    } finally {
      await other.drop();
    }
  });

  it("falls back to the migration role with a warning when it may not create roles", async () => {
    const name = `portal_t_owner_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    const admin = await connect(demo.url);
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    try {
      const ownerUrl = withCredentials(demo.url, name, password);
      const app = await prepareAppConnection(ownerUrl, { password: "unused" });
      expect(app).toMatchObject({ url: ownerUrl, role: null, warning: expect.stringMatching(/runs as the migration role .*APP_DATABASE_URL/) });
    } finally {
      await admin.query(`DROP ROLE ${name}`).finally(() => admin.end());
    }
  });

  it("grants APP_DATABASE_URL's role the app's privileges, and warns when it is the migration role", async () => {
    const name = `portal_t_app_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    const admin = await connect(demo.url);
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    try {
      const url = withCredentials(demo.url, name, password);
      expect(await prepareAppConnection(demo.url, { password: "unused", appDatabaseUrl: url })).toEqual({ url, role: name, warning: undefined });
      const client = await connect(url);
      try {
        expect(await refusal(`DELETE FROM "AuditEvent"`, client)).toMatchObject({ code: "42501" });
        expect((await client.query(`SELECT count(*)::int AS n FROM "User"`)).rows[0].n).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
      const same = await prepareAppConnection(demo.url, { password: "unused", appDatabaseUrl: demo.url });
      expect(same.warning).toMatch(/uses the migration role/);
    } finally {
      await admin.query(`DROP OWNED BY ${name}`);
      await admin.query(`DROP ROLE ${name}`).finally(() => admin.end());
    }
  });
});
