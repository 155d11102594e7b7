import type pg from "pg";
import type { Logger } from "./log";
import { claimJobs, type Job, LostLease, msUntilNextJob, releaseJobs, renewLeases, retryCrashedJob } from "./queue";

// Claims due jobs and runs up to `concurrency` of them at a time. It sleeps until the next job is due
// (at most pollMs, which also picks up jobs another engine process added) or until woken.

export type WorkerOptions = {
  pool: pg.Pool;
  workerId: string;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  log: Logger;
  execute: (job: Job, signal: AbortSignal) => Promise<void>;
};

export type Worker = { wake(): void; stop(graceMs: number): Promise<void> };

export function startWorker(o: WorkerOptions): Worker {
  const inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
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
        o.log.error(`job ${job.id} (${job.kind} for run ${job.runId}) crashed: ${(err as Error).stack ?? String(err)}`);
        await retryCrashedJob(o.pool, job, o.workerId).catch(() => {});
      })
      .finally(() => {
        inFlight.delete(job.id);
        wake();
      });
    inFlight.set(job.id, { controller, done });
  };

  const loop = async () => {
    while (!stopping) {
      woken = false;
      try {
        const free = o.concurrency - inFlight.size;
        const jobs = free > 0 ? await claimJobs(o.pool, o.workerId, free, o.leaseMs) : [];
        if (stopping) {
          // Claimed while stop() began: give them straight back.
          await releaseJobs(o.pool, o.workerId, jobs.map((j) => j.id));
          break;
        }
        for (const job of jobs) launch(job);
        if (jobs.length > 0 && jobs.length === free) continue;
        const next = free > 0 ? await msUntilNextJob(o.pool) : null;
        await sleep(Math.min(next ?? o.pollMs, o.pollMs));
      } catch (err) {
        if (!stopping) o.log.error(`worker: ${(err as Error).message}`);
        await sleep(o.pollMs);
      }
    }
  };
  const looping = loop();

  const heartbeat = setInterval(() => {
    renewLeases(o.pool, o.workerId, [...inFlight.keys()], o.leaseMs).catch((err: Error) =>
      o.log.error(`lease renewal: ${err.message}`),
    );
  }, o.leaseMs / 3);

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
      clearInterval(heartbeat);
      await releaseJobs(o.pool, o.workerId);
    },
  };
}
