import { prepareAppConnection } from "../prisma/tools/app-role";
import { migrateDatabase } from "../prisma/tools/migrate";

// npm run db:migrate — applies pending migrations to DATABASE_URL, then gives APP_DATABASE_URL's
// restricted role (when set) its privileges on the tables, new ones included.

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to migrate, e.g. postgres://postgres@127.0.0.1:5432/portal");
  process.exit(1);
}
const { applied } = await migrateDatabase(url);
for (const name of applied) console.log(`Applied migration ${name}`);
const appDatabaseUrl = process.env.APP_DATABASE_URL;
if (appDatabaseUrl) {
  const app = await prepareAppConnection(url, { password: "", appDatabaseUrl });
  if (app.warning) console.warn(`WARNING: ${app.warning}`);
  else console.log(`Granted the app role ${app.role} its privileges`);
}
