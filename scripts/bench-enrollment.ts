// Enrollment sync at scale: 100,000 generated people × 20 rules on one access profile, timed against
// a bare INSERT … SELECT of the same matches in the same run. Used by `npm run bench`; run alone with
// `DATABASE_URL=… npx tsx scripts/bench-enrollment.ts` (it adds its generated data to that database).
import { performance } from "node:perf_hooks";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

const PEOPLE = 100_000;
const RULES = 20;
const departments = Array.from({ length: 30 }, (_, i) => `Bench dept ${i}`);
const titles = Array.from({ length: 20 }, (_, i) => `Bench title ${i}`);
const locations = Array.from({ length: 10 }, (_, i) => `Bench city ${i}`);

/** Generated people (with departments, titles, locations) and grants of ten entitlements, set-based. */
async function generate(db: Db, adminId: string) {
  const app = await db.app.create({ data: { slug: `bench-${Date.now()}`, name: "Bench target", ownerId: adminId } });
  const entitlements = await Promise.all(Array.from({ length: 10 }, (_, i) => db.entitlement.create({ data: { appId: app.id, name: `Bench role ${i}`, externalName: `bench-role-${i}` } })));
  const deptIds = await Promise.all(departments.map((name) => db.department.upsert({ where: { name }, create: { name }, update: {} }).then((d) => d.id)));
  const run = Date.now().toString(36);
  await db.$executeRaw`
    INSERT INTO "User" (id, email, name, title, location, "departmentId", "createdAt", "updatedAt")
    SELECT 'bench-' || ${run} || '-' || i, 'bench' || i || '-' || ${run} || '@bench.example', 'Bench person ' || i,
           (${titles}::text[])[1 + i % ${titles.length}], (${locations}::text[])[1 + (i / 7) % ${locations.length}],
           (${deptIds}::text[])[1 + (i / 3) % ${deptIds.length}], now(), now()
    FROM generate_series(1, ${PEOPLE}) AS i`;
  const entIds = entitlements.map((e) => e.id);
  await db.$executeRaw`
    INSERT INTO "Grant" (id, "userId", "entitlementId", status, "createdAt", "updatedAt")
    SELECT 'bench-g-' || ${run} || '-' || i, 'bench-' || ${run} || '-' || i, (${entIds}::text[])[1 + i % ${entIds.length}], 'PROVISIONED', now(), now()
    FROM generate_series(1, ${PEOPLE}) AS i WHERE i % 2 = 0`;
  // As the tables would be in a running system: statistics and visibility up to date.
  await db.$executeRawUnsafe(`VACUUM ANALYZE "User"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Grant"`);
  return { entIds };
}

export async function benchEnrollmentSync(db: Db) {
  const { saveProfile } = await import("@/server/enrollment/profiles");
  const { saveRule } = await import("@/server/enrollment/rules");
  const { syncProfile, matchQuery } = await import("@/server/enrollment/sync");
  const admin = await db.user.findFirstOrThrow({ where: { isAdmin: true } });
  const actor = { id: admin.id, email: admin.email, name: admin.name, isAdmin: true };
  const t0 = performance.now();
  const { entIds } = await generate(db, admin.id);
  const generateSeconds = (performance.now() - t0) / 1000;

  const profile = await saveProfile(db, actor, { name: `Bench profile ${Date.now()}`, itemIds: [entIds[0]!] });
  // 20 rules of three kinds: department (birthright), title and location together, held entitlement.
  const specs = Array.from({ length: RULES }, (_, i) =>
    i < 10
      ? { attributes: { department: [departments[i]!, departments[i + 10]!] }, entitlementIds: [] as string[] }
      : i < 15
        ? { attributes: { title: [titles[i]!], location: [locations[i % locations.length]!] }, entitlementIds: [] as string[] }
        : { attributes: {}, entitlementIds: [entIds[i - 15]!] },
  );
  const ruleIds: string[] = [];
  for (const [i, spec] of specs.entries()) {
    ruleIds.push((await saveRule(db, actor, { profileId: profile.id, name: `Bench rule ${i + 1}`, enabled: false, ...spec })).id);
  }
  // Enabled behind the portal's back, so that no sync is queued: the bench runs and times the sync itself.
  await db.enrollmentRule.updateMany({ where: { profileId: profile.id }, data: { enabled: true } });
  const excluded = await db.entitlement.findFirstOrThrow({ where: { profileId: profile.id, profileRole: "EXCLUDED" } });

  // Baselines: one bare INSERT … SELECT of the same matches (a) into ProfileEnrollment itself, with its
  // indexes and foreign keys, for a second profile, and (b) into a plain table with a primary key only.
  const union = Prisma.join(specs.map((s, i) => matchQuery({ id: ruleIds[i]!, ...s }, ruleIds[i]!, excluded.id, null)), " UNION ALL ");
  const twin = await saveProfile(db, actor, { name: `Bench baseline ${Date.now()}`, itemIds: [entIds[0]!] });
  const a0 = performance.now();
  const baselineRows = await db.$executeRaw`
    INSERT INTO "ProfileEnrollment" (id, "profileId", "userId", "ruleId", status, "createdAt", "updatedAt")
    SELECT ${twin.id} || ':' || m.id, ${twin.id}, m.id, m.rule_id, 'PENDING', now(), now()
    FROM (SELECT DISTINCT ON (id) id, text AS rule_id FROM (${union}) AS all_matches ORDER BY id) AS m`;
  const sameTableSeconds = (performance.now() - a0) / 1000;
  await db.profileEnrollment.deleteMany({ where: { profileId: twin.id } });
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_enrollment_baseline`);
  await db.$executeRawUnsafe(`CREATE TABLE bench_enrollment_baseline (id text PRIMARY KEY, "profileId" text, "userId" text, "ruleId" text, "createdAt" timestamptz)`);
  const b0 = performance.now();
  await db.$executeRaw`
    INSERT INTO bench_enrollment_baseline SELECT ${profile.id} || ':' || m.id, ${profile.id}, m.id, m.rule_id, now()
    FROM (SELECT DISTINCT ON (id) id, text AS rule_id FROM (${union}) AS all_matches ORDER BY id) AS m`;
  const plainTableSeconds = (performance.now() - b0) / 1000;
  await db.$executeRawUnsafe(`DROP TABLE bench_enrollment_baseline`);

  const s0 = performance.now();
  const first = await syncProfile(db, profile.id, { trigger: "bench" });
  const firstSeconds = (performance.now() - s0) / 1000;
  const s1 = performance.now();
  const second = await syncProfile(db, profile.id, { trigger: "bench" });
  const secondSeconds = (performance.now() - s1) / 1000;
  if (first.status !== "done" || second.status !== "done") throw new Error("a bench sync found another one running");

  return {
    people: PEOPLE,
    rules: RULES,
    generateSeconds: Math.round(generateSeconds * 10) / 10,
    matched: first.matched,
    baselineRows,
    bareInsertSelectSeconds: { sameTable: Math.round(sameTableSeconds * 1000) / 1000, plainTable: Math.round(plainTableSeconds * 1000) / 1000 },
    firstSyncSeconds: Math.round(firstSeconds * 1000) / 1000,
    firstSyncVsBare: { sameTable: Math.round((firstSeconds / sameTableSeconds) * 100) / 100, plainTable: Math.round((firstSeconds / plainTableSeconds) * 100) / 100 },
    enrolled: first.enrolled,
    repeatSyncSeconds: Math.round(secondSeconds * 1000) / 1000,
    repeatEnrolled: second.enrolled,
    targets: { syncSeconds: 5, vsBareInsertSelect: 2 },
  };
}

if (process.argv[1]?.endsWith("bench-enrollment.ts")) {
  const { createDb } = await import("@/server/db");
  const db = createDb(process.env.DATABASE_URL!);
  console.log(JSON.stringify(await benchEnrollmentSync(db), null, 2));
  await db.$disconnect();
}
