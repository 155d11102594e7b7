import type pg from "pg";
import { type Sql, transaction } from "./db";

// The job queue on engine_jobs. A job is claimed under a lease (locked_by/locked_until) that the worker
// renews while it works; a crashed engine's lease simply expires and another worker takes the job.
// Finishing a job deletes it inside the same transaction that writes what it produced, so its effects
// apply exactly once even when the call to the app had to be repeated.

export type JobKind = "CALL" | "SLEEP" | "WAIT_TIMEOUT";

export type Job = {
  id: string;
  runId: string;
  /** "" for discovery, else the hashed step id. */
  key: string;
  kind: JobKind;
  name: string | null;
  attempt: number;
};

/** When a job may run: now, after a delay, or at a time. */
export type When = { delayMs: number } | { at: Date };

/** Thrown inside a finishing transaction when another worker took the job over (our lease expired). */
export class LostLease extends Error {
  constructor(jobId: string) {
    super(`Lease on job ${jobId} was lost; its result is discarded`);
  }
}

// A CALL job executes the app's code, so it takes a slot in each concurrency queue of its run (see
// engine_run_concurrency); timers do not. A queue's slots in use are the CALL jobs of its runs under a live
// lease, plus the jobs this process still has in flight whose lease lapsed (the database was away).
const busyQueues = `
  SELECT fc.queue, count(*)::int AS n
  FROM engine_jobs f JOIN engine_run_concurrency fc ON fc.run_id = f.run_id
  WHERE f.kind = 'CALL' AND (f.locked_until > now() OR f.id = ANY($1::bigint[]))
  GROUP BY fc.queue`;

/** Due jobs that are not waiting for a slot: no queue of theirs is full. */
const claimable = `
  j.run_at <= now() AND (j.locked_until IS NULL OR j.locked_until < now()) AND NOT (j.id = ANY($1::bigint[]))
  AND NOT EXISTS (
    SELECT 1 FROM engine_run_concurrency c JOIN busy b ON b.queue = c.queue
    WHERE c.run_id = j.run_id AND j.kind = 'CALL' AND b.n >= c."limit")`;

/** Claims serialize on this advisory lock, so two engine processes cannot both take a queue's last slot. */
const CLAIM_LOCK = 7_246_810_551;

/**
 * Claims up to `limit` due jobs, oldest first, within the concurrency limits: a job whose queue is full
 * stays queued in its place and is taken once a slot frees. `inFlight` are this process's jobs still
 * running (never claimed twice, and still holding their slots).
 */
export async function claimJobs(
  pool: pg.Pool,
  workerId: string,
  limit: number,
  leaseMs: number,
  inFlight: string[] = [],
): Promise<Job[]> {
  return transaction(pool, async (sql) => {
    await sql.query(`SELECT pg_advisory_xact_lock($1)`, [CLAIM_LOCK]);
    const busy = new Map(
      (await sql.query(busyQueues, [inFlight])).rows.map((r: { queue: string; n: number }) => [r.queue, r.n]),
    );
    // Jobs of a queue with a free slot may still be more than its free slots: look a little further.
    const { rows } = await sql.query(
      `WITH busy AS (${busyQueues})
       SELECT j.id, (SELECT coalesce(json_agg(json_build_object('queue', c.queue, 'limit', c."limit")), '[]'::json)
                     FROM engine_run_concurrency c WHERE c.run_id = j.run_id AND j.kind = 'CALL') AS queues
       FROM engine_jobs j WHERE ${claimable}
       ORDER BY j.run_at, j.id LIMIT $2 FOR UPDATE OF j SKIP LOCKED`,
      [inFlight, Math.max(limit * 4, 50)],
    );
    const chosen: string[] = [];
    for (const row of rows as Array<{ id: string; queues: Array<{ queue: string; limit: number }> }>) {
      if (chosen.length >= limit) break;
      if (row.queues.some((q) => (busy.get(q.queue) ?? 0) >= q.limit)) continue;
      for (const q of row.queues) busy.set(q.queue, (busy.get(q.queue) ?? 0) + 1);
      chosen.push(row.id);
    }
    if (chosen.length === 0) return [];
    const claimed = await sql.query(
      `UPDATE engine_jobs SET locked_by = $1, locked_until = now() + $2 * interval '1 millisecond'
       WHERE id = ANY($3::bigint[])
       RETURNING id, run_id AS "runId", key, kind, name, attempt, run_at`,
      [workerId, leaseMs, chosen],
    );
    return (claimed.rows as Array<Job & { run_at: Date }>)
      .sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || Number(a.id) - Number(b.id))
      .map(({ run_at: _, ...job }) => job);
  });
}

/**
 * Milliseconds until the next job is due (including expiring leases), or null when the queue is empty.
 * Jobs waiting for a concurrency slot do not count: a finishing job wakes the worker, and another
 * process's within pollMs.
 */
export async function msUntilNextJob(pool: pg.Pool, inFlight: string[] = []): Promise<number | null> {
  const { rows } = await pool.query(
    `WITH busy AS (${busyQueues})
     SELECT EXTRACT(EPOCH FROM min(greatest(j.run_at, coalesce(j.locked_until, j.run_at))) - now()) * 1000 AS ms
     FROM engine_jobs j
     WHERE NOT (j.id = ANY($1::bigint[])) AND NOT EXISTS (
       SELECT 1 FROM engine_run_concurrency c JOIN busy b ON b.queue = c.queue
       WHERE c.run_id = j.run_id AND j.kind = 'CALL' AND b.n >= c."limit"
         AND (j.locked_until IS NULL OR j.locked_until < now()))`,
    [inFlight],
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(Number(ms), 0);
}

/**
 * Extends the leases of jobs in flight. A lease that lapsed while the database was unreachable is taken
 * back, unless another worker claimed the job meanwhile (that worker's result then wins: LostLease).
 */
export async function renewLeases(pool: pg.Pool, workerId: string, jobIds: string[], leaseMs: number): Promise<void> {
  if (jobIds.length === 0) return;
  await pool.query(
    `UPDATE engine_jobs SET locked_by = $2, locked_until = now() + $3 * interval '1 millisecond'
     WHERE id = ANY($1::bigint[]) AND (locked_by = $2 OR locked_until IS NULL OR locked_until < now())`,
    [jobIds, workerId, leaseMs],
  );
}

/** Gives jobs back at once (graceful stop), so the next engine need not wait for the lease to expire. */
export async function releaseJobs(pool: pg.Pool, workerId: string, jobIds?: string[]): Promise<void> {
  if (jobIds?.length === 0) return;
  await pool.query(
    `UPDATE engine_jobs SET locked_by = NULL, locked_until = NULL
     WHERE locked_by = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
    [workerId, jobIds ?? null],
  );
}

/**
 * The engine itself failed on a job (say the database refused a result): hand it back with a growing
 * delay (2 s, 4 s, … 10 min) so a persistent fault neither spins nor waits for the lease to expire.
 */
export async function retryCrashedJob(pool: pg.Pool, job: Job, workerId: string): Promise<void> {
  await pool.query(
    `UPDATE engine_jobs SET locked_by = NULL, locked_until = NULL, attempt = attempt + 1,
            run_at = now() + least(power(2, attempt + 1), 600) * interval '1 second'
     WHERE id = $1 AND locked_by = $2`,
    [job.id, workerId],
  );
}

/**
 * Removes a finished job; returns whether discovery was requested again while it ran, or null when the
 * job is gone (its run ended, or an event resolved the wait it timed). Throws LostLease when another
 * worker holds it now, which rolls the whole transaction back.
 */
export async function takeJob(sql: Sql, job: Job, workerId: string): Promise<{ again: boolean } | null> {
  // Released meanwhile (we looked gone while the database was away) but claimed by nobody: still ours.
  const { rows } = await sql.query(`DELETE FROM engine_jobs WHERE id = $1 AND (locked_by = $2 OR locked_by IS NULL) RETURNING again`, [
    job.id,
    workerId,
  ]);
  if (rows.length > 0) return { again: rows[0].again === true };
  const { rowCount } = await sql.query(`SELECT 1 FROM engine_jobs WHERE id = $1`, [job.id]);
  if (rowCount === 0) return null;
  throw new LostLease(job.id);
}

/** Adds a job unless the run already has one with that key (a re-reported sleep keeps its first timer). */
export async function scheduleJob(
  sql: Sql,
  job: { runId: string; key: string; kind: JobKind; name?: string | null; attempt?: number },
  when: When = { delayMs: 0 },
): Promise<void> {
  await sql.query(
    `INSERT INTO engine_jobs (run_id, key, kind, name, attempt, run_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now() + $7 * interval '1 millisecond'))
     ON CONFLICT (run_id, key) DO NOTHING`,
    [
      job.runId,
      job.key,
      job.kind,
      job.name ?? null,
      job.attempt ?? 0,
      "at" in when ? when.at : null,
      "delayMs" in when ? when.delayMs : 0,
    ],
  );
}

/**
 * Asks for a discovery call. A pending one will read the new state anyway; one already in flight read
 * the old state, so it is flagged to run once more when it finishes.
 */
export async function requestDiscovery(sql: Sql, runId: string): Promise<void> {
  await sql.query(
    `INSERT INTO engine_jobs (run_id, key, kind) VALUES ($1, '', 'CALL')
     ON CONFLICT (run_id, key) DO UPDATE
     SET again = engine_jobs.again OR (engine_jobs.locked_until IS NOT NULL AND engine_jobs.locked_until > now())`,
    [runId],
  );
}

export async function deleteJob(sql: Sql, runId: string, key: string): Promise<void> {
  await sql.query(`DELETE FROM engine_jobs WHERE run_id = $1 AND key = $2`, [runId, key]);
}

/** Removes a job whose run has ended, whoever holds it. */
export async function dropJob(sql: Sql, jobId: string): Promise<void> {
  await sql.query(`DELETE FROM engine_jobs WHERE id = $1`, [jobId]);
}
