import type pg from "pg";
import type { Logger } from "./log";
import { claimJobs, type Job, LostLease, msUntilNextJob, releaseJobs, renewLeases, retryCrashedJob } from "./queue";
import { heartbeat, isConnectionError, registerLocal, unregister, type WorkerIdentity } from "./workers";

// Claims due jobs and runs up to `concurrency` of them at a time. It sleeps until the next job is due
// (at most pollMs, which also picks up jobs another engine process added) or until woken.
// Every leaseMs/3 it heartbeats: renews the leases of its jobs in flight, records that it is alive and
// releases the jobs of engine processes that are gone. A database that goes away stops none of this:
// each loop logs once, backs off (at most 1 s) and carries on when the database answers again.

export type WorkerOptions = {
  pool: pg.Pool;
  worker: WorkerIdentity;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  log: Logger;
  execute: (job: Job, signal: AbortSignal) => Promise<void>;
};

export type Worker = { wake(): void; stop(graceMs: number): Promise<void> };

export function startWorker(o: WorkerOptions): Worker {
  const workerId = o.worker.id;
  registerLocal(workerId);
  const inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  // Jobs that crashed on a database outage: handed back (without using up an attempt) once it answers.
  const toRelease = new Set<string>();
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  // Returns at once when woken since the loop's iteration began, so no wake-up is lost in between.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) return resolve();
      const timer = setTimeout(() => wakeUp?.(), ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });

  const launch = (job: Job) => {
    const controller = new AbortController();
    const done = o
      .execute(job, controller.signal)
      .catch(async (err: unknown) => {
        if (err instanceof LostLease) return o.log.warn(err.message);
        if (isConnectionError(err)) {
          o.log.warn(`job ${job.id} (${job.kind} for run ${job.runId}) stopped: database unreachable (${(err as Error).message})`);
          toRelease.add(job.id);
          return;
        }
        o.log.error(`job ${job.id} (${job.kind} for run ${job.runId}) crashed: ${(err as Error).stack ?? String(err)}`);
        await retryCrashedJob(o.pool, job, workerId).catch(() => {});
      })
      .finally(() => {
        inFlight.delete(job.id);
        wake();
      });
    inFlight.set(job.id, { controller, done });
  };

  const failing = outage(o.log, "worker");
  const loop = async () => {
    while (!stopping) {
      woken = false;
      try {
        const free = o.concurrency - inFlight.size;
        const busy = [...inFlight.keys()];
        const jobs = free > 0 ? await claimJobs(o.pool, workerId, free, o.leaseMs, busy) : [];
        failing.ok();
        if (stopping) {
          // Claimed while stop() began: give them straight back.
          await releaseJobs(o.pool, workerId, jobs.map((j) => j.id));
          break;
        }
        for (const job of jobs) if (!inFlight.has(job.id)) launch(job);
        if (jobs.length > 0 && jobs.length === free) continue;
        const next = free > 0 ? await msUntilNextJob(o.pool, [...inFlight.keys()]) : null;
        await sleep(Math.min(next ?? o.pollMs, o.pollMs));
      } catch (err) {
        if (stopping) break;
        await sleep(failing.failed(err as Error, o.pollMs));
      }
    }
  };
  const looping = loop();

  const beating = outage(o.log, "heartbeat");
  let beat: Promise<void> = Promise.resolve();
  let beatRunning = false;
  const tick = () => {
    // A tick still waiting on the database is not stacked up behind.
    if (beatRunning) return;
    beatRunning = true;
    beat = (async () => {
      await renewLeases(o.pool, workerId, [...inFlight.keys()], o.leaseMs);
      if (toRelease.size > 0) {
        const ids = [...toRelease].filter((id) => !inFlight.has(id));
        await releaseJobs(o.pool, workerId, ids);
        for (const id of ids) toRelease.delete(id);
      }
      const released = await heartbeat(o.pool, o.worker, o.leaseMs);
      if (released > 0) o.log.info(`released ${released} jobs of engine processes that are gone`);
      if (released > 0 || toRelease.size > 0) wake();
      beating.ok();
    })()
      .catch((err: Error) => void beating.failed(err, 0))
      .finally(() => (beatRunning = false));
  };
  tick();
  const heartbeatTimer = setInterval(tick, o.leaseMs / 3);

  return {
    wake,
    /** Stops claiming, lets calls in flight finish for up to graceMs, then aborts the rest and releases them. */
    async stop(graceMs) {
      stopping = true;
      wake();
      await looping;
      const all = Promise.all([...inFlight.values()].map((f) => f.done));
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([all, grace]);
      for (const f of inFlight.values()) f.controller.abort();
      await all;
      clearInterval(heartbeatTimer);
      await beat;
      await releaseJobs(o.pool, workerId).catch((err: Error) => o.log.error(`releasing jobs: ${err.message}`));
      await unregister(o.pool, workerId).catch(() => {});
    },
  };
}

/** Logs the first failure of a streak and the recovery; gives the next delay (doubling, at most 1 s). */
function outage(log: Logger, what: string) {
  let failures = 0;
  return {
    failed(err: Error, baseMs: number): number {
      if (failures === 0) log.error(`${what}: ${err.message}; retrying`);
      failures++;
      return Math.min(baseMs * 2 ** Math.min(failures - 1, 4), 1000);
    },
    ok() {
      if (failures > 0) log.warn(`${what}: database reachable again after ${failures} failed tries`);
      failures = 0;
    },
  };
}
