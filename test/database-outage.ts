import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureDatabase } from "@/prisma/tools/databases";
import { type EmbeddedPostgresServer, freePort, startEmbeddedPostgres } from "@/prisma/tools/embedded-postgres";
import { migrateDatabase } from "@/prisma/tools/migrate";
import { sessionTokenHash } from "@/server/auth/adapter";
import { createDb } from "@/server/db";

// A PostgreSQL that a test owns and may stop and start (the embedded binaries, on a free port, in a
// throwaway data directory): the machine's own server is never touched. With one signed-in person,
// so a tRPC call goes through session lookup and a procedure like a browser's would.

export interface OwnedPostgres {
  /** The migrated portal database on it. */
  url: string;
  /** A session cookie value of the person in it. */
  sessionToken: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data. */
  close(): Promise<void>;
}

export async function startOwnedPostgres(): Promise<OwnedPostgres> {
  const dataDir = path.resolve(import.meta.dirname, `../.data/test-outage-${randomBytes(4).toString("hex")}`);
  const port = await freePort();
  let server: EmbeddedPostgresServer | null = await startEmbeddedPostgres({ dataDir, port });
  const url = await ensureDatabase(server.baseUrl, "portal");
  await migrateDatabase(url);

  const sessionToken = randomBytes(24).toString("hex");
  const setup = createDb(url, 2);
  try {
    const user = await setup.user.create({ data: { email: "outage@example.com", name: "Olive Outage" } });
    await setup.session.create({ data: { userId: user.id, sessionToken: sessionTokenHash(sessionToken), expires: new Date(Date.now() + 3_600_000) } });
  } finally {
    await setup.$disconnect();
  }

  const stop = async () => {
    await server?.stop();
    server = null;
  };
  return {
    url,
    sessionToken,
    stop,
    async start() {
      server = await startEmbeddedPostgres({ dataDir, port });
    },
    async close() {
      await stop();
      // The postgres OS user may still be releasing files for a moment after exit.
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await rm(dataDir, { recursive: true, force: true });
          return;
        } catch {
          await sleep(200);
        }
      }
    },
  };
}

/** A GET of one tRPC query procedure as the browser's client sends it, with the session cookie. */
export function trpcQuery(procedure: string, sessionToken: string): Request {
  const input = encodeURIComponent(JSON.stringify({ 0: { json: null } }));
  return new Request(`http://portal/api/trpc/${procedure}?batch=1&input=${input}`, { headers: { cookie: `authjs.session-token=${sessionToken}` } });
}
