// What the provisioning, deprovisioning, expiry, task and account functions (inngest/functions) call:
// the same domain functions, bound to the app's pool so the functions hold no database handle.
import "server-only";
import { withAppDb } from "@/server/db";
import * as accounts from "@/server/provisioning/accounts";
import * as bulk from "@/server/provisioning/bulk";
import * as bulkScim from "@/server/provisioning/bulk-scim";
import * as effects from "@/server/provisioning/effects";
import * as expiry from "@/server/provisioning/expiry";
import * as grantState from "@/server/provisioning/grant-state";
import * as lifecycle from "@/server/provisioning/lifecycle";
import * as runStep from "@/server/provisioning/run-step";
import * as taskState from "@/server/provisioning/task-state";
import * as openTasks from "@/server/provisioning/tasks";
import * as tasks from "@/server/provisioning/notify-task-assignee";

export const startProvisioning = withAppDb(lifecycle.startProvisioning);
export const finishProvisioning = withAppDb(lifecycle.finishProvisioning);
export const failProvisioning = withAppDb(lifecycle.failProvisioning);
export const grantStatus = withAppDb(grantState.grantStatus);
export const markDeprovisioned = withAppDb(grantState.markDeprovisioned);
export const markDeprovisioningFailed = withAppDb(grantState.markDeprovisioningFailed);

export const expiryPlan = withAppDb(expiry.expiryPlan);
export const warnBeforeExpiry = withAppDb(expiry.warnBeforeExpiry);
export const expireGrant = withAppDb(expiry.expireGrant);

export const notifyTaskAssignee = withAppDb(tasks.notifyTaskAssignee);
export const updateAccount = withAppDb(accounts.updateAccount);
export const markAccountFailed = withAppDb(accounts.markAccountFailed);

// The plan runner (inngest/plan-runner.ts), which the provisioning functions share.
export const plannedSteps = withAppDb(runStep.plannedSteps);
export const runPlanStep = withAppDb(runStep.runPlanStep);
export const checkTicket = withAppDb(runStep.checkTicket);
export const waitingAttemptState = withAppDb(runStep.waitingAttemptState);
export const finishWaitingAttempt = withAppDb(runStep.finishWaitingAttempt);
export const taskStatus = withAppDb(taskState.taskStatus);
export const attemptHistory = withAppDb(taskState.attemptHistory);
export const recordManualOutcome = withAppDb(effects.recordManualOutcome);
export const revokeRequested = withAppDb(grantState.revokeRequested);
export const openTask = withAppDb(openTasks.openTask);

// The batched provisioning of rule-driven grants (inngest/functions/provision-in-bulk.ts).
export const sortBulkGrants = withAppDb(bulk.sortBulkGrants);
export const enrollMany = withAppDb(bulk.enrollMany);
export const provisionScimBatch = withAppDb(bulkScim.provisionScimBatch);
export const finishMany = withAppDb(bulk.finishMany);
export const notifyProvisioned = withAppDb(bulk.notifyProvisioned);
export const handOffGrants = withAppDb(bulk.handOff);
