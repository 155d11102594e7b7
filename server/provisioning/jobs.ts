// What the provisioning, deprovisioning, expiry, task and account functions (inngest/functions) call:
// the same domain functions, bound to the app's pool so the functions hold no database handle.
import "server-only";
import { withAppDb } from "@/server/db";
import * as accounts from "@/server/provisioning/accounts";
import * as expiry from "@/server/provisioning/expiry";
import * as grantState from "@/server/provisioning/grant-state";
import * as lifecycle from "@/server/provisioning/lifecycle";
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
