import type { Operation } from "@/generated/prisma/enums";
import { parseConnectorConfig, type ConnectorConfig } from "@/server/connectors/config";
import { ConnectorError } from "@/server/connectors/errors";
import type { Db } from "@/server/db";
import { loadGrantContext, type GrantContext } from "./grant-context";
import { deprovisionLdapGroup, provisionLdapGroup } from "./methods/ldap";
import { deprovisionScim, provisionScim } from "./methods/scim";
import { openTicket, ticketState } from "./methods/ticket";
import type { MethodContext, MethodResult } from "./methods/types";
import { deliverGrantWebhook } from "./methods/webhook";
import type { PlanStep } from "./plan";

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
  | { outcome: "failed"; message: string; retryable: boolean; retryAt: string | null };

/** The plan as the function walks it: method and retry settings of each step, in order. */
export interface PlannedStep {
  stepIndex: number;
  method: PlanStep["method"];
  maxAttempts: number;
  backoffMs: number;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;

export async function plannedSteps(db: Db, grantId: string, operation: Operation, loaded?: GrantContext): Promise<PlannedStep[]> {
  const grant = loaded ?? (await loadGrantContext(db, grantId));
  const ids = grant.plan.flatMap((s) => ("connectorId" in s ? [s.connectorId] : []));
  const connectors = await db.connector.findMany({ where: { id: { in: ids } }, select: { id: true, maxAttempts: true, backoffMs: true } });
  const steps = grant.plan.map((step, stepIndex) => {
    const connector = "connectorId" in step ? connectors.find((c) => c.id === step.connectorId) : undefined;
    return { stepIndex, method: step.method, maxAttempts: connector?.maxAttempts ?? 1, backoffMs: connector?.backoffMs ?? 0 };
  });
  // Taking access away undoes the plan from its last step back.
  return operation === "PROVISION" ? steps : steps.reverse();
}

async function loadStep(db: Db, grant: GrantContext, stepIndex: number) {
  const step = grant.plan[stepIndex];
  if (!step) throw new ConnectorError({ message: `Step ${stepIndex + 1} is no longer in the plan for ${grant.entitlement.name}.`, retryable: false });
  if (step.method === "MANUAL") throw new Error("Manual steps are tasks, not connector calls");
  const connector = await db.connector.findUnique({ where: { id: step.connectorId } });
  if (!connector || connector.appId !== grant.entitlement.app.id) {
    throw new ConnectorError({ message: `The connector for step ${stepIndex + 1} of ${grant.entitlement.app.name}'s plan no longer exists.`, retryable: false });
  }
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

/** Tries one automatic step once. `attempt` counts from 1 per step. */
export async function runPlanStep(db: Db, ref: StepRef & { attempt: number }, loaded?: GrantContext): Promise<StepResult> {
  const key = { grantId: ref.grantId, operation: ref.operation, stepIndex: ref.stepIndex, number: ref.attempt };
  const grant = loaded ?? (await loadGrantContext(db, ref.grantId));
  const method = grant.plan[ref.stepIndex]?.method ?? "MANUAL";
  await db.provisioningAttempt.upsert({
    where: { grantId_operation_stepIndex_number: key },
    create: { ...key, method },
    update: { outcome: "RUNNING", error: null, detail: null, startedAt: new Date(), finishedAt: null },
  });
  let retryableStatuses: number[] = [];
  let backoffMs = 0;
  try {
    const { step, connector, target } = await loadStep(db, grant, ref.stepIndex);
    retryableStatuses = connector.retryableStatuses;
    backoffMs = connector.backoffMs;
    const result = await dispatch({ db, grant, stepIndex: ref.stepIndex, operation: ref.operation, connectorId: connector.id }, step, target);
    // A step that waits (a callback, a ticket) stays "running" until it ends.
    const finished = result.outcome === "done";
    await db.provisioningAttempt.update({
      where: { grantId_operation_stepIndex_number: key },
      data: { outcome: finished ? "SUCCEEDED" : "RUNNING", detail: result.detail, finishedAt: finished ? new Date() : null },
    });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 500) : String(error);
    await db.provisioningAttempt.update({
      where: { grantId_operation_stepIndex_number: key },
      data: { outcome: "FAILED", error: error instanceof ConnectorError ? message : "internal error (retried)", finishedAt: new Date() },
    });
    if (!(error instanceof ConnectorError)) throw error;
    const retryable = error.retryable || (error.status !== undefined && retryableStatuses.includes(error.status));
    const delay = Math.min(MAX_BACKOFF_MS, Math.max(error.retryAfterMs ?? 0, backoffMs * 2 ** (ref.attempt - 1)));
    return { outcome: "failed", message, retryable, retryAt: retryable ? new Date(Date.now() + delay).toISOString() : null };
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
  return ended.count > 0;
}

/** Follows an open ticket. A target that cannot be reached now is asked again later. */
export async function checkTicket(db: Db, ref: StepRef & { ticketRef: string; poll: number }): Promise<{ state: "open" | "resolved" | "failed"; label: string; nextCheckAt: string }> {
  const grant = await loadGrantContext(db, ref.grantId);
  const { connector, target } = await loadStep(db, grant, ref.stepIndex);
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
