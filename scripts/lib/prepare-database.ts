// `npm start`'s one-off database work (scripts/start.ts runs it as a child process): migrate, set up the
// role the portal connects as, and seed the demo organisation on first start. In a process of its own
// so that what it loads (the migration engine's WebAssembly, Prisma, the demo data) is given back when
// it exits, instead of staying for good in the process that runs the engine and the demo SCIM target.
// Takes its settings in PREPARE_DATABASE (JSON) and sends the result back over the IPC channel.
import type { AppConnection } from "@/prisma/tools/app-role";
import { localSecrets } from "./local-settings";

export type PrepareDatabaseInput = { databaseUrl: string; scim: { baseUrl: string; token: string } };
export type PrepareDatabaseResult = { applied: string[]; appDb: AppConnection; seeded: boolean };

async function prepareDatabase({ databaseUrl, scim }: PrepareDatabaseInput): Promise<PrepareDatabaseResult> {
  const { migrateDatabase } = await import("@/prisma/tools/migrate");
  const { applied } = await migrateDatabase(databaseUrl);
  // Migrations and the demo seed run as DATABASE_URL's role, which owns the tables; the portal's own
  // processes connect as a restricted role that cannot switch off the audit trail's protection.
  const { prepareAppConnection } = await import("@/prisma/tools/app-role");
  const appDb = await prepareAppConnection(databaseUrl, {
    password: localSecrets().appDatabasePassword,
    appDatabaseUrl: process.env.APP_DATABASE_URL || undefined,
  });
  const { createDb } = await import("@/server/db");
  const { seedDemo } = await import("@/prisma/seed");
  const db = createDb(databaseUrl);
  try {
    const seeded = await seedDemo(db, scim, { history: true });
    return { applied, appDb, seeded };
  } finally {
    await db.$disconnect();
  }
}

if (process.send) {
  const input = JSON.parse(process.env.PREPARE_DATABASE ?? "{}") as PrepareDatabaseInput;
  prepareDatabase(input).then(
    (result) => process.send!({ result }, undefined, {}, () => process.exit(0)),
    (error: unknown) => process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, undefined, {}, () => process.exit(1)),
  );
}
