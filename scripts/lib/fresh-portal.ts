import { spawn } from "node:child_process";
import path from "node:path";
import { dropDatabase, ensureDatabase } from "@/prisma/tools/databases";
import { startEmbeddedPostgres } from "@/prisma/tools/embedded-postgres";
import { projectDir } from "./local-settings";

export type FreshPortalOptions = {
  name: string;
  port: number;
  scimPort: number;
  scimToken: string;
  enginePort: number;
  /** Embedded PostgreSQL used when DATABASE_URL is unset. */
  embedded: { dataDir: string; port: number };
  quiet?: boolean;
};

/**
 * The portal started exactly as `npm start` does, on a new empty database (on DATABASE_URL's server
 * when set, else an embedded PostgreSQL): for the e2e suite and the benchmark.
 */
export async function startFreshPortal(o: FreshPortalOptions) {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(projectDir, o.embedded.dataDir), port: o.embedded.port });
    serverUrl = pg.baseUrl;
    stopServer = () => pg.stop();
  }
  const server = serverUrl;
  const dbName = `portal_${o.name}_${process.pid}`;
  await dropDatabase(server, dbName).catch(() => {});
  const databaseUrl = await ensureDatabase(server, dbName);
  const appUrl = `http://localhost:${o.port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(o.port),
    APP_URL: appUrl,
    SCIM_TARGET_PORT: String(o.scimPort),
    SCIM_TARGET_TOKEN: o.scimToken,
    INNGEST_LOCAL_PORT: String(o.enginePort),
    PORTAL_QUIET: o.quiet === false ? "0" : "1",
  };
  // Mail stays in the dev mailbox, where tests read it.
  delete env.SMTP_URL;
  const child = spawn(process.execPath, [path.join(projectDir, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: projectDir,
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 0)));
  return {
    appUrl,
    databaseUrl,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await dropDatabase(server, dbName).catch(() => {});
      await stopServer();
    },
  };
}
