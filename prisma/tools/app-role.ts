import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";
import { withServerClient } from "./databases";

// The running portal connects as a login role of its own, not as the role that owns the tables and
// runs the migrations. The owner (or a superuser) can switch the audit trail's append-only triggers
// off (`SET session_replication_role = replica`, `ALTER TABLE … DISABLE TRIGGER`, `DROP TRIGGER`);
// this role cannot: it is no superuser, owns nothing, and may only read and append to "AuditEvent".

/** The app's role. Roles are cluster-wide; its privileges are per database (grantAppPrivileges). */
export const appRoleName = "portal_app";

// Attributes the app role must have, set on creation and re-asserted on every start.
const roleAttributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

/** Tables the app may read and append to, never change: the triggers refuse it too, but the owner can drop those. */
const appendOnlyTables = ["AuditEvent"];
/** Migration bookkeeping: the app has no business there. */
const ownerOnlyTables = ["_prisma_migrations"];

export type AppConnection = {
  /** The URL the portal's processes connect with. */
  url: string;
  /** The role behind `url`; null when the portal runs as the migration role. */
  role: string | null;
  /** Set when the portal could not be separated from the migration role, saying what to do. */
  warning?: string;
};

/**
 * After migrating: the connection the running portal should use. With `appDatabaseUrl` (the
 * operator's APP_DATABASE_URL) that role gets the app's privileges on this database; otherwise the
 * `portal_app` role is created (or brought back in line) with `password`. When the migration role may
 * not manage roles, the portal runs as the migration role and `warning` says so.
 */
export async function prepareAppConnection(
  ownerUrl: string,
  options: { password: string; appDatabaseUrl?: string },
): Promise<AppConnection> {
  const owner = decodeURIComponent(new URL(ownerUrl).username);
  if (options.appDatabaseUrl) {
    const role = decodeURIComponent(new URL(options.appDatabaseUrl).username);
    if (role === owner) {
      return { url: options.appDatabaseUrl, role: null, warning: `APP_DATABASE_URL uses the migration role (${owner}): the app can switch off the audit trail's protection. Name a role of its own there.` };
    }
    const granted = await grantAppPrivileges(ownerUrl, role).then(
      () => true,
      (error: unknown) => (isPermissionError(error) ? false : Promise.reject(error)),
    );
    const problem = await checkRestricted(options.appDatabaseUrl);
    const warnings = [
      granted ? null : `could not grant ${role} the app's privileges as ${owner}; grant them by hand after each migration.`,
      problem ? `APP_DATABASE_URL's role ${role} ${problem}: the audit trail is not protected from the app.` : null,
    ].filter(Boolean);
    return { url: options.appDatabaseUrl, role, warning: warnings.length ? warnings.join(" ") : undefined };
  }
  const fallback = (why: string): AppConnection => ({
    url: ownerUrl,
    role: null,
    warning: `the app runs as the migration role ${owner}, ${why}, so it could switch off the audit trail's protection. Let ${owner} create roles (CREATEROLE), or set APP_DATABASE_URL to a role of the app's own.`,
  });
  if (owner === appRoleName) return fallback(`which has the app role's name`);
  try {
    await ensureAppRole(ownerUrl, options.password);
    await grantAppPrivileges(ownerUrl, appRoleName);
  } catch (error) {
    if (isPermissionError(error)) return fallback(`which may not create the role ${appRoleName} (${(error as Error).message})`);
    throw error;
  }
  return { url: withCredentials(ownerUrl, appRoleName, options.password), role: appRoleName };
}

/** `url` with another user and password (same host, port, database and options). */
export function withCredentials(url: string, user: string, password: string): string {
  const result = new URL(url);
  result.username = encodeURIComponent(user);
  result.password = encodeURIComponent(password);
  return result.toString();
}

/**
 * Creates the app role, or re-asserts its attributes and, when `password` no longer logs in (say the
 * file keeping it was removed), resets its password. Drops any membership that would lend it
 * another role's rights. Safe to run from several processes at once.
 */
export async function ensureAppRole(ownerUrl: string, password: string): Promise<void> {
  const role = pg.escapeIdentifier(appRoleName);
  // Sent pre-hashed, so the password itself never reaches the server's statement log.
  const secret = pg.escapeLiteral(scramVerifier(password));
  await withServerClient(ownerUrl, async (client) => {
    const created = await client.query(`CREATE ROLE ${role} ${roleAttributes} PASSWORD ${secret}`).then(
      () => true,
      (error: unknown) => (isDuplicate(error) ? false : Promise.reject(error)),
    );
    if (created) return;
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT rolcreaterole AND NOT rolreplication AND NOT rolbypassrls AS ok
       FROM pg_roles WHERE rolname = $1`,
      [appRoleName],
    );
    if (!rows[0]?.ok) await retryConcurrent(() => client.query(`ALTER ROLE ${role} ${roleAttributes}`));
    if (!(await logsIn(withCredentials(ownerUrl, appRoleName, password)))) {
      await retryConcurrent(() => client.query(`ALTER ROLE ${role} PASSWORD ${secret}`));
    }
    const memberships = await client.query<{ name: string }>(
      `SELECT r.rolname AS name FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
       WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [appRoleName],
    );
    for (const { name } of memberships.rows) {
      await client.query(`REVOKE ${pg.escapeIdentifier(name)} FROM ${role}`);
    }
  });
}

/**
 * The app's privileges on the database `ownerUrl` names, as its owner: read and write every table
 * and use every sequence, but only read and append to the append-only tables, and nothing on the
 * migration bookkeeping. Anything granted before is revoked first, so a table dropped from this
 * list loses what it had. Run after every migration (new tables get nothing by default).
 */
export async function grantAppPrivileges(ownerUrl: string, role: string): Promise<void> {
  const grantee = pg.escapeIdentifier(role);
  await withServerClient(ownerUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT current_database() AS name");
    // Public's defaults allow these already; said explicitly for a server that revoked them.
    for (const statement of [
      `GRANT CONNECT, TEMPORARY ON DATABASE ${pg.escapeIdentifier(rows[0]!.name)} TO ${grantee}`,
      `GRANT USAGE ON SCHEMA public TO ${grantee}`,
    ]) {
      await client.query(statement).catch((error: unknown) => (isPermissionError(error) ? undefined : Promise.reject(error)));
    }
    const existing = async (names: string[]) => {
      const found = await client.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)",
        [names],
      );
      return found.rows.map((row) => `public.${pg.escapeIdentifier(row.name)}`);
    };
    const appendOnly = await existing(appendOnlyTables);
    const ownerOnly = await existing(ownerOnlyTables);
    // One transaction: a portal already running on this database never sees the privileges missing.
    await client.query("BEGIN");
    try {
      await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${grantee}`);
      await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${grantee}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${grantee}`);
      // nextval() for the serial columns (the audit trail's seq among them); no setval().
      await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${grantee}`);
      if (appendOnly.length) await client.query(`REVOKE UPDATE, DELETE ON ${appendOnly.join(", ")} FROM ${grantee}`);
      if (ownerOnly.length) await client.query(`REVOKE ALL ON ${ownerOnly.join(", ")} FROM ${grantee}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  });
}

/** Why the role behind `url` could bypass the audit trail's triggers, or null when it cannot. */
async function checkRestricted(url: string): Promise<string | null> {
  return withServerClient(url, async (client) => {
    const { rows } = await client.query<{ superuser: boolean; owns: boolean }>(
      `SELECT rolsuper AS superuser,
              EXISTS (SELECT 1 FROM pg_class WHERE relname = ANY($1) AND relnamespace = 'public'::regnamespace
                      AND pg_has_role(current_user, relowner, 'USAGE')) AS owns
       FROM pg_roles WHERE rolname = current_user`,
      [appendOnlyTables],
    );
    if (rows[0]?.superuser) return "is a superuser";
    if (rows[0]?.owns) return `owns (or may act as the owner of) ${appendOnlyTables.join(", ")}`;
    return null;
  });
}

async function logsIn(url: string): Promise<boolean> {
  try {
    await withServerClient(url, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}

/**
 * The SCRAM-SHA-256 verifier Postgres stores for `password` (RFC 5802/7677, as libpq's
 * PQencryptPasswordConn makes it). The password is ASCII, so SASLprep leaves it as is.
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

const codeOf = (error: unknown) => (error as { code?: string }).code;
// 42501 insufficient_privilege.
const isPermissionError = (error: unknown) => codeOf(error) === "42501";
// Another process created it first: 42710 duplicate_object, or 23505 on pg_authid's unique index.
const isDuplicate = (error: unknown) => codeOf(error) === "42710" || codeOf(error) === "23505";

/** Two processes altering the same role at once fail with "tuple concurrently updated" (XX000): retry. */
async function retryConcurrent<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (codeOf(error) !== "XX000" || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
