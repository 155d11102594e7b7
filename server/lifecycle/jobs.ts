// What the HR lifecycle functions (inngest/functions/lifecycle.ts) call, bound to the app's pool.
import "server-only";
import { withAppDb } from "@/server/db";
import * as accounts from "@/server/lifecycle/accounts";
import * as notify from "@/server/lifecycle/notify-manager";

export const accountsToAlign = withAppDb(accounts.accountsToAlign);
export const alignAccount = withAppDb(accounts.alignAccount);
export const markAccountAlignFailed = withAppDb(accounts.markAccountAlignFailed);
export const markAlignFailed = withAppDb(accounts.markAlignFailed);
export const notifyManagerOfMove = withAppDb(notify.notifyManagerOfMove);
