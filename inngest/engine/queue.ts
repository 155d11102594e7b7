import type pg from "pg";
import type { Sql } from "./db";

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

export async function claimJobs(pool: pg.Pool, workerId: string, limit: number, leaseMs: number): Promise<Job[]> {
  const { rows } = await pool.query(
    `UPDATE engine_jobs j SET locked_by = $1, locked_until = now() + $2 * interval '1 millisecond'
     FROM (SELECT id FROM engine_jobs
           WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY run_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
     WHERE j.id = due.id
     RETURNING j.id, j.run_id AS "runId", j.key, j.kind, j.name, j.attempt`,
    [workerId, leaseMs, limit],
  );
  return rows as Job[];
}

/** Milliseconds until the next job is due (including expiring leases), or null when the queue is empty. */
export async function msUntilNextJob(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query(
    `SELECT EXTRACT(EPOCH FROM min(greatest(run_at, coalesce(locked_until, run_at))) - now()) * 1000 AS ms
     FROM engine_jobs`,
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(Number(ms), 0);
}

export async function renewLeases(pool: pg.Pool, workerId: string, jobIds: string[], leaseMs: number): Promise<void> {
  if (jobIds.length === 0) return;
  await pool.query(
    `UPDATE engine_jobs SET locked_until = now() + $3 * interval '1 millisecond'
     WHERE id = ANY($1::bigint[]) AND locked_by = $2`,
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
  const { rows } = await sql.query(`DELETE FROM engine_jobs WHERE id = $1 AND locked_by = $2 RETURNING again`, [
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
