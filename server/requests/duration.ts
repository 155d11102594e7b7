import "server-only";
import { z } from "zod";
import { durationProblem, type Evaluation } from "@/server/policies/evaluate";

// How long requested access lasts: a number of days (counted from when it is set up, or from the
// approval of an extension), or an end date the requester picked. Absent: until it is revoked.

const DAY_MS = 86_400_000;
const MAX_DAYS = 365;

export const requestLength = {
  /** Time-bound access: the access ends this many days after it is provisioned. */
  durationDays: z
    .number({ message: "Choose how long you need it." })
    .int("Choose a whole number of days.")
    .min(1, "At least one day.")
    .max(MAX_DAYS, "At most 365 days; ask again for longer.")
    .optional(),
  /** Time-bound access that ends at this moment (the browser sends the end of the chosen day). */
  endsAt: z.coerce.date({ message: "Choose a valid end date." }).optional(),
};
export type RequestLength = { durationDays?: number; endsAt?: Date };

/** The length in whole days, as policy conditions and approvers read it; an end date counts from now. */
export function lengthInDays(length: RequestLength, now = new Date()): number | null {
  if (length.endsAt) return Math.max(1, Math.floor((length.endsAt.getTime() - now.getTime()) / DAY_MS));
  return length.durationDays ?? null;
}

const day = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(d);

/** What is wrong with the chosen length, for the requester, or null when it is fine. */
export function lengthProblem(evaluation: Evaluation, length: RequestLength, now = new Date()): string | null {
  const { endsAt, durationDays } = length;
  if (!endsAt) return durationProblem(evaluation, durationDays ?? null);
  if (durationDays !== undefined) return "Choose a duration or an end date, not both.";
  if (endsAt.getTime() <= now.getTime()) return "Choose an end date in the future.";
  if (endsAt.getTime() - now.getTime() > (MAX_DAYS + 1) * DAY_MS) return "Choose an end date within a year; ask again for longer.";
  const max = evaluation.maxDurationDays;
  if (max !== null && (lengthInDays(length, now) ?? 0) > max) {
    return `The “${evaluation.policy.name}” policy allows at most ${max} days for this access: choose an end date on or before ${day(new Date(now.getTime() + max * DAY_MS))}.`;
  }
  return null;
}
