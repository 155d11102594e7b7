import path from "node:path";
import { createDb } from "@/server/db";
import { seedDemo } from "@/prisma/seed";
import { dataDir, localSecrets } from "./lib/local-settings";

// npm run db:seed — the demo organisation (people, apps, request policies, a few weeks of history) in
// DATABASE_URL's database, migrated first with `npm run db:migrate`. Does nothing when the database
// already has people. Its apps provision to the demo SCIM target `npm start` runs (SCIM_TARGET_PORT,
// 3100 unless set); their connector settings are sealed with SECRETS_KEY, else the key in .data/ that
// `npm start` uses, so run the portal with the same one.

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to seed, e.g. postgres://postgres@127.0.0.1:5432/portal (run npm run db:migrate on it first)");
  process.exit(1);
}
if (!process.env.SECRETS_KEY) process.env.SECRETS_KEY_FILE ??= path.join(dataDir, "secrets.key");
const scim = {
  baseUrl: `http://127.0.0.1:${Number(process.env.SCIM_TARGET_PORT ?? 3100)}/scim/v2`,
  token: process.env.SCIM_TARGET_TOKEN ?? localSecrets().scimToken,
};
const db = createDb(url);
try {
  const seeded = await seedDemo(db, scim, { history: true });
  console.log(seeded ? "Seeded the demo organisation and four weeks of its history" : "The database already has people: nothing seeded");
} finally {
  await db.$disconnect();
}
