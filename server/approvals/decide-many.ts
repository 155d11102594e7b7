import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import { DENY_REASON_REQUIRED, decideStep } from "@/server/approvals/decide";
import type { Db } from "@/server/db";
import { AppError, type AppErrorCode } from "@/server/errors";

export const MAX_BULK_DECISIONS = 100;

export const decideManyInput = z
  .object({
    stepIds: z
      .array(z.string().min(1))
      .min(1, "Select at least one approval.")
      .max(MAX_BULK_DECISIONS, `Select at most ${MAX_BULK_DECISIONS} approvals at a time.`)
      .transform((ids) => [...new Set(ids)]),
    decision: z.enum(["APPROVE", "DENY"]),
    comment: z.string().trim().max(2000, "Keep the comment under 2000 characters.").optional(),
  })
  .refine((d) => d.decision !== "DENY" || (d.comment?.length ?? 0) >= 5, { path: ["comment"], message: DENY_REASON_REQUIRED });
export type DecideManyInput = z.input<typeof decideManyInput>;

export type DecideManyResult =
  | { stepId: string; ok: true; requestId: string; status: "APPROVED" | "DENIED" | "PENDING_APPROVAL" }
  | { stepId: string; ok: false; code: AppErrorCode; message: string };

/**
 * One decision (and one comment) on several approval steps. Each step goes through the single
 * decision's path (decideStep: the same authorization, self-approval, eligibility and audit rules) in
 * its own transaction, one after the other, so a step someone else decided meanwhile fails alone and
 * the others still go through. Answers per step. When none could be decided the call fails with the
 * first step's reason, so a caller who may decide none of them is refused, not told "0 decided".
 */
export async function decideManySteps(db: Db, actor: Actor, input: DecideManyInput): Promise<DecideManyResult[]> {
  const { stepIds, decision, comment } = decideManyInput.parse(input);
  const results: DecideManyResult[] = [];
  for (const stepId of stepIds) {
    try {
      const done = await decideStep(db, actor, { stepId, decision, comment });
      results.push({ stepId, ok: true, requestId: done.requestId, status: done.status });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ stepId, ok: false, code: error.code, message: error.message });
    }
  }
  const failed = results.filter((r): r is Extract<DecideManyResult, { ok: false }> => !r.ok);
  if (failed.length === results.length && failed[0]) {
    throw new AppError(failed[0].code, results.length === 1 ? failed[0].message : `None of them was decided: ${failed[0].message}`);
  }
  return results;
}
