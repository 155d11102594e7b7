import "server-only";
import type { Operation } from "@/generated/prisma/enums";
import { parseConnectorConfig, type ConnectorConfig } from "@/server/connectors/config";
import { ConnectorError } from "@/server/connectors/errors";
import { openBreaker, recordAnswer, recordFailure } from "@/server/connectors/health";
import type { Db } from "@/server/db";
import { loadGrantContext, type GrantContext } from "./grant-context";
import { deprovisionLdapGroup, provisionLdapGroup } from "./methods/ldap";
import { deprovisionScim, provisionScim } from "./methods/scim";
import { openTicket, ticketState } from "./methods/ticket";
import type { MethodContext, MethodResult } from "./methods/types";
import { deliverGrantWebhook } from "./methods/webhook";
import { effectsToUndo, findEffect } from "./effects";
import { planStepSchema, type PlanStep } from "@/universal/provisioning/plan";
import { log } from "@/server/observability/log";
import { recordStepAttempt, type StepAttemptOutcome } from "@/server/observability/metrics";

// One try of one automatic plan step, recorded as an attempt whatever happens. Connector failures come
// back as a result (retryable or not, and when to try again) for the Inngest function to act on; any
// other error (the database, a bug) is thrown so the function's own retries cover it.

export interface StepRef {
  grantId: string;
  operation: Operation;
  stepIndex: number;
}

export type StepResult =
  | MethodResult
  | {
      outcome: "failed";
      message: string;
      retryable: boolean;
      retryAt: string | null;
      revoked?: boolean;
      /** The step's connector, when the failure concerns it. */
      connectorId?: string;
      /** Its breaker is open: the step waits for it to answer instead of retrying (nothing was sent when `held`). */
      unreachable?: boolean;
      held?: boolean;
    };

const REVOKED = "access was revoked while it was being provisioned";

/** The plan as the function walks it: method and retry settings of each step, in order. */
export interface PlannedStep {
  stepIndex: number;
  method: PlanStep["method"];
  maxAttempts: number;
  backoffMs: number;
  /** Why a manual task is needed, when it is not simply the plan's manual step. */
  taskReason?: string;
  /** Tries recorded for this step by earlier runs (a retried provisioning, a second revocation): numbering goes on from there. */
  attemptBase: number;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;

async function retrySettings(db: Db, ids: string[]) {
  return db.connector.findMany({ where: { id: { in: ids } }, select: { id: true, maxAttempts: true, backoffMs: true } });
}

/**
 * The steps to walk. Provisioning follows the plan. Deprovisioning undoes what was recorded, last step
 * first, with the connector and group used then (the plan may have changed since); a grant provisioned
 * with nothing recorded (by hand, or before the portal recorded effects) goes to a person.
 */
export async function plannedSteps(db: Db, grantId: string, operation: Operation, loaded?: GrantContext): Promise<PlannedStep[]> {
  const earlier = await db.provisioningAttempt.groupBy({ by: ["stepIndex"], where: { grantId, operation }, _max: { number: true } });
  const base = (stepIndex: number) => earlier.find((e) => e.stepIndex === stepIndex)?._max.number ?? 0;
  const steps = await stepsToWalk(db, grantId, operation, loaded);
  return steps.map((s) => ({ ...s, attemptBase: base(s.stepIndex) }));
}

async function stepsToWalk(db: Db, grantId: string, operation: Operation, loaded?: GrantContext): Promise<Array<Omit<PlannedStep, "attemptBase">>> {
  if (operation === "DEPROVISION") {
    const effects = await effectsToUndo(db, grantId);
    if (effects.length === 0) {
      const grant = await db.grant.findUniqueOrThrow({ where: { id: grantId }, select: { provisionedAt: true } });
      if (!grant.provisionedAt) return [];
      return [{ stepIndex: 0, method: "MANUAL", maxAttempts: 1, backoffMs: 0, taskReason: "No record of what provisioning did on the target: remove the access by hand" }];
    }
    const connectors = await retrySettings(db, effects.flatMap((e) => (e.connectorId ? [e.connectorId] : [])));
    return effects.map((e) => {
      const connector = connectors.find((c) => c.id === e.connectorId);
      // Without its connector (deleted since), the recorded effect can only be undone by a person.
      if (!connector && e.method !== "MANUAL") {
        return { stepIndex: e.stepIndex, method: "MANUAL", maxAttempts: 1, backoffMs: 0, taskReason: `Remove by hand: ${e.target} (its connector no longer exists)` };
      }
      return { stepIndex: e.stepIndex, method: e.method, maxAttempts: connector?.maxAttempts ?? 1, backoffMs: connector?.backoffMs ?? 0 };
    });
  }
  const grant = loaded ?? (await loadGrantContext(db, grantId));
  const connectors = await retrySettings(db, grant.plan.flatMap((s) => ("connectorId" in s ? [s.connectorId] : [])));
  return grant.plan.map((step, stepIndex) => {
    const connector = "connectorId" in step ? connectors.find((c) => c.id === step.connectorId) : undefined;
    return { stepIndex, method: step.method, maxAttempts: connector?.maxAttempts ?? 1, backoffMs: connector?.backoffMs ?? 0 };
  });
}

/** The step's method and connector: from the plan when provisioning, from what was recorded when deprovisioning. */
type Effect = Awaited<ReturnType<typeof findEffect>>;

async function resolveStep(db: Db, grant: GrantContext, ref: StepRef, known?: Effect): Promise<{ step: PlanStep; connectorId: string }> {
  if (ref.operation === "DEPROVISION") {
    const effect = known ?? (await findEffect(db, grant.id, ref.stepIndex));
    if (!effect?.connectorId || effect.method === "MANUAL") throw new Error("Only recorded connector effects are undone by a connector");
    const planned = grant.plan[ref.stepIndex];
    // A ticket keeps the template of the plan's step when it is still the same kind of step.
    const step = (planned?.method === effect.method ? planned : planStepSchema.parse({ method: effect.method, connectorId: effect.connectorId })) as PlanStep;
    return { step: { ...step, connectorId: effect.connectorId } as PlanStep, connectorId: effect.connectorId };
  }
  const step = grant.plan[ref.stepIndex];
  if (!step) throw new ConnectorError({ message: `Step ${ref.stepIndex + 1} is no longer in the plan for ${grant.entitlement.name}.`, retryable: false });
  if (step.method === "MANUAL") throw new Error("Manual steps are tasks, not connector calls");
  return { step, connectorId: step.connectorId };
}

async function loadStep(db: Db, grant: GrantContext, ref: StepRef, effect?: Effect) {
  const { step, connectorId } = await resolveStep(db, grant, ref, effect);
  const connector = await db.connector.findUnique({ where: { id: connectorId } });
  if (!connector || connector.appId !== grant.entitlement.app.id) {
    throw new ConnectorError({ message: `The connector for step ${ref.stepIndex + 1} of ${grant.entitlement.app.name}'s plan no longer exists.`, retryable: false });
  }
  if (step.method === "MANUAL") throw new Error("Manual steps are tasks, not connector calls");
  const parsed = parseConnectorConfig(step.method, connector.config);
  if (!parsed.success || parsed.data.method !== step.method) {
    const problems = parsed.success ? "method mismatch" : parsed.problems.join("; ");
    throw new ConnectorError({ message: `${connector.name} is not configured correctly (${problems}).`, retryable: false });
  }
  return { step, connector, target: parsed.data };
}

async function dispatch(ctx: MethodContext, step: PlanStep, target: ConnectorConfig): Promise<MethodResult> {
  const provision = ctx.operation === "PROVISION";
  switch (target.method) {
    case "SCIM":
      return provision ? provisionScim(ctx, target.config) : deprovisionScim(ctx, target.config);
    case "LDAP_GROUP":
      return provision ? provisionLdapGroup(ctx, target.config) : deprovisionLdapGroup(ctx, target.config);
    case "WEBHOOK":
      return deliverGrantWebhook(ctx, target.config);
    case "JIRA":
    case "SERVICENOW":
      if (step.method !== "JIRA" && step.method !== "SERVICENOW") throw new Error("ticket step expected");
      return openTicket(ctx, step, target);
  }
}

/** Tries one automatic step once. `attempt` counts from 1 in this run; it is recorded after `base` earlier tries. `streak` (default `attempt`) sets the backoff. */
export async function runPlanStep(db: Db, ref: StepRef & { attempt: number; base?: number; streak?: number }, loaded?: GrantContext): Promise<StepResult> {
  const started = performance.now();
  const key = { grantId: ref.grantId, operation: ref.operation, stepIndex: ref.stepIndex, number: (ref.base ?? 0) + ref.attempt };
  const grant = loaded ?? (await loadGrantContext(db, ref.grantId));
  // One log line per outcome, with the grant (and the access request) it belongs to: grep a grant's id to follow it.
  const report = (outcome: StepAttemptOutcome, more: { retryable?: boolean; message?: string } = {}) =>
    recordStepAttempt({ grantId: grant.id, accessRequestId: grant.requestId, operation: ref.operation, step: ref.stepIndex, attempt: key.number, method, outcome, ms: performance.now() - started, ...more });
  // Revoked meanwhile: the plan stops here; deprovisioning undoes what the earlier steps did.
  const effect = ref.operation === "DEPROVISION" ? await findEffect(db, grant.id, ref.stepIndex) : undefined;
  const method = (ref.operation === "PROVISION" ? grant.plan[ref.stepIndex]?.method : effect?.method) ?? "MANUAL";
  if (ref.operation === "PROVISION" && grant.revokeRequestedAt) {
    report("revoked", { message: REVOKED });
    return { outcome: "failed", message: REVOKED, retryable: false, retryAt: null, revoked: true };
  }
  // An unreachable connector is not called (nor an attempt recorded): the step waits for it to answer.
  const planned = ref.operation === "PROVISION" ? grant.plan[ref.stepIndex] : undefined;
  const plannedConnector = planned && "connectorId" in planned ? planned.connectorId : (effect?.connectorId ?? undefined);
  const breaker = plannedConnector ? await openBreaker(db, plannedConnector) : null;
  if (breaker) {
    const message = `${breaker.name} is unreachable since ${breaker.since.toISOString()}`;
    report("held", { message });
    return { outcome: "failed", message, retryable: true, retryAt: null, connectorId: plannedConnector, unreachable: true, held: true };
  }
  await db.provisioningAttempt.upsert({
    where: { grantId_operation_stepIndex_number: key },
    create: { ...key, method },
    update: { outcome: "RUNNING", error: null, detail: null, startedAt: new Date(), finishedAt: null },
  });
  let retryableStatuses: number[] = [];
  let backoffMs = 0;
  let connectorId: string | undefined;
  try {
    const { step, connector, target } = await loadStep(db, grant, ref, effect);
    retryableStatuses = connector.retryableStatuses;
    backoffMs = connector.backoffMs;
    connectorId = connector.id;
    const result = await dispatch({ db, grant, stepIndex: ref.stepIndex, operation: ref.operation, connectorId: connector.id }, step, target);
    await recordAnswer(db, connector.id, true);
    if (result.outcome === "done") {
      await db.provisioningAttempt.update({
        where: { grantId_operation_stepIndex_number: key },
        data: { outcome: "SUCCEEDED", detail: result.detail, finishedAt: new Date() },
      });
    } else {
      // A step that waits stays "running" until it ends; a receiver's callback may already have ended it.
      await db.provisioningAttempt.updateMany({ where: { ...key, outcome: "RUNNING" }, data: { detail: result.detail } });
    }
    report(result.outcome === "done" ? "succeeded" : "waiting");
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 500) : String(error);
    await db.provisioningAttempt.update({
      where: { grantId_operation_stepIndex_number: key },
      data: { outcome: "FAILED", error: error instanceof ConnectorError ? message : "internal error (retried)", finishedAt: new Date() },
    });
    if (!(error instanceof ConnectorError)) {
      report("error", { message: `internal error (retried): ${message}` });
      throw error;
    }
    const retryable = error.retryable || (error.status !== undefined && retryableStatuses.includes(error.status));
    report("failed", { retryable, message });
    const delay = Math.min(MAX_BACKOFF_MS, Math.max(error.retryAfterMs ?? 0, backoffMs * 2 ** ((ref.streak ?? ref.attempt) - 1)));
    const unreachable = connectorId ? await recordFailure(db, connectorId, error) : false;
    return { outcome: "failed", message, retryable, retryAt: retryable ? new Date(Date.now() + delay).toISOString() : null, connectorId, unreachable };
  }
}

/** Ends an attempt that was waiting (a webhook callback arrived, a ticket closed). Returns false if it had ended already. */
export async function finishWaitingAttempt(db: Db, ref: StepRef, succeeded: boolean, detail: string): Promise<boolean> {
  const ended = await db.provisioningAttempt.updateMany({
    where: { grantId: ref.grantId, operation: ref.operation, stepIndex: ref.stepIndex, outcome: "RUNNING" },
    data: succeeded
      ? { outcome: "SUCCEEDED", detail, finishedAt: new Date() }
      : { outcome: "FAILED", error: detail, finishedAt: new Date() },
  });
  if (ended.count > 0) log().info({ grantId: ref.grantId, operation: ref.operation, step: ref.stepIndex, outcome: succeeded ? "succeeded" : "failed" }, "provisioning step ended after waiting");
  return ended.count > 0;
}

/** Follows an open ticket. A target that cannot be reached now is asked again later. */
export async function checkTicket(db: Db, ref: StepRef & { ticketRef: string; poll: number }): Promise<{ state: "open" | "resolved" | "failed"; label: string; nextCheckAt: string }> {
  const grant = await loadGrantContext(db, ref.grantId);
  const { connector, target } = await loadStep(db, grant, ref);
  if (target.method !== "JIRA" && target.method !== "SERVICENOW") throw new Error("ticket step expected");
  // Poll often at first, then back off to at most hourly.
  const nextCheckAt = new Date(Date.now() + Math.min(MAX_BACKOFF_MS, connector.backoffMs * 2 ** Math.min(ref.poll, 20))).toISOString();
  try {
    const state = await ticketState(target, ref.ticketRef);
    if (state.state !== "open") await finishWaitingAttempt(db, ref, state.state === "resolved", state.label);
    return { ...state, nextCheckAt };
  } catch (error) {
    if (error instanceof ConnectorError && !error.retryable) {
      await finishWaitingAttempt(db, ref, false, error.message);
      return { state: "failed", label: error.message, nextCheckAt };
    }
    if (error instanceof ConnectorError) return { state: "open", label: `could not check the ticket: ${error.message}`, nextCheckAt };
    throw error;
  }
}

/** Where a waiting step stands now: the callback route and ticket checks end its attempt in the database. */
export async function waitingAttemptState(db: Db, ref: StepRef): Promise<{ outcome: "RUNNING" | "SUCCEEDED" | "FAILED"; text: string }> {
  const attempt = await db.provisioningAttempt.findFirst({
    where: { grantId: ref.grantId, operation: ref.operation, stepIndex: ref.stepIndex },
    orderBy: { number: "desc" },
    select: { outcome: true, error: true, detail: true },
  });
  if (!attempt) return { outcome: "FAILED", text: "the step's attempt is missing" };
  return { outcome: attempt.outcome, text: (attempt.outcome === "FAILED" ? attempt.error : attempt.detail) ?? "" };
}
