import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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
  let postmasterPid = (): number | null => null;
  if (!serverUrl) {
    const dataDir = path.join(projectDir, o.embedded.dataDir);
    const pg = await startEmbeddedPostgres({ dataDir, port: o.embedded.port });
    // The first line of postmaster.pid (see Postgres' pidfile.h).
    postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]) || null;
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
  // As `npm start` runs it: tsx as a loader in the one process, not its CLI (a second Node process of ~45 MB).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: projectDir,
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 0)));
  return {
    appUrl,
    databaseUrl,
    exited,
    /**
     * The processes making up the stack, for measuring its memory: `npm start`'s process (the app server,
     * engine and demo SCIM target are it and its children), and the embedded PostgreSQL's postmaster
     * (null with DATABASE_URL: a server shared with others).
     */
    pids: () => ({ portal: child.pid ?? null, postgres: postmasterPid() }),
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await dropDatabase(server, dbName).catch(() => {});
      await stopServer();
    },
  };
}

/** Resolves once the portal answers its sign-in page (it may be building the app first). */
export async function waitUntilServing(appUrl: string, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(`${appUrl}/signin`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`${appUrl} did not start within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A fresh portal for running one benchmark section alone, on ports of its own (not bench's nor e2e's). */
export async function startStandalonePortal(name: string) {
  const portal = await startFreshPortal({ name, port: 3230, scimPort: 3231, scimToken: `${name}-scim-token`, enginePort: 3232, embedded: { dataDir: `.data/pg-${name}`, port: 54333 } });
  await waitUntilServing(portal.appUrl);
  return portal;
}
