import { Cron } from "croner";

// Cron triggers. Each tick is identified by its scheduled time, so every engine process computes the same
// tick and the event id built from it starts one run per tick however many processes fire it. Ticks
// missed while no engine was running are skipped, not caught up.

export type CronTick = { functionId: string; cron: string; at: Date };

export type CronScheduler = {
  /** Replaces the schedules: one per function and cron expression. */
  set(schedules: Array<{ functionId: string; cron: string }>): void;
  stop(): void;
};

// setTimeout overflows past ~24.8 days; long waits are taken in steps.
const maxTimerMs = 2 ** 31 - 1;

export function startCron(onTick: (tick: CronTick) => void, onError: (message: string) => void): CronScheduler {
  const timers = new Map<string, NodeJS.Timeout>();

  const schedule = (key: string, functionId: string, cron: string, pattern: Cron, after: Date) => {
    const at = pattern.nextRun(after);
    if (!at) return;
    const arm = () => {
      const wait = at.getTime() - Date.now();
      if (wait > maxTimerMs) return timers.set(key, setTimeout(arm, maxTimerMs).unref());
      timers.set(
        key,
        setTimeout(() => {
          onTick({ functionId, cron, at });
          schedule(key, functionId, cron, pattern, at);
        }, Math.max(wait, 0)).unref(),
      );
    };
    arm();
  };

  return {
    set(schedules) {
      const wanted = new Map(schedules.map((s) => [`${s.functionId}\n${s.cron}`, s]));
      for (const [key, timer] of timers) {
        if (!wanted.has(key)) {
          clearTimeout(timer);
          timers.delete(key);
        }
      }
      for (const [key, { functionId, cron }] of wanted) {
        if (timers.has(key)) continue;
        try {
          schedule(key, functionId, cron, parseCron(cron), new Date());
        } catch (err) {
          onError(`cron "${cron}" of ${functionId} is invalid: ${(err as Error).message}`);
        }
      }
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Inngest accepts a "TZ=Europe/Paris " prefix for the schedule's time zone. */
function parseCron(cron: string): Cron {
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.+)$/.exec(cron.trim());
  return tz ? new Cron(tz[2] ?? "", { timezone: tz[1] }) : new Cron(cron.trim());
}
