import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres } from "../prisma/tools/embedded-postgres";

// Integration tests need a Postgres server; each test file creates its own database on it (test/db.ts).
// CI points DATABASE_URL at the machine's Postgres; otherwise an embedded one runs from .data/pg-test.

declare module "vitest" {
  export interface ProvidedContext {
    /** A URL to any database on the test server; see databaseUrl() for others. */
    databaseServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL) {
    project.provide("databaseServerUrl", process.env.DATABASE_URL);
    return undefined;
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.resolve(import.meta.dirname, "../.data/pg-test"),
    // Any port: a server still running from an interrupted run is reused on its own port.
    port: await freePort(),
  });
  project.provide("databaseServerUrl", server.baseUrl);
  return () => server.stop();
}
