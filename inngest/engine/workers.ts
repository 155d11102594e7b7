import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type pg from "pg";

// Engine processes announce themselves in engine_workers and heartbeat there while they run. Whoever
// notices a process gone (its heartbeat older than a lease, or on the same host its pid no longer alive)
// releases that process's jobs at once: after kill -9 and a restart, work resumes in about a second
// instead of when the dead process's leases run out.

export type WorkerIdentity = { id: string; host: string; pid: number };

/** Workers of this process that are running: never declared gone by a sibling sharing our pid. */
const ours = new Set<string>();

export function newWorkerIdentity(): WorkerIdentity {
  const host = hostname();
  return { id: `${host}:${process.pid}:${randomUUID().slice(0, 8)}`, host, pid: process.pid };
}

export function registerLocal(id: string): void {
  ours.add(id);
}

/**
 * Records our heartbeat and releases the jobs of workers that are gone; returns how many jobs were
 * released. `staleMs`: a heartbeat older than this means the worker is gone.
 */
export async function heartbeat(pool: pg.Pool, me: WorkerIdentity, staleMs: number): Promise<number> {
  await pool.query(
    `INSERT INTO engine_workers (id, host, pid) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
    [me.id, me.host, me.pid],
  );
  const { rows } = await pool.query(`SELECT id, pid FROM engine_workers WHERE host = $1 AND id <> $2`, [me.host, me.id]);
  // Our own pid under another id is a process that died before we were started with its pid (containers
  // restart as pid 1), unless it is another engine running in this very process.
  const dead = (rows as Array<{ id: string; pid: number }>)
    .filter((w) => !ours.has(w.id) && (w.pid === process.pid || !alive(w.pid)))
    .map((w) => w.id);
  const released = await pool.query(
    `WITH gone AS (
       DELETE FROM engine_workers
       WHERE id <> $1 AND (heartbeat_at < now() - $2 * interval '1 millisecond' OR id = ANY($3::text[]))
       RETURNING id)
     UPDATE engine_jobs SET locked_by = NULL, locked_until = NULL
     WHERE locked_by IN (SELECT id FROM gone) RETURNING id`,
    [me.id, staleMs, dead],
  );
  return released.rowCount ?? 0;
}

/** A graceful stop: the worker's jobs were handed back; it leaves the table. */
export async function unregister(pool: pg.Pool, id: string): Promise<void> {
  ours.delete(id);
  await pool.query(`DELETE FROM engine_workers WHERE id = $1`, [id]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up or shutting down)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** Whether an error means the database is (for now) unreachable, rather than refusing what we asked. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && connectionCodes.has(e.code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
    e.message ?? "",
  );
}
