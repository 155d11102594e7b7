import type { GetStepTools } from "inngest";
import type { inngest } from "@/inngest/client";
import { connectorRecovered, taskCompleted, webhookCallback } from "@/inngest/events";
import { backoffMs, parkGrant, waitState } from "@/server/connectors/health";
import { db } from "@/server/db";
import { checkTicket, finishWaitingAttempt, plannedSteps, runPlanStep, waitingAttemptState, type PlannedStep, type StepRef, type StepResult } from "@/server/provisioning/run-step";
import { attemptHistory, taskStatus } from "@/server/provisioning/task-state";
import { FALLBACK_EFFECT_OFFSET, recordManualOutcome } from "@/server/provisioning/effects";
import { revokeRequested } from "@/server/provisioning/grant-state";
import { openTask } from "@/server/provisioning/tasks";

// Walks a grant's provisioning plan inside an Inngest function, step by step. Each automatic step gets
// its own retries (the connector's count, exponential backoff, Retry-After honoured), each try a durable
// step of its own. A step that fails for good stops the plan there and becomes a manual task for the
// app owner, carrying the reason and the attempt history. Manual steps are tasks for the provisioners.

type Step = GetStepTools<typeof inngest>;
type Operation = StepRef["operation"];

export type PlanOutcome = { ok: true; summary: string } | { ok: false; reason: string };

const MAX_TICKET_POLLS = 400;

// An event sent before its waitForEvent is registered is not seen (a webhook receiver can call back
// within milliseconds of its 202). So the database is the truth and the event only a wake-up: each
// wait is followed by a look, in windows that start short and grow.
const TASK_WINDOWS = ["5s", "1m", "1h", ...Array<string>(60).fill("1d")];
const CALLBACK_WINDOWS = ["5s", "1m", "1h", ...Array<string>(28).fill("6h")];

/** Waits for a person to finish a task (up to about 60 days). */
async function awaitTask(step: Step, id: string, label: string): Promise<{ done: boolean; note: string | null }> {
  for (const [i, timeout] of TASK_WINDOWS.entries()) {
    await step.waitForEvent(`${label}-wait-${i}`, { event: taskCompleted, timeout, if: `async.data.taskId == ${JSON.stringify(id)}` });
    const state = await step.run(`${label}-check-${i}`, () => taskStatus(db(), id));
    if (state.status !== "OPEN") return { done: state.status === "DONE", note: state.outcomeNote };
  }
  return { done: false, note: "nobody completed the task within 60 days" };
}

/** Waits for a webhook receiver's callback (up to about 7 days). */
async function awaitCallback(step: Step, ref: StepRef, label: string): Promise<StepOutcome> {
  const match = `async.data.grantId == ${JSON.stringify(ref.grantId)} && async.data.operation == "${ref.operation}" && async.data.stepIndex == ${ref.stepIndex}`;
  for (const [i, timeout] of CALLBACK_WINDOWS.entries()) {
    await step.waitForEvent(`${label}-callback-${i}`, { event: webhookCallback, timeout, if: match });
    const state = await step.run(`${label}-callback-check-${i}`, () => waitingAttemptState(db(), ref));
    if (state.outcome === "SUCCEEDED") return { ok: true, detail: state.text };
    if (state.outcome === "FAILED") return { ok: false, reason: state.text };
  }
  const reason = "the webhook receiver did not call back within 7 days";
  // Close the attempt, so the completion URL no longer works once the fallback has the job.
  await step.run(`${label}-callback-expired`, () => finishWaitingAttempt(db(), ref, false, reason));
  return { ok: false, reason };
}

type StepOutcome = { ok: true; detail: string } | { ok: false; reason: string; revoked?: boolean; outage?: boolean };

const REVOKED = "access was revoked while it was being provisioned";

/**
 * Waits, without calling the target, until the step's connector answers again (its probe, another
 * grant's call or an admin's "Retry now" ends the outage and wakes this grant), or until the
 * connector's outage window has passed. The database is the truth, the event a wake-up.
 */
async function awaitConnector(step: Step, ref: StepRef, label: string, outage: number, connectorId: string, trip: string | null, firstSince: string | null) {
  const parked = await step.run(`${label}-outage-${outage}-park`, () => parkGrant(db(), { ...ref, connectorId, trip, firstSince }));
  if (parked.state === "recovered") return { ok: true as const, since: firstSince };
  const match = `async.data.grantId == ${JSON.stringify(ref.grantId)} && async.data.operation == "${ref.operation}"`;
  let windowEndsAt = parked.windowEndsAt;
  for (let i = 0; ; i++) {
    // Checks come at the probe's pace and at the window's end; the recovery event usually comes first.
    const timeout = Math.max(1_000, Math.min(backoffMs(i + 1), Date.parse(windowEndsAt) - Date.now() + 500));
    await step.waitForEvent(`${label}-outage-${outage}-wait-${i}`, { event: connectorRecovered, timeout: `${Math.ceil(timeout)}ms`, if: match });
    const state = await step.run(`${label}-outage-${outage}-check-${i}`, () => waitState(db(), { ...ref, connectorId }));
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
async function runAutomaticStep(step: Step, ref: StepRef, planned: PlannedStep, firstTry: StepResult | null): Promise<StepOutcome> {
  const label = `${ref.operation.toLowerCase()}-${ref.stepIndex}`;
  let tries = 0; // recorded attempts in this run
  let streak = 0; // tries since the last wait, for the backoff and the tries budget
  let outages = 0;
  let firstSince: string | null = null;
  for (let n = 1; ; n++) {
    const number = tries + 1;
    const result = n === 1 && firstTry ? firstTry : await step.run(`${label}-try-${n}`, () => runPlanStep(db(), { ...ref, attempt: number, base: planned.attemptBase, streak: streak + 1 }));
    if (result.outcome === "failed") {
      if (!result.held) {
        tries++;
        streak++;
      }
      if (result.revoked) return { ok: false, reason: result.message, revoked: true };
      if (!result.retryable) return { ok: false, reason: `${result.message} (not retryable)` };
      const spent = streak >= planned.maxAttempts || !result.retryAt;
      if (result.connectorId && (result.unreachable || spent)) {
        const trip = result.unreachable ? null : `${result.message} (${streak} tries failed)`;
        const waited = await awaitConnector(step, ref, label, outages++, result.connectorId, trip, firstSince);
        if (!waited.ok) return { ok: false, reason: waited.reason, revoked: "revoked" in waited, outage: !("revoked" in waited) };
        firstSince = waited.since;
        streak = 0;
        continue;
      }
      if (spent) return { ok: false, reason: `${result.message} (gave up after ${streak} tries)` };
      await step.sleepUntil(`${label}-backoff-${n}`, result.retryAt!);
      continue;
    }
    if (result.outcome === "done") return { ok: true, detail: result.detail };
    if (result.outcome === "awaiting-callback") return awaitCallback(step, ref, label);
    for (let poll = 1; poll <= MAX_TICKET_POLLS; poll++) {
      const state = await step.run(`${label}-ticket-${poll}`, () => checkTicket(db(), { ...ref, ticketRef: result.ticketRef, poll }));
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
  const steps = planned ?? (await step.run(`plan-${operation.toLowerCase()}`, () => plannedSteps(db(), grantId, operation)));
  const kind = operation;
  const details: string[] = [];
  for (const current of steps) {
    const ref = { grantId, operation, stepIndex: current.stepIndex };
    const label = `${operation.toLowerCase()}-${current.stepIndex}`;
    if (current.method === "MANUAL") {
      const why = current.taskReason ?? `Manual ${operation === "PROVISION" ? "provisioning" : "deprovisioning"} step`;
      const task = await step.run(`${label}-task`, async () =>
        operation === "PROVISION" && (await revokeRequested(db(), grantId))
          ? null
          : openTask(db(), { grantId, kind, stepIndex: current.stepIndex, reason: why, assignTo: "provisioners" }),
      );
      if (!task) return { ok: false, reason: REVOKED };
      const outcome = await awaitTask(step, task.id, `${label}-task`);
      if (!outcome.done) return { ok: false, reason: `the provisioner marked the task errored: ${outcome.note ?? "no reason given"}` };
      await step.run(`${label}-recorded`, () => recordManualOutcome(db(), { grantId, operation, stepIndex: current.stepIndex, target: "done by hand" }));
      details.push("done by hand");
      continue;
    }
    const outcome = await runAutomaticStep(step, ref, current, current === steps[0] ? firstTry : null);
    if (outcome.ok) {
      details.push(outcome.detail);
      continue;
    }
    if (outcome.revoked) return { ok: false, reason: outcome.reason };
    // Fallback: the rest of the plan stops here and the app owner finishes the job by hand.
    const rest = steps.slice(steps.indexOf(current) + 1).map((s) => `${s.stepIndex + 1}. ${s.method}`);
    const fallback = await step.run(`${label}-fallback`, async () =>
      openTask(db(), {
        grantId,
        kind,
        stepIndex: current.stepIndex,
        reason: `Automatic ${operation === "PROVISION" ? "provisioning" : "deprovisioning"} ${outcome.outage ? "waited too long" : "failed"} at step ${current.stepIndex + 1} (${current.method}): ${outcome.reason}` +
          (rest.length ? `. Steps not run: ${rest.join(", ")}` : ""),
        assignTo: "owner",
        history: await attemptHistory(db(), grantId, operation),
      }),
    );
    const manual = await awaitTask(step, fallback.id, `${label}-fallback`);
    if (!manual.done) return { ok: false, reason: `${outcome.reason}; the manual fallback was marked errored: ${manual.note ?? "no reason given"}` };
    // What the owner did by hand is recorded, so taking the access away later also goes to a person.
    await step.run(`${label}-fallback-recorded`, () =>
      recordManualOutcome(db(), {
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
