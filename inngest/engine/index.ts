import { startCron, type CronTick } from "./cron";
import { createPool, transaction } from "./db";
import { executeJob } from "./executor";
import { configProblems, cronsOf, type FunctionConfig, fetchFunctions, triggeredBy } from "./functions";
import { ingestEvents, startRun } from "./ingest";
import { startBatchFlusher } from "./batches";
import { defaultLimits, type EngineLimits, EventsRefused, eventsProblem } from "./limits";
import { createLogger } from "./log";
import type { EngineEvent } from "./protocol";
import { getRun, listRuns, type RunDetail, type RunSummary } from "./read";
import { startEventServer } from "./server";
import type { RunStatus } from "./store";
import { startWorker } from "./worker";
import { newWorkerIdentity } from "./workers";

// The local Inngest engine: runs the app's Inngest functions on one machine and in tests, without the
// Inngest server. It speaks the SDK's HTTP protocol to the app's serve endpoint and keeps runs, step
// results, timers and waits in Postgres (tables engine_*, in the project's migrations), so stopping or
// killing it loses nothing: the next engine on the same database carries on.

export type LocalEngineOptions = {
  databaseUrl: string;
  /** The app's serve endpoint, e.g. http://localhost:3000/api/inngest. */
  appUrl: string;
  /** Port of the event API; 8288 (the Inngest dev server's) by default, 0 for any free port. */
  port?: number;
  host?: string;
  /** Calls to the app at once. */
  concurrency?: number;
  /** First retry delay; each further retry doubles it (1 s, 2 s, 4 s, … up to maxBackoffMs). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /**
   * How long a claimed job stays ours without renewal (renewed every leaseMs/3 while the call runs). A
   * crashed engine's jobs resume once this passes, or at once when an engine on the same host starts.
   */
  leaseMs?: number;
  /** Longest sleep between looks at the queue (picks up work other engine processes scheduled). */
  pollMs?: number;
  /** Re-sync this often to notice an app that restarted with other functions. */
  syncIntervalMs?: number;
  callTimeoutMs?: number;
  /** On stop(), how long calls in flight may finish before they are aborted and handed back. */
  stopGraceMs?: number;
  quiet?: boolean;
  /**
   * Sign every call to the app with this key (as Inngest does). Give the app the same key as
   * INNGEST_SIGNING_KEY, without INNGEST_DEV, and it accepts only the engine's calls.
   */
  signingKey?: string;
  /**
   * The key events must be sent with (POST /e/<key>), as INNGEST_EVENT_KEY is for Inngest; others are
   * answered 401. Defaults to INNGEST_EVENT_KEY; one of the two is required.
   */
  eventKey?: string;
  /**
   * Inngest's limits to enforce (inngest/engine/limits.ts): by default its documented ones, with the free
   * plan's 7-day sleep (or INNGEST_MAX_SLEEP) and 256 KiB event.
   */
  limits?: Partial<EngineLimits>;
  /**
   * false: scheduled (cron) functions never fire. For tests that must start every run themselves: an
   * hourly sync firing at :00 in the middle of one would race with the runs the test controls.
   */
  crons?: boolean;
  /** The engine refuses NODE_ENV=production (use Inngest there); this overrides that, at your own risk. */
  allowProduction?: boolean;
};

export type LocalEngine = {
  /** Where the SDK sends events: set it as INNGEST_BASE_URL (or the client's baseUrl). */
  eventUrl: string;
  /** Settles once the app's functions were synced the first time. */
  ready: Promise<void>;
  /** Syncs the app's functions now; rejects when the app cannot be reached. */
  sync(): Promise<FunctionConfig[]>;
  listRuns(filter?: { functionId?: string; status?: RunStatus; limit?: number }): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunDetail | null>;
  /** Stops taking work, lets calls in flight finish (up to stopGraceMs), and closes everything. */
  stop(): Promise<void>;
};

export async function startLocalEngine(options: LocalEngineOptions): Promise<LocalEngine> {
  if (process.env.NODE_ENV === "production" && !options.allowProduction) {
    throw new Error(
      "The local Inngest engine does not run with NODE_ENV=production: use Inngest (Cloud or self-hosted) there, " +
        "or pass allowProduction: true if this single-machine setup is really what you want.",
    );
  }
  const eventKey = options.eventKey ?? process.env.INNGEST_EVENT_KEY;
  if (!eventKey) {
    throw new Error("The local Inngest engine needs an event key (eventKey, or INNGEST_EVENT_KEY): without one anybody who can reach its port could start functions.");
  }
  const o = {
    port: 8288,
    host: "127.0.0.1",
    // Runs are mostly waiting on the app and targets, so many can be in flight on a small machine.
    concurrency: 32,
    backoffBaseMs: 1000,
    maxBackoffMs: 10 * 60_000,
    leaseMs: 5_000,
    pollMs: 1000,
    syncIntervalMs: 10_000,
    callTimeoutMs: 15 * 60_000,
    stopGraceMs: 10_000,
    quiet: false,
    ...options,
  };
  const log = createLogger(o.quiet);
  const limits = defaultLimits(o.limits);
  const identity = newWorkerIdentity();
  const workerId = identity.id;
  const pool = createPool(o.databaseUrl, o.concurrency + 4, (err) =>
    // An idle connection the database dropped; the loops report the outage itself.
    log.warn(`database: ${err.message}`),
  );

  let functions: FunctionConfig[] = [];
  const triggered = (event: EngineEvent) => functions.filter((fn) => triggeredBy(fn, event));

  // Ingests still writing when stop() is called finish before the pool closes.
  const ingesting = new Set<Promise<unknown>>();
  const ingest = (events: EngineEvent[], runsFor = triggered) => {
    const done = transaction(pool, (sql) => ingestEvents(sql, events, runsFor)).then(({ started, resumed, batched }) => {
      for (const s of started) log.info(`run ${s.runId} ${s.functionId} started by ${s.eventName}`);
      if (started.length > 0 || resumed > 0) worker.wake();
      if (batched) batches.wake();
    });
    ingesting.add(done);
    return done.finally(() => ingesting.delete(done));
  };

  const worker = startWorker({
    pool,
    worker: identity,
    concurrency: o.concurrency,
    leaseMs: o.leaseMs,
    pollMs: o.pollMs,
    log,
    execute: (job, signal) =>
      executeJob(
        {
          pool,
          appUrl: o.appUrl,
          signingKey: o.signingKey,
          workerId,
          backoffBaseMs: o.backoffBaseMs,
          maxBackoffMs: o.maxBackoffMs,
          callTimeoutMs: o.callTimeoutMs,
          unreachableRetryMs: Math.min(o.pollMs, 1000),
          triggered,
          log,
          onUnreachable: sync.soon,
          limits,
        },
        job,
        signal,
      ),
  });

  const batches = startBatchFlusher({
    pool,
    functions: () => functions,
    pollMs: o.pollMs,
    onError: (err) => log.warn(`batches: ${err.message}`),
    start: async (sql, fn, events) => {
      const run = await startRun(sql, fn, events);
      if (run) log.info(`run ${run.runId} ${run.functionId} started by a batch of ${events.length} ${run.eventName}`);
      return run !== null;
    },
    started: () => worker.wake(),
  });

  const cron = o.crons === false ? { set() {}, stop() {} } : startCron(
    (tick: CronTick) => {
      const fn = functions.find((f) => f.id === tick.functionId);
      if (!fn) return;
      // The id comes from the scheduled time, so every engine process sends the same event for a tick.
      const event = {
        id: `cron-${tick.functionId}-${tick.cron}-${tick.at.toISOString()}`,
        name: "inngest/scheduled.timer",
        data: { cron: tick.cron },
        ts: tick.at.getTime(),
      };
      ingest([event], () => [fn]).catch((err: Error) => log.error(`cron ${fn.id}: ${err.message}`));
    },
    (message) => log.warn(message),
  );

  const sync = createSync({
    appUrl: o.appUrl,
    signingKey: o.signingKey,
    intervalMs: o.syncIntervalMs,
    log,
    onFunctions(fns) {
      functions = fns;
      cron.set(fns.flatMap((fn) => cronsOf(fn).map((c) => ({ functionId: fn.id, cron: c }))));
    },
  });

  const stopAll = async () => {
    sync.stop();
    cron.stop();
    await batches.stop();
    await Promise.allSettled(ingesting);
    await worker.stop(o.stopGraceMs);
    await pool.end();
  };
  const server = await startEventServer({
    port: o.port,
    host: o.host,
    eventKey,
    onError: (message) => log.error(message),
    onEvents: async (events) => {
      // Events Inngest would refuse (too large, too many) are refused, none of the request taken.
      const refused = eventsProblem(events, limits);
      if (refused) {
        log.warn(`events refused: ${refused.message}`);
        throw new EventsRefused(refused.message, refused.status);
      }
      // So are events for an app whose sync was refused (./functions.ts configProblems) until it is fixed,
      // and events that arrive before the first sync (they would find no function to start; the SDK
      // retries a failed send).
      if (sync.problem()) throw new EventsRefused(sync.problem()!, 503);
      await withTimeout(sync.ready, 20_000, `no functions synced yet from ${o.appUrl}`);
      await ingest(events);
      return events.map((e) => e.id);
    },
  }).catch(async (err: unknown) => {
    await stopAll();
    throw err;
  });
  log.info(`listening for events on ${server.url}, running functions of ${o.appUrl}`);

  return {
    eventUrl: server.url,
    ready: sync.ready,
    sync: sync.now,
    listRuns: (filter) => listRuns(pool, filter),
    getRun: (runId) => getRun(pool, runId),
    async stop() {
      await server.close();
      await stopAll();
    },
  };
}

class SyncRefused extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Keeps the app's function list current: now, every intervalMs, soon after the app seemed gone. */
function createSync(o: {
  appUrl: string;
  signingKey?: string;
  intervalMs: number;
  log: ReturnType<typeof createLogger>;
  onFunctions: (fns: FunctionConfig[]) => void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let dueAt = 0;
  let stopped = false;
  let last = "";
  let failing = false;
  // The app's functions ask for something this engine cannot honour: nothing runs until that is fixed.
  let problem: string | null = null;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const now = async () => {
    const fns = await fetchFunctions(o.appUrl, AbortSignal.timeout(10_000), o.signingKey);
    const problems = fns.flatMap(configProblems);
    if (problems.length) {
      const message = `sync refused: ${problems.join("; ")}`;
      if (message !== problem) o.log.error(message);
      problem = message;
      throw new SyncRefused(message);
    }
    problem = null;
    const summary = JSON.stringify(fns.map((fn) => [fn.id, fn.triggers, fn.concurrency]));
    if (summary !== last) {
      o.log.info(`synced ${fns.length} functions: ${fns.map((fn) => fn.id).join(", ")}`);
      last = summary;
    }
    o.onFunctions(fns);
    failing = false;
    markReady();
    return fns;
  };
  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (stopped) return;
    dueAt = Date.now() + ms;
    timer = setTimeout(() => {
      now()
        .then(() => schedule(o.intervalMs))
        .catch((err: Error) => {
          // Refused: logged once; the app may be fixed and restarted, so look again at the usual pace.
          if (err instanceof SyncRefused) return schedule(o.intervalMs);
          if (!failing) o.log.warn(`cannot sync with ${o.appUrl} (${err.message}); retrying every second`);
          failing = true;
          schedule(1000);
        });
    }, ms);
    timer.unref();
  };
  schedule(0);

  return {
    ready,
    now,
    problem: () => problem,
    /** After a refused call: the app is probably restarting, so sync again shortly. */
    soon: () => {
      if (dueAt > Date.now() + 1000) schedule(1000);
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export type { FunctionConfig } from "./functions";
export type { EngineEvent } from "./protocol";
export type { RunDetail, RunSummary } from "./read";
export type { RunStatus } from "./store";
