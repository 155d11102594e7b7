// Starts the portal for the e2e suite exactly as `npm start` does, on a fresh database: a new
// database on DATABASE_URL's server when it is set, otherwise on the tests' embedded PostgreSQL.
import { spawn } from "node:child_process";
import path from "node:path";
import { e2e } from "./settings";

async function freshDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const { ensureDatabase, dropDatabase } = await import("../prisma/tools/databases");
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const { startEmbeddedPostgres } = await import("../prisma/tools/embedded-postgres");
    const pg = await startEmbeddedPostgres({ dataDir: path.resolve(".data/pg-e2e"), port: 54331 });
    serverUrl = pg.baseUrl;
    stopServer = () => pg.stop();
  }
  const name = `portal_e2e_${process.pid}`;
  const url = await ensureDatabase(serverUrl, name);
  return { url, cleanup: async () => { await dropDatabase(serverUrl, name).catch(() => {}); await stopServer(); } };
}

async function main() {
  const db = await freshDatabase();
  const child = spawn("npx", ["tsx", "scripts/start.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(e2e.port),
      APP_URL: e2e.appUrl,
      SCIM_TARGET_PORT: String(e2e.scimPort),
      SCIM_TARGET_TOKEN: e2e.scimToken,
      INNGEST_LOCAL_PORT: String(e2e.enginePort),
      // Mail stays in the dev mailbox, where the tests read it.
      SMTP_URL: "",
      PORTAL_QUIET: "1",
    },
  });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.on("exit", (code) => void db.cleanup().finally(() => process.exit(code ?? 0)));
}

void main();
