// What the hourly checkpoint function (inngest/functions/audit-checkpoint.ts) calls, bound to the app's pool.
import "server-only";
import { checkpointMail, type CheckpointResult, writeCheckpoint as write } from "@/server/audit/checkpoint";
import { db, withAppDb } from "@/server/db";
import { sendMail } from "@/server/mail/send";

export const writeCheckpoint = withAppDb(write);

/** Mail the auditors the signed head, or the problems that kept it from being signed. */
export const mailCheckpoint = (to: string, result: CheckpointResult) => sendMail(db(), checkpointMail(to, result));
