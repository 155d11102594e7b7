import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const projectDir = path.resolve(import.meta.dirname, "../..");
export const dataDir = path.join(projectDir, ".data");

type LocalSecrets = { authSecret: string; scimToken: string; inngestSigningKey: string; scimInboundToken: string; appDatabasePassword: string };

const generate = (): LocalSecrets => ({
  authSecret: randomBytes(32).toString("base64url"),
  scimToken: randomBytes(16).toString("hex"),
  inngestSigningKey: `signkey-local-${randomBytes(32).toString("hex")}`,
  // The token an HR system or IdP sends to the portal's inbound SCIM endpoint (/api/scim/v2).
  scimInboundToken: randomBytes(32).toString("hex"),
  // The password of the database role the running portal connects as (prisma/tools/app-role.ts).
  appDatabasePassword: randomBytes(24).toString("hex"),
});

/**
 * Secrets a one-machine install needs, generated on first start and kept in .data/ (git-ignored) so
 * sessions, the demo SCIM target's token, the inbound SCIM token, the local engine's signing key and the app's
 * database password survive restarts.
 */
export function localSecrets(): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>) : {};
  const secrets = { ...generate(), ...saved };
  if (Object.keys(saved).length !== Object.keys(secrets).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

/**
 * One `npm start` per embedded database: a second one would adopt the first one's PostgreSQL and
 * stop it on its way out. Returns a release function; a lock left by a dead process is taken over.
 */
export function claimInstanceLock(): () => void {
  const file = path.join(dataDir, "portal.pid");
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8"));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) {
      throw new Error(`another \`npm start\` (pid ${pid}) is already running on .data/pg. Stop it first, or set DATABASE_URL.`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, String(process.pid));
  return () => {
    if (existsSync(file) && readFileSync(file, "utf8") === String(process.pid)) rmSync(file);
  };
}

/**
 * Remember the app server's pid, and stop one left behind by a launcher that was killed outright
 * (kill -9 reaches the launcher alone; its Next.js server would keep holding the port).
 */
export function replaceOrphanedServer(port: number): (pid: number) => void {
  const file = path.join(dataDir, `next-${port}.pid`);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8"));
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
    if (pid > 0 && /next/.test(cmdline)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(file, { force: true });
  }
  return (pid) => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, String(pid));
  };
}
