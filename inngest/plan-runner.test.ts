import { afterEach, describe, expect, it } from "vitest";
import { parseDuration, STEPS_PER_RUN } from "@/inngest/limits";
import { manualStepCost, waitWindows } from "@/inngest/plan-runner";

// The plan runner's waits against Inngest's limits (https://www.inngest.com/docs/usage-limits/inngest):
// no window longer than one sleep may be, and a plan of the most steps a plan may have (10), all manual,
// still fits in one run's 1,000 steps. Before, one manual step's wait alone took 126 steps.

const DAY = 86_400_000;
const total = (windows: string[]) => windows.reduce((sum, w) => sum + parseDuration(w)!, 0);

afterEach(() => {
  delete process.env.INNGEST_MAX_SLEEP;
});

describe("waiting for a manual task", () => {
  it("waits 60 days in 15 windows, none longer than the free plan's 7-day sleep", () => {
    const windows = waitWindows(60 * DAY);
    expect(windows).toHaveLength(15);
    expect(total(windows)).toBe(60 * DAY);
    expect(Math.max(...windows.map((w) => parseDuration(w)!))).toBe(7 * DAY);
    // Short windows first, growing slowly: an event missed just before a wait costs at most the next one.
    expect(windows.slice(0, 6)).toEqual(["5000ms", "15000ms", "60000ms", "600000ms", "3600000ms", "86400000ms"]);
  });

  it("costs 32 steps, so ten manual plan steps and their caller fit in one run", () => {
    expect(manualStepCost()).toBe(32);
    // Ten plan steps, one more wait for the owner's fallback, and the provision-grant function's own.
    expect(11 * manualStepCost() + 20).toBeLessThan(STEPS_PER_RUN);
  });

  it("takes fewer, longer windows on a paid plan's year-long sleep", () => {
    process.env.INNGEST_MAX_SLEEP = "1y";
    expect(waitWindows(60 * DAY)).toHaveLength(7);
    expect(manualStepCost()).toBe(16);
  });

  it("keeps to 16 windows when the max sleep is tiny, ending the wait sooner rather than passing the step budget", () => {
    process.env.INNGEST_MAX_SLEEP = "100ms";
    const windows = waitWindows(60 * DAY);
    expect(windows).toHaveLength(16);
    expect(windows.every((w) => parseDuration(w)! <= 100)).toBe(true);
  });
});

describe("INNGEST_MAX_SLEEP", () => {
  it("refuses a value that is not a duration of at most a year", () => {
    process.env.INNGEST_MAX_SLEEP = "a week";
    expect(() => manualStepCost()).toThrow(/INNGEST_MAX_SLEEP must be a duration such as "7d" or "1y"/);
    process.env.INNGEST_MAX_SLEEP = "2y";
    expect(() => manualStepCost()).toThrow(/at most a year/);
  });
});
