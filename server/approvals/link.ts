import "server-only";
import { z } from "zod";
import type { Decision } from "@/generated/prisma/enums";
import type { Actor } from "@/server/actor";
import { approverContext, type ApproverContext } from "@/server/approvals/context";
import { decideByToken } from "@/server/approvals/decide";
import { readPlannedSteps } from "@/server/approvals/open-step";
import { checkApprovalToken, type LinkProblem } from "@/server/approvals/tokens";
import type { Db, Tx } from "@/server/db";

// An approval email's link, opened by a signed-in person. The raw token is the link's secret: it names
// one step, one decision and the one approver who may use it, works once, and expires (tokens.ts).

/** A real token is 43 characters; anything far longer is refused before it is hashed. */
const token = z.string().max(4096, "That approval link is not valid.");
export const approvalLinkInput = z.object({ token });
export const decideByLinkInput = z.object({
  token,
  comment: z.string().trim().max(2000, "Keep the comment under 2000 characters.").optional(),
});

export type ApprovalLinkView =
  /** `action` only for the link's own approver, once the link is spent: the decision it made. */
  | { ok: false; problem: LinkProblem; action?: Decision }
  | {
      ok: true;
      action: Decision;
      step: { position: number; count: number; label: string; requireAll: boolean; routingNote: string | null; because: string | null };
      policyName: string | null;
      requester: { name: string | null; email: string; department: string | null };
      access: { app: string; entitlement: string };
      justification: string;
      /** Duration, risk, peers, what the requester holds, who asked (context.ts). */
      context: ApproverContext | null;
    };

/**
 * What the link shows its viewer: the request to decide, or why the link does not work for them.
 * Someone other than the link's approver learns only the problem, never the request.
 */
export async function viewApprovalLink(db: Tx, actor: Actor, rawToken: string): Promise<ApprovalLinkView> {
  const check = await checkApprovalToken(db, rawToken, actor.id);
  if (!check.ok) return check.problem === "used" && check.token ? { ok: false, problem: "used", action: check.token.action } : { ok: false, problem: check.problem };
  const { step } = check.token;
  const { request } = step;
  const planned = readPlannedSteps(request.plannedSteps);
  return {
    ok: true,
    action: check.token.action,
    step: {
      position: step.position,
      count: Math.max(planned.length, step.position + 1),
      label: step.label,
      requireAll: step.requireAll,
      routingNote: step.routingNote,
      because: planned[step.position]?.because ?? null,
    },
    policyName: request.policyName,
    requester: { name: request.requester.name, email: request.requester.email, department: request.requester.department?.name ?? null },
    access: { app: request.entitlement.app.name, entitlement: request.entitlement.name },
    justification: request.justification,
    context: await approverContext(db, request.id),
  };
}

/** The link's decision, as its approver: checked, spent and decided in one transaction (decide.ts). */
export async function decideByLink(db: Db, actor: Actor, input: z.infer<typeof decideByLinkInput>) {
  return decideByToken(db, actor, input.token, input.comment);
}
