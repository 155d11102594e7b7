// Catalog search at scale (issue 16, goal 4): 10,000 requestable entitlements across 500 apps, loaded with
// bulk SQL into a started portal's database, searched over HTTP by 50 concurrent signed-in clients; the
// server's own time (Server-Timing of the tRPC handler) against the same search sent straight to
// PostgreSQL with pg, at the same concurrency, in the same run. Also times "popular with your team"
// (catalog.popular) for people whose departments hold 40,000 grants among those entitlements.
// Used by `npm run bench`; alone, `npx tsx scripts/bench-catalog.ts` starts a fresh portal of its own
// (ports 3230-3232, embedded PostgreSQL on 54333 unless DATABASE_URL is set).
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { sessionTokenHash } from "@/server/auth/adapter";
import { listingQuery } from "@/server/catalog/listing-sql";
import { CATALOG_PAGE_SIZE } from "@/universal/catalog/search-inputs";
import { processTree } from "./bench-memory";
import { processCpuMs } from "./lib/cpu-time";
import { startStandalonePortal } from "./lib/fresh-portal";
import { round1, summary } from "./lib/stats";

const APPS = 500;
const ENTITLEMENTS_PER_APP = 20;
const DEPARTMENTS = 20;
const PEOPLE_PER_DEPARTMENT = 100;
const GRANTS_PER_PERSON = 20;
const TARGET_P95_MS = 30;
const TARGET_RATIO = 3;
/** What people type, as in bench.ts: everything, words matching a few or many items, and nothing. */
export const CATALOG_QUERIES = ["", "git", "admin", "viewer", "aws", "design", "sales", "report", "prod", "zzz"];

const VENDORS = [
  "GitHub", "GitLab", "AWS", "Azure", "Google Cloud", "Salesforce", "HubSpot", "Figma", "Miro", "Jira",
  "Confluence", "Slack", "Zoom", "Datadog", "Grafana", "Sentry", "PagerDuty", "Snowflake", "Looker", "Tableau",
  "Workday", "Greenhouse", "Zendesk", "Intercom", "Stripe", "NetSuite", "Okta", "1Password", "Notion", "Asana",
  "Linear", "Vercel", "Cloudflare", "MongoDB Atlas", "Databricks", "dbt Cloud", "Airtable", "DocuSign", "Gong", "Outreach",
  "Marketo", "Braze", "Segment", "Amplitude", "Mixpanel", "LaunchDarkly", "CircleCI", "Jenkins", "SonarQube", "Vault",
];
const VARIANTS = ["", " EU", " US", " Sandbox", " Analytics", " Reporting", " Production", " Staging", " Legacy", " Design"];
const ROLES = [
  { name: "Administrator", risk: "HIGH", kind: "ROLE" },
  { name: "Viewer", risk: "LOW", kind: "GROUP" },
  { name: "Editor", risk: "MEDIUM", kind: "GROUP" },
  { name: "Developer", risk: "MEDIUM", kind: "GROUP" },
  { name: "Billing Viewer", risk: "LOW", kind: "ROLE" },
  { name: "Support Agent", risk: "LOW", kind: "ROLE" },
  { name: "Security Auditor", risk: "HIGH", kind: "ROLE" },
  { name: "Report Builder", risk: "LOW", kind: "GROUP" },
  { name: "Operator", risk: "MEDIUM", kind: "ROLE" },
  { name: "Sales User", risk: "LOW", kind: "GROUP" },
] as const;
const ENVIRONMENTS = ["production", "staging"];

export type CatalogBenchOptions = {
  appUrl: string;
  /** The portal's database as its owner (startFreshPortal's databaseUrl): the loader writes to it. */
  databaseUrl: string;
  clients?: number;
  requestsPerClient?: number;
  /**
   * Each client waits this long between its searches (a person typing, debounced), so the server sees
   * clients × 1000 / thinkMs searches a second; 0 sends the next search as soon as the last answered.
   */
  thinkMs?: number;
  /** The stack's processes (startFreshPortal's pids()), to report the CPU each search costs. */
  pids?: () => { portal: number | null; postgres: number | null };
};

/** CPU ms used so far by a process and its descendants; null when unknown. */
function treeCpuMs(root: number | null): number | null {
  if (!root) return null;
  return processTree([root]).reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
}

/** A small deterministic generator, so every run loads the same catalog and grants. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 500 apps of 20 entitlements, 2,000 people in 20 departments holding 20 provisioned grants each (most
 * from their department's usual set, so "popular with your team" has something to rank), and a session
 * for each of the first `sessions` people. Returns their session cookies.
 */
export async function loadCatalog(client: pg.Client, sessions: number): Promise<string[]> {
  const owner = await client.query<{ id: string }>(`SELECT id FROM "User" WHERE "isAdmin" ORDER BY email LIMIT 1`);
  const ownerId = owner.rows[0]?.id;
  if (!ownerId) throw new Error("the portal has no admin to own the benchmark's apps");
  const apps = Array.from({ length: APPS }, (_, i) => {
    const name = `${VENDORS[i % VENDORS.length]}${VARIANTS[Math.floor(i / VENDORS.length) % VARIANTS.length]}`;
    return { id: `bench-app-${i}`, slug: `bench-${i}`, name, description: `${name}: the team's workspace (benchmark app ${i})` };
  });
  await client.query(
    `INSERT INTO "App" (id, slug, name, description, "ownerId") SELECT id, slug, name, description, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, slug, name, description)`,
    [apps.map((a) => a.id), apps.map((a) => a.slug), apps.map((a) => a.name), apps.map((a) => a.description), ownerId],
  );
  const entitlements = apps.flatMap((app, i) =>
    Array.from({ length: ENTITLEMENTS_PER_APP }, (_, j) => {
      const role = ROLES[j % ROLES.length]!;
      const env = ENVIRONMENTS[Math.floor(j / ROLES.length)]!;
      return {
        id: `bench-ent-${i}-${j}`,
        appId: app.id,
        name: `${role.name} (${env})`,
        kind: role.kind,
        risk: role.risk,
        description: `${role.name} access to ${app.name} in ${env}.`,
        externalName: `${app.slug}-${role.name.toLowerCase().replace(/ /g, "-")}-${env}`,
      };
    }),
  );
  await client.query(
    `INSERT INTO "Entitlement" (id, "appId", name, kind, "riskLevel", description, "externalName")
     SELECT id, "appId", name, kind::"EntitlementKind", risk::"RiskLevel", description, "externalName"
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, "appId", name, kind, risk, description, "externalName")`,
    ["id", "appId", "name", "kind", "risk", "description", "externalName"].map((k) => entitlements.map((e) => e[k as keyof typeof e])),
  );

  const departments = Array.from({ length: DEPARTMENTS }, (_, d) => ({ id: `bench-dept-${d}`, name: `Benchmark department ${d}` }));
  await client.query(`INSERT INTO "Department" (id, name) SELECT * FROM unnest($1::text[], $2::text[])`, [departments.map((d) => d.id), departments.map((d) => d.name)]);
  const people = Array.from({ length: DEPARTMENTS * PEOPLE_PER_DEPARTMENT }, (_, i) => ({
    id: `bench-person-${i}`,
    email: `bench-person-${i}@bench.example`,
    name: `Bench Person ${i}`,
    departmentId: departments[i % DEPARTMENTS]!.id,
  }));
  await client.query(
    `INSERT INTO "User" (id, email, name, "departmentId", "updatedAt") SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [people.map((p) => p.id), people.map((p) => p.email), people.map((p) => p.name), people.map((p) => p.departmentId)],
  );
  // Each department leans on 40 entitlements; three quarters of a person's grants come from them.
  const next = random(16);
  const pick = () => Math.floor(next() * entitlements.length);
  const usual = departments.map(() => Array.from({ length: 40 }, pick));
  const grants: { userId: string; entitlementId: string }[] = [];
  people.forEach((p, i) => {
    const held = new Set<number>();
    while (held.size < GRANTS_PER_PERSON) held.add(next() < 0.75 ? usual[i % DEPARTMENTS]![Math.floor(next() * 40)]! : pick());
    for (const e of held) grants.push({ userId: p.id, entitlementId: entitlements[e]!.id });
  });
  await client.query(
    `INSERT INTO "Grant" (id, "userId", "entitlementId", status, "provisionedAt", "updatedAt")
     SELECT 'bench-grant-' || n, "userId", "entitlementId", 'PROVISIONED', now(), now() FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t("userId", "entitlementId", n)`,
    [grants.map((g) => g.userId), grants.map((g) => g.entitlementId)],
  );
  await client.query(`ANALYZE "App"; ANALYZE "Entitlement"; ANALYZE "User"; ANALYZE "Grant"; ANALYZE "Department"`);

  const tokens = Array.from({ length: sessions }, () => randomBytes(32).toString("hex"));
  await client.query(
    `INSERT INTO "Session" (id, "sessionToken", "userId", expires) SELECT 'bench-session-' || n, token, "userId", now() + interval '1 hour' FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(token, "userId", n)`,
    [tokens.map(sessionTokenHash), tokens.map((_, i) => people[i % people.length]!.id)],
  );
  return tokens.map((t) => `authjs.session-token=${t}`);
}

type Load = { clients: number; requestsPerClient: number; thinkMs: number };

/** `clients` loops, each doing `requestsPerClient` calls of `call(client, i)` with `thinkMs` between them; the ms each took. */
async function drive(load: Load, call: (client: number, i: number) => Promise<number | void>) {
  const took: number[] = [];
  const reported: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: load.clients }, async (_, c) => {
      // Clients start spread over one think time, as people do, rather than all in the same millisecond.
      if (load.thinkMs) await new Promise((r) => setTimeout(r, (c * load.thinkMs) / load.clients));
      for (let i = 0; i < load.requestsPerClient; i++) {
        const t0 = performance.now();
        const own = await call(c, i);
        took.push(performance.now() - t0);
        if (typeof own === "number") reported.push(own);
        if (load.thinkMs) await new Promise((r) => setTimeout(r, load.thinkMs));
      }
    }),
  );
  return { took, reported, perSecond: Math.round(took.length / ((performance.now() - started) / 1000)) };
}

async function trpcGet(url: string, cookie: string): Promise<number> {
  const res = await fetch(url, { headers: { cookie } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return Number(/dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN);
}

/**
 * Loads the catalog, then times catalog search over HTTP against the same search as bare SQL at the
 * bench's load (50 clients each searching every 250 ms: 200/s offered) and, unless `thinkMs` was
 * given, again with each client searching once a second (50/s); then "popular with your team".
 */
export async function benchCatalog(opts: CatalogBenchOptions) {
  const load: Load = { clients: opts.clients ?? 50, requestsPerClient: opts.requestsPerClient ?? 60, thinkMs: opts.thinkMs ?? 250 };
  const owner = new pg.Client({ connectionString: opts.databaseUrl });
  await owner.connect();
  const loadStarted = performance.now();
  let cookies: string[];
  try {
    cookies = await loadCatalog(owner, load.clients);
  } finally {
    await owner.end();
  }
  const loadSeconds = round1((performance.now() - loadStarted) / 1000);
  const query = (client: number, i: number) => CATALOG_QUERIES[(client + i) % CATALOG_QUERIES.length]!;
  const searchUrl = (q: string) => `${opts.appUrl}/api/trpc/catalog.search?input=${encodeURIComponent(JSON.stringify({ json: { q } }))}`;
  const popularUrl = `${opts.appUrl}/api/trpc/catalog.popular`;

  // Warm-up: every query once per client, so the server's code paths and PostgreSQL's caches are hot.
  await drive({ clients: load.clients, requestsPerClient: CATALOG_QUERIES.length, thinkMs: 0 }, (c, i) => trpcGet(searchUrl(query(c, i)), cookies[c]!));
  const statement = (q: string) => listingQuery({ q }, CATALOG_PAGE_SIZE + 1, 0);
  /**
   * The same search as one statement, straight to PostgreSQL over as many connections as the app's
   * pool, warmed first; the pool is closed after, so its backends' CPU is not in the next measurement.
   */
  const bareSql = async (at: Load) => {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: Number(process.env.DB_POOL_SIZE) || 30 });
    const send = async (c: number, i: number) => {
      const s = statement(query(c, i));
      await pool.query(s.text, s.values);
    };
    try {
      await drive({ clients: at.clients, requestsPerClient: CATALOG_QUERIES.length, thinkMs: 0 }, send);
      return await drive(at, send);
    } finally {
      await pool.end();
    }
  };

  /** The portal over HTTP, then bare SQL, at one load. */
  const measure = async (at: Load) => {
    const cpuBefore = opts.pids?.();
    const [appCpu0, pgCpu0] = [treeCpuMs(cpuBefore?.portal ?? null), treeCpuMs(cpuBefore?.postgres ?? null)];
    const http = await drive(at, (c, i) => trpcGet(searchUrl(query(c, i)), cookies[c]!));
    const perSearch = (before: number | null, root: number | null | undefined) => {
      const after = treeCpuMs(root ?? null);
      return before === null || after === null ? null : round1((after - before) / http.took.length);
    };
    const cpuPerSearchMs = { app: perSearch(appCpu0, cpuBefore?.portal), postgres: perSearch(pgCpu0, cpuBefore?.postgres) };
    const sql = await bareSql(at);
    const server = summary(http.reported);
    const baseline = summary(sql.took);
    const ratio = round1(server.p95Ms / baseline.p95Ms);
    return {
      load: { ...at, offeredPerSecond: at.thinkMs ? Math.round((at.clients * 1000) / at.thinkMs) : null },
      figures: { requestsPerSecond: http.perSecond, serverTime: server, roundTrip: summary(http.took), cpuPerSearchMs },
      baseline: { what: "the search's listing as one SQL statement (server/catalog/listing-sql.ts) sent with pg, same queries, concurrency and pool size", requestsPerSecond: sql.perSecond, time: baseline },
      ratio,
      pass: server.p95Ms < TARGET_P95_MS && ratio <= TARGET_RATIO,
    };
  };

  const main = await measure(load);
  const lighter = opts.thinkMs === undefined ? await measure({ ...load, thinkMs: 1000 }) : null;

  const popular = await drive({ ...load, requestsPerClient: Math.max(10, Math.round(load.requestsPerClient / 3)) }, (c) => trpcGet(popularUrl, cookies[c]!));
  return {
    goal: `catalog search: ${APPS * ENTITLEMENTS_PER_APP} entitlements across ${APPS} apps, ${load.clients} concurrent clients: server p95 under ${TARGET_P95_MS} ms and within ${TARGET_RATIO}x of the same search as bare SQL`,
    ...main,
    load: { ...main.load, loadSeconds },
    /** The same clients searching once a second each, for comparison: not the goal's load. */
    atOneSearchPerClientPerSecond: lighter,
    popularWithTeam: { requestsPerSecond: popular.perSecond, serverTime: summary(popular.reported), roundTrip: summary(popular.took), pass: summary(popular.reported).p95Ms < TARGET_P95_MS },
  };
}

if (process.argv[1]?.endsWith("bench-catalog.ts")) {
  const portal = await startStandalonePortal("bench-catalog");
  try {
    console.log(JSON.stringify({ loadAverage: os.loadavg(), ...(await benchCatalog({ appUrl: portal.appUrl, databaseUrl: portal.databaseUrl, pids: portal.pids, clients: Number(process.env.BENCH_CATALOG_CLIENTS) || undefined, thinkMs: process.env.BENCH_CATALOG_THINK_MS ? Number(process.env.BENCH_CATALOG_THINK_MS) : undefined })) }, null, 2));
  } finally {
    await portal.stop();
  }
}
