// `npm start`: everything the portal needs on one machine, in one command.
// 1. a database (embedded PostgreSQL in .data/pg unless DATABASE_URL is set), migrated;
// 2. the demo SCIM target the demo apps provision into, and the demo organisation on first start;
// 3. a production build of the app when the sources changed, served by `next start`;
// 4. the local Inngest engine, which runs the app's background functions.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { buildIfStale, generatePrismaClient } from "./lib/build";
import type { PrepareDatabaseInput, PrepareDatabaseResult } from "./lib/prepare-database";
import { claimInstanceLock, dataDir, localSecrets, projectDir, replaceOrphanedServer } from "./lib/local-settings";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const enginePort = Number(process.env.INNGEST_LOCAL_PORT ?? 8288);
const scimPort = Number(process.env.SCIM_TARGET_PORT ?? 3100);
const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const quiet = process.env.PORTAL_QUIET === "1";
const log = (msg: string) => console.log(`[portal] ${msg}`);
// Background functions run on the local engine unless Inngest is configured (its event key).
const localEngine = !process.env.INNGEST_EVENT_KEY;
// The local engine takes events only with this key; a new one each start, shared with the app below.
const localEventKey = randomBytes(24).toString("hex");

const stops: (() => Promise<unknown>)[] = [];
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.error(e));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

/** Without SMTP_URL the dev mailbox shows everyone's sign-in links: only safe when nobody else can reach the app. */
function refuseUnsafeHost() {
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(host);
  if (loopback || process.env.SMTP_URL) return;
  throw new Error(`HOST=${host} would expose the portal beyond this machine, but without SMTP_URL the dev mailbox would show everyone's sign-in links. Set SMTP_URL, or keep HOST=127.0.0.1 (the default).`);
}

async function main() {
  const started = Date.now();
  if (process.env.APP_ENV === "production" && localEngine) {
    throw new Error("APP_ENV=production runs the background functions on Inngest: set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (the local engine is for one machine and tests).");
  }
  refuseUnsafeHost();
  const secrets = localSecrets();
  process.env.AUTH_SECRET ??= secrets.authSecret;
  process.env.SCIM_INBOUND_TOKEN ??= secrets.scimInboundToken;
  // Connector secrets are sealed with a key kept outside the database: SECRETS_KEY, else this file,
  // created on first use (by the seed below) and found by the app and engine wherever they run from.
  if (!process.env.SECRETS_KEY) process.env.SECRETS_KEY_FILE ??= path.join(dataDir, "secrets.key");
  process.env.APP_ENV ??= "development";
  process.env.APP_URL ??= `http://localhost:${port}`;

  generatePrismaClient();
  const embedded = !process.env.DATABASE_URL;
  const databaseUrl = (process.env.DATABASE_URL ||= await startEmbeddedDatabase());

  const { startScimServer } = await import("@/dev/scim-server");
  // With the embedded database the demo target keeps its accounts in .data/ too, so a restart shows the
  // same memberships the portal recorded; with DATABASE_URL (tests, benchmark) it starts empty.
  const scim = await startScimServer({
    port: scimPort,
    token: process.env.SCIM_TARGET_TOKEN ?? secrets.scimToken,
    dataFile: embedded ? path.join(dataDir, "scim-target.json") : undefined,
  });
  stops.push(() => scim.stop());

  const { applied, appDb, seeded } = await prepareDatabase({ databaseUrl, scim: { baseUrl: scim.baseUrl, token: scim.token } });
  if (applied.length) log(`applied migrations: ${applied.join(", ")}`);
  if (appDb.warning) console.warn(`[portal] WARNING: ${appDb.warning}`);
  else if (!quiet) log(`the app connects as database role ${appDb.role}`);
  if (seeded) log("seeded the demo organisation and four weeks of its history");

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    // The app never sees the migration role's credentials.
    DATABASE_URL: appDb.url,
    APP_DATABASE_URL: appDb.url,
    // With the local engine the app sends events to it and accepts only calls signed with the shared
    // key (the SDK's cloud mode); otherwise it talks to Inngest as configured.
    ...(localEngine
      ? {
          INNGEST_BASE_URL: `http://127.0.0.1:${enginePort}/`,
          INNGEST_EVENT_KEY: localEventKey,
          INNGEST_SIGNING_KEY: secrets.inngestSigningKey,
          INNGEST_DEV: "0",
        }
      : {}),
  };
  if (!dev && buildIfStale(appEnv)) log("built the app");

  // The engine keeps trying to sync until the app answers. Registered before the app, so that on the
  // way out the app stops first and hands it no new work.
  if (localEngine) {
    const { startLocalEngine } = await import("@/inngest/engine");
    const engine = await startLocalEngine({
      databaseUrl: appDb.url,
      appUrl: `http://127.0.0.1:${port}/api/inngest`,
      port: enginePort,
      eventKey: localEventKey,
      signingKey: secrets.inngestSigningKey,
      quiet,
    });
    stops.push(() => engine.stop());
  }

  const rememberServer = replaceOrphanedServer(port);
  const nextBin = path.join(projectDir, "node_modules/next/dist/bin/next");
  const next = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", String(port), "-H", host], {
    cwd: projectDir,
    // Not the build's settings: `next build` type-checks the whole project and needs a larger heap.
    env: dev ? appEnv : { ...appEnv, ...lowMemoryNode(appEnv) },
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
  });
  if (next.pid) rememberServer(next.pid);
  stops.push(
    () =>
      new Promise((resolve) => {
        if (next.exitCode !== null) return resolve(undefined);
        next.once("exit", resolve);
        next.kill("SIGTERM");
      }),
  );
  next.once("exit", (code) => {
    if (!stopping) {
      console.error(`[portal] the Next.js server exited (code ${code})`);
      void shutdown(code ?? 1);
    }
  });

  await waitForHttp(`http://127.0.0.1:${port}/signin`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
  Access Portal is running at ${process.env.APP_URL}  (ready in ${seconds}s)

  Sign in with a demo account, e.g. erin@example.com (employee), maya@example.com (her manager)
  or admin@example.com.${process.env.SMTP_URL ? "" : ` No mail server is set (SMTP_URL), so sign-in links
  appear in the dev mailbox: ${process.env.APP_URL}/dev/mailbox`}

  Demo SCIM target: ${scim.baseUrl}   ${localEngine ? `Local Inngest engine: http://127.0.0.1:${enginePort}` : "Background functions: on Inngest"}
  HR feed over SCIM (Okta, Entra ID): ${process.env.APP_URL}/api/scim/v2  Bearer ${process.env.SCIM_INBOUND_TOKEN}
  Press Ctrl+C to stop.
`);
}

/** The embedded PostgreSQL in .data/pg, with the portal's database: its URL. */
async function startEmbeddedDatabase(): Promise<string> {
  const { startEmbeddedPostgres } = await import("@/prisma/tools/embedded-postgres");
  const { ensureDatabase } = await import("@/prisma/tools/databases");
  const release = claimInstanceLock();
  stops.push(async () => release());
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: pgPort });
  stops.push(() => pg.stop());
  const url = await ensureDatabase(pg.baseUrl, "portal");
  log(`embedded PostgreSQL running (data in .data/pg)`);
  return url;
}

/**
 * The app server's memory settings, unless the environment sets its own: glibc's malloc keeps an arena
 * per thread and rarely gives them back (two arenas instead of up to 16), and V8 sizes its heap by its
 * limit, so a server that needs ~100 MB of heap grew to ~340 MB resident after a burst of searches and
 * stayed there; with a 512 MB limit (five times what it uses) it idles at ~260-290 MB
 * (scripts/bench-memory.ts). Young generation semi-spaces of 8 MB: at 2 MB the server spent about a
 * fifth of its CPU collecting garbage (a catalog search cost 17 ms of CPU instead of 13-15), and V8's
 * usual 16 MB held 15-30 MB more at idle than 8 MB (idle stack 481-487 MB with 8; catalog search
 * 9.3 ms of app CPU on the machine of 2026-12-05, 8.5 ms with 16 on the previous one).
 */
function lowMemoryNode(env: NodeJS.ProcessEnv): Record<string, string> {
  const flags = env.NODE_OPTIONS ?? "";
  const add = [/--max-semi-space-size/.test(flags) ? "" : "--max-semi-space-size=8", /--max-old-space-size/.test(flags) ? "" : "--max-old-space-size=512"];
  return { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2", NODE_OPTIONS: [flags, ...add].filter(Boolean).join(" ") };
}

/**
 * Migrations, the app's database role and the demo seed, in a child process (scripts/lib/prepare-database.ts):
 * the migration engine and the seed are only needed once, and a process that exits gives their memory back.
 */
function prepareDatabase(input: PrepareDatabaseInput): Promise<PrepareDatabaseResult> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectDir, "scripts/lib/prepare-database.ts")], {
    cwd: projectDir,
    env: { ...process.env, PREPARE_DATABASE: JSON.stringify(input) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let answer: { result?: PrepareDatabaseResult; error?: string } = {};
    child.on("message", (m: typeof answer) => (answer = m));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (answer.result) resolve(answer.result);
      else reject(new Error(answer.error ?? `preparing the database failed (exit ${code})`));
    });
  });
}

async function waitForHttp(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

main().catch((error: unknown) => {
  console.error("[portal] could not start:", error instanceof Error ? error.message : error);
  void shutdown(1);
});
