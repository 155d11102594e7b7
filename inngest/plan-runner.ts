import type { GetStepTools } from "inngest";
import type { inngest } from "@/inngest/client";
import { connectorRecovered, taskCompleted, webhookCallback } from "@/inngest/events";
import { cappedTimeout, type CountedSteps, hopTowards, maxSleepMs, STEPS_PER_RUN } from "@/inngest/limits";
import { backoffMs } from "@/server/connectors/health";
import { parkGrant, waitState } from "@/server/connectors/jobs";
import { FALLBACK_EFFECT_OFFSET } from "@/server/provisioning/effects";
import {
  attemptHistory,
  checkTicket,
  finishWaitingAttempt,
  openTask,
  plannedSteps,
  recordManualOutcome,
  revokeRequested,
  runPlanStep,
  taskStatus,
  waitingAttemptState,
} from "@/server/provisioning/jobs";
import type { PlannedStep, StepRef, StepResult } from "@/server/provisioning/run-step";

// Walks a grant's provisioning plan inside an Inngest function, step by step. Each automatic step gets
// its own retries (the connector's count, exponential backoff, Retry-After honoured), each try a durable
// step of its own. A step that fails for good stops the plan there and becomes a manual task for the
// app owner, carrying the reason and the attempt history. Manual steps are tasks for the provisioners.
//
// Inngest allows 1,000 steps per run and caps each sleep (https://www.inngest.com/docs/usage-limits/inngest),
// so every wait here is a few long waitForEvent windows, none longer than INNGEST_MAX_SLEEP, and the
// loops that could go on (tries, ticket checks, outage checks) share out the run's steps: a plan step
// that has used its share stops as if it timed out, and the fallback (kept in reserve) takes over.

type Step = CountedSteps<GetStepTools<typeof inngest>>;
type Operation = StepRef["operation"];

export type PlanOutcome = { ok: true; summary: string } | { ok: false; reason: string };

const MAX_TICKET_POLLS = 400;
const DAY_MS = 86_400_000;
const TASK_WAIT_DAYS = 60;

/** Steps of one run the plan may use: Inngest's 1,000, less the few its caller takes after it. */
const PLAN_STEPS = STEPS_PER_RUN - 10;

/**
 * Wait windows adding up to `totalMs`: short ones first (an answer usually comes soon), then as long as
 * one sleep may be. An event sent before its waitForEvent is registered is not seen (a webhook receiver
 * can call back within milliseconds of its 202), so the database is the truth and the event only a
 * wake-up: each window is followed by a look.
 */
export function waitWindows(totalMs: number, max = maxSleepMs(), most = 16): string[] {
  // `most` windows: a max sleep far below Inngest's (a test's) would need thousands; the wait ends sooner.
  const windows: number[] = [];
  let left = totalMs;
  // Each window ends in a look, so an event missed between a look and the next wait (a person finishing a
  // task right then) costs at most the next window: they grow slowly, so a quick answer is seen quickly.
  for (const first of [5_000, 15_000, 60_000, 600_000, 3_600_000, DAY_MS]) {
    if (left <= 0) break;
    const ms = Math.min(first, left, max);
    windows.push(ms);
    left -= ms;
  }
  for (; left > 0 && windows.length < most; left -= max) windows.push(Math.min(max, left));
  return windows.map((ms) => cappedTimeout(ms, max));
}

/** The steps a manual task's wait takes at most (a wait and a look per window), plus opening and recording it. */
export function manualStepCost(): number {
  return 2 * waitWindows(TASK_WAIT_DAYS * DAY_MS).length + 2;
}

/** Waits for a person to finish a task (up to 60 days). */
async function awaitTask(step: Step, id: string, label: string): Promise<{ done: boolean; note: string | null }> {
  const windows = waitWindows(TASK_WAIT_DAYS * DAY_MS);
  for (const [i, timeout] of windows.entries()) {
    await step.waitForEvent(`${label}-wait-${i}`, { event: taskCompleted, timeout, if: `async.data.taskId == ${JSON.stringify(id)}` });
    const state = await step.run(`${label}-check-${i}`, () => taskStatus(id));
    if (state.status !== "OPEN") return { done: state.status === "DONE", note: state.outcomeNote };
  }
  const waited = windows.reduce((sum, w) => sum + Number.parseInt(w, 10), 0);
  const within = waited >= DAY_MS ? `${+(waited / DAY_MS).toFixed(1)} days` : waited >= 3_600_000 ? `${+(waited / 3_600_000).toFixed(1)} hours` : `${+(waited / 1000).toFixed(1)} seconds`;
  return { done: false, note: `nobody completed the task within ${within}` };
}

/** Waits for a webhook receiver's callback (up to 7 days, or as long as the step's share of the run allows). */
async function awaitCallback(step: Step, ref: StepRef, label: string, limit: number): Promise<StepOutcome> {
  const match = `async.data.grantId == ${JSON.stringify(ref.grantId)} && async.data.operation == "${ref.operation}" && async.data.stepIndex == ${ref.stepIndex}`;
  for (const [i, timeout] of waitWindows(7 * DAY_MS, Math.min(maxSleepMs(), 6 * 3_600_000), 32).entries()) {
    if (step.stepsUsed + 3 > limit) break;
    await step.waitForEvent(`${label}-callback-${i}`, { event: webhookCallback, timeout, if: match });
    const state = await step.run(`${label}-callback-check-${i}`, () => waitingAttemptState(ref));
    if (state.outcome === "SUCCEEDED") return { ok: true, detail: state.text };
    if (state.outcome === "FAILED") return { ok: false, reason: state.text };
  }
  const reason = "the webhook receiver did not call back within 7 days";
  // Close the attempt, so the completion URL no longer works once the fallback has the job.
  await step.run(`${label}-callback-expired`, () => finishWaitingAttempt(ref, false, reason));
  return { ok: false, reason };
}

type StepOutcome = { ok: true; detail: string } | { ok: false; reason: string; revoked?: boolean; outage?: boolean };

const REVOKED = "access was revoked while it was being provisioned";

/**
 * Waits, without calling the target, until the step's connector answers again (its probe, another
 * grant's call or an admin's "Retry now" ends the outage and wakes this grant), or until the
 * connector's outage window has passed. The database is the truth, the event a wake-up.
 */
async function awaitConnector(step: Step, ref: StepRef, label: string, outage: number, connectorId: string, trip: string | null, firstSince: string | null, limit: number) {
  const parked = await step.run(`${label}-outage-${outage}-park`, () => parkGrant({ ...ref, connectorId, trip, firstSince }));
  if (parked.state === "recovered") return { ok: true as const, since: firstSince };
  const match = `async.data.grantId == ${JSON.stringify(ref.grantId)} && async.data.operation == "${ref.operation}"`;
  let windowEndsAt = parked.windowEndsAt;
  for (let i = 0; ; i++) {
    if (step.stepsUsed + 2 > limit) return { ok: false as const, reason: `the connector was still unreachable after as many checks as one run allows (${STEPS_PER_RUN} steps)` };
    // Checks come at the probe's pace and at the window's end; the recovery event usually comes first.
    const timeout = Math.max(1_000, Math.min(backoffMs(i + 1), Date.parse(windowEndsAt) - Date.now() + 500));
    await step.waitForEvent(`${label}-outage-${outage}-wait-${i}`, { event: connectorRecovered, timeout: cappedTimeout(timeout), if: match });
    const state = await step.run(`${label}-outage-${outage}-check-${i}`, () => waitState({ ...ref, connectorId }));
    if (state.state === "recovered") return { ok: true as const, since: parked.since };
    if (state.state === "revoked") return { ok: false as const, reason: REVOKED, revoked: true };
    if (state.state === "expired") return { ok: false as const, reason: state.reason };
    windowEndsAt = state.windowEndsAt;
  }
}

/**
 * One automatic step: its tries, then following a ticket or waiting for a webhook callback. Retryable
 * failures back off per the connector's settings; when the connector is unreachable (its breaker open,
 * or this step's tries ran out) the step waits for it instead of giving up, and tries again once it
 * answers. Only errors that cannot succeed, or an outage longer than the window, go to a person.
 */
async function runAutomaticStep(step: Step, ref: StepRef, planned: PlannedStep, firstTry: StepResult | null, limit: number): Promise<StepOutcome> {
  const label = `${ref.operation.toLowerCase()}-${ref.stepIndex}`;
  let tries = 0; // recorded attempts in this run
  let streak = 0; // tries since the last wait, for the backoff and the tries budget
  let outages = 0;
  let firstSince: string | null = null;
  let last = "it had not succeeded";
  for (let n = 1; ; n++) {
    if (!(n === 1 && firstTry) && step.stepsUsed + 3 > limit) return { ok: false, reason: `${last}; stopped after as many tries as one run allows (${STEPS_PER_RUN} steps)` };
    const number = tries + 1;
    const result = n === 1 && firstTry ? firstTry : await step.run(`${label}-try-${n}`, () => runPlanStep({ ...ref, attempt: number, base: planned.attemptBase, streak: streak + 1 }));
    if (result.outcome === "failed") {
      last = result.message;
      if (!result.held) {
        tries++;
        streak++;
      }
      if (result.revoked) return { ok: false, reason: result.message, revoked: true };
      if (!result.retryable) return { ok: false, reason: `${result.message} (not retryable)` };
      const spent = streak >= planned.maxAttempts || !result.retryAt;
      if (result.connectorId && (result.unreachable || spent)) {
        const trip = result.unreachable ? null : `${result.message} (${streak} tries failed)`;
        const waited = await awaitConnector(step, ref, label, outages++, result.connectorId, trip, firstSince, limit);
        if (!waited.ok) return { ok: false, reason: waited.reason, revoked: "revoked" in waited, outage: !("revoked" in waited) };
        firstSince = waited.since;
        streak = 0;
        continue;
      }
      if (spent) return { ok: false, reason: `${result.message} (gave up after ${streak} tries)` };
      // A target's Retry-After may ask for longer than one sleep may last: the next try comes sooner.
      await step.sleepUntil(`${label}-backoff-${n}`, hopTowards(result.retryAt!));
      continue;
    }
    if (result.outcome === "done") return { ok: true, detail: result.detail };
    if (result.outcome === "awaiting-callback") return awaitCallback(step, ref, label, limit);
    for (let poll = 1; poll <= MAX_TICKET_POLLS && step.stepsUsed + 2 <= limit; poll++) {
      const state = await step.run(`${label}-ticket-${poll}`, () => checkTicket({ ...ref, ticketRef: result.ticketRef, poll }));
      if (state.state === "resolved") return { ok: true, detail: state.label };
      if (state.state === "failed") return { ok: false, reason: `the ticket was closed without doing it: ${state.label}` };
      await step.sleepUntil(`${label}-ticket-wait-${poll}`, state.nextCheckAt);
    }
    return { ok: false, reason: `${result.detail}, but it was not resolved in time` };
  }
}

/**
 * Walks the plan. A caller that already read the plan (and made the first try of its first step) in one
 * of its own steps passes them in, saving round trips.
 */
export async function runPlan(step: Step, grantId: string, operation: Operation, planned?: PlannedStep[], firstTry: StepResult | null = null): Promise<PlanOutcome> {
  const steps = planned ?? (await step.run(`plan-${operation.toLowerCase()}`, () => plannedSteps(grantId, operation)));
  const kind = operation;
  const details: string[] = [];
  for (const [index, current] of steps.entries()) {
    const ref = { grantId, operation, stepIndex: current.stepIndex };
    // This plan step's share of the steps left, the fallback's kept back; shares never shrink, and even
    // ten plan steps leave each room for a manual task (manualStepCost).
    const limit = step.stepsUsed + Math.floor((PLAN_STEPS - step.stepsUsed - manualStepCost()) / (steps.length - index));
    const label = `${operation.toLowerCase()}-${current.stepIndex}`;
    if (current.method === "MANUAL") {
      const why = current.taskReason ?? `Manual ${operation === "PROVISION" ? "provisioning" : "deprovisioning"} step`;
      const task = await step.run(`${label}-task`, async () =>
        operation === "PROVISION" && (await revokeRequested(grantId))
          ? null
          : openTask({ grantId, kind, stepIndex: current.stepIndex, reason: why, assignTo: "provisioners" }),
      );
      if (!task) return { ok: false, reason: REVOKED };
      const outcome = await awaitTask(step, task.id, `${label}-task`);
      if (!outcome.done) return { ok: false, reason: `the provisioner marked the task errored: ${outcome.note ?? "no reason given"}` };
      await step.run(`${label}-recorded`, () => recordManualOutcome({ grantId, operation, stepIndex: current.stepIndex, target: "done by hand" }));
      details.push("done by hand");
      continue;
    }
    const outcome = await runAutomaticStep(step, ref, current, current === steps[0] ? firstTry : null, limit);
    if (outcome.ok) {
      details.push(outcome.detail);
      continue;
    }
    if (outcome.revoked) return { ok: false, reason: outcome.reason };
    // Fallback: the rest of the plan stops here and the app owner finishes the job by hand.
    const rest = steps.slice(steps.indexOf(current) + 1).map((s) => `${s.stepIndex + 1}. ${s.method}`);
    const fallback = await step.run(`${label}-fallback`, async () =>
      openTask({
        grantId,
        kind,
        stepIndex: current.stepIndex,
        reason: `Automatic ${operation === "PROVISION" ? "provisioning" : "deprovisioning"} ${outcome.outage ? "waited too long" : "failed"} at step ${current.stepIndex + 1} (${current.method}): ${outcome.reason}` +
          (rest.length ? `. Steps not run: ${rest.join(", ")}` : ""),
        assignTo: "owner",
        history: await attemptHistory(grantId, operation),
      }),
    );
    const manual = await awaitTask(step, fallback.id, `${label}-fallback`);
    if (!manual.done) return { ok: false, reason: `${outcome.reason}; the manual fallback was marked errored: ${manual.note ?? "no reason given"}` };
    // What the owner did by hand is recorded, so taking the access away later also goes to a person.
    await step.run(`${label}-fallback-recorded`, () =>
      recordManualOutcome({
        grantId,
        operation,
        stepIndex: operation === "PROVISION" ? FALLBACK_EFFECT_OFFSET + current.stepIndex : current.stepIndex,
        target: "finished by hand after the automatic step failed",
      }),
    );
    details.push("finished by hand after the automatic step failed");
    return { ok: true, summary: details.join("; ") };
  }
  return { ok: true, summary: details.join("; ") };
}
