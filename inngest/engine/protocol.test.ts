import { afterEach, describe, expect, it, vi } from "vitest";
import { celMatches } from "./expressions";
import { type FunctionConfig, maxAttemptsOf, triggeredBy } from "./functions";
import { startLocalEngine } from "./index";
import { parseDuration, parseRetryAfter, readCallResponse, runCallBody, sleepUntil } from "./protocol";

const event = { id: "e1", name: "app/thing.done", data: { n: 3, who: "erin" }, ts: 0 };

function fn(triggers: FunctionConfig["triggers"], retries?: number): FunctionConfig {
  return { id: "app-fn", triggers, steps: { step: retries === undefined ? {} : { retries: { attempts: retries } } } };
}

describe("protocol", () => {
  it("reads the SDK's durations and sleepUntil dates", () => {
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("1d2h30m10s")).toBe(86_400_000 + 7_200_000 + 1_800_000 + 10_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    expect(parseDuration("soon")).toBeNull();
    expect(parseDuration("1s later")).toBeNull();
    expect(sleepUntil("30d", 0)?.getTime()).toBe(30 * 86_400_000);
    expect(sleepUntil("2030-01-01T00:00:00.000Z")?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
  });

  it("reads retry-after as seconds or as a date", () => {
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter(new Date(5000).toISOString(), 1000)).toBe(4000);
    expect(parseRetryAfter(null)).toBeNull();
  });

  it("sends memoized steps in completion order as the stack, without fn_id", () => {
    const body = runCallBody({
      runId: "r1",
      event,
      steps: [
        { id: "h2", result: { type: "data", data: 2 } },
        { id: "h1", result: { type: "error", error: { name: "Error", message: "x" } } },
      ],
      attempt: 1,
      maxAttempts: 5,
      disableImmediateExecution: true,
    });
    expect(body.ctx).toEqual({
      run_id: "r1",
      attempt: 1,
      max_attempts: 5,
      disable_immediate_execution: true,
      use_api: false,
      stack: { stack: ["h2", "h1"], current: 1 },
    });
    expect(body.steps).toEqual({ h2: { type: "data", data: 2 }, h1: { type: "error", error: { name: "Error", message: "x" } } });
  });

  it("tells a final failure (x-inngest-no-retry) from a retriable one", async () => {
    const answer = (status: number, headers: Record<string, string>) =>
      readCallResponse(new Response(JSON.stringify({ name: "Error", message: "m" }), { status, headers }), 0);
    expect(await answer(400, { "x-inngest-no-retry": "true" })).toMatchObject({ kind: "error", retriable: false });
    expect(await answer(500, { "x-inngest-no-retry": "false", "retry-after": "2" })).toMatchObject({
      kind: "error",
      retriable: true,
      retryAfterMs: 2000,
      error: { message: "m" },
    });
  });
});

describe("function configs", () => {
  it("matches event triggers by name, wildcard and `if` expression", () => {
    expect(triggeredBy(fn([{ event: "app/thing.done" }]), event)).toBe(true);
    expect(triggeredBy(fn([{ event: "app/*" }]), event)).toBe(true);
    expect(triggeredBy(fn([{ event: "app/other" }]), event)).toBe(false);
    expect(triggeredBy(fn([{ event: "app/thing.done", expression: "event.data.n > 2" }]), event)).toBe(true);
    expect(triggeredBy(fn([{ event: "app/thing.done", expression: "event.data.n > 5" }]), event)).toBe(false);
    expect(triggeredBy(fn([{ cron: "* * * * *" }]), event)).toBe(false);
  });

  it("treats a broken or missing-key expression as no match", () => {
    expect(celMatches("event.data.missing == 1", { event })).toBe(false);
    expect(celMatches("event.data.n ==", { event })).toBe(false);
  });

  it("allows retries + 1 attempts, 5 by default", () => {
    expect(maxAttemptsOf(fn([]))).toBe(5);
    expect(maxAttemptsOf(fn([], 0))).toBe(1);
    expect(maxAttemptsOf(fn([], 2))).toBe(3);
  });
});

describe("startLocalEngine", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("refuses to start in production unless explicitly allowed", async () => {
    vi.stubEnv("NODE_ENV", "production");
    await expect(startLocalEngine({ databaseUrl: "postgres://nowhere/x", appUrl: "http://nowhere" })).rejects.toThrow(
      /does not run with NODE_ENV=production/,
    );
  });
});
