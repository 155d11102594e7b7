import { migrateDatabase } from "../prisma/tools/migrate";

// npm run db:migrate — applies pending migrations to DATABASE_URL.

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to migrate, e.g. postgres://postgres@127.0.0.1:5432/portal");
  process.exit(1);
}
const { applied } = await migrateDatabase(url);
for (const name of applied) console.log(`Applied migration ${name}`);
