import "server-only";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";

// How long people wait for access: from a request's creation to its grant being provisioned, per UTC
// day of provisioning over the last `days` days, as median and 90th percentile (in seconds) and count.

const DAY_MS = 86_400_000;

export type AccessTimeDay = { day: string; grants: number; medianSeconds: number | null; p90Seconds: number | null };
export type AccessTime = { days: AccessTimeDay[]; total: { grants: number; medianSeconds: number | null; p90Seconds: number | null } };

type Row = { day: string | null; grants: bigint; median: number | null; p90: number | null };

/** Every day of the window (days without grants included, so the chart's axis is even), and the whole window's figures. */
export async function accessTime(db: Db, actor: Actor, now = new Date(), days = 30): Promise<AccessTime> {
  assertAdmin(actor, "see how long access takes");
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * DAY_MS);
  // GROUPING SETS: one row per day and one (day NULL) for the whole window, in one pass.
  const rows = await db.$queryRaw<Row[]>`
    SELECT to_char(date_trunc('day', g."provisionedAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
           count(*) AS grants,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM g."provisionedAt" - r."createdAt"))::float8 AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM g."provisionedAt" - r."createdAt"))::float8 AS p90
    FROM "Grant" g JOIN "AccessRequest" r ON r.id = g."requestId"
    WHERE g."provisionedAt" >= ${since} AND g."provisionedAt" <= ${now}
    GROUP BY GROUPING SETS ((1), ())`;
  const byDay = new Map(rows.filter((r) => r.day !== null).map((r) => [r.day, r]));
  const whole = rows.find((r) => r.day === null);
  const list: AccessTimeDay[] = [];
  for (let t = since.getTime(); t <= today; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const r = byDay.get(day);
    list.push({ day, grants: Number(r?.grants ?? 0), medianSeconds: r?.median ?? null, p90Seconds: r?.p90 ?? null });
  }
  return { days: list, total: { grants: Number(whole?.grants ?? 0), medianSeconds: whole?.median ?? null, p90Seconds: whole?.p90 ?? null } };
}
