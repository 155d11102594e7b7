import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Decision } from "@/generated/prisma/enums";
import type { Tx } from "@/server/db";

export const APPROVAL_LINK_TTL_MS = 72 * 60 * 60 * 1000;

export const hashToken = (raw: string) => createHash("sha256").update(raw).digest("hex");

/**
 * Issue one Approve and one Deny link for a step. The raw tokens exist only in the email; the
 * database keeps their hashes, each bound to the step (so the request), its approver and one action.
 */
export async function issueApprovalTokens(
  tx: Tx,
  step: { id: string; approverId: string },
  now = new Date(),
): Promise<{ approve: string; deny: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + APPROVAL_LINK_TTL_MS);
  const make = async (action: Decision) => {
    const raw = randomBytes(32).toString("base64url");
    await tx.approvalToken.create({
      data: { tokenHash: hashToken(raw), stepId: step.id, approverId: step.approverId, action, expiresAt },
    });
    return raw;
  };
  return { approve: await make("APPROVE"), deny: await make("DENY"), expiresAt };
}

export type LinkProblem = "invalid" | "used" | "expired" | "wrong-user" | "decided" | "reassigned";

export const linkProblemText: Record<LinkProblem, { title: string; detail: string }> = {
  invalid: {
    title: "This approval link is not valid",
    detail: "The link is incomplete or has been altered. Open the request from your Approvals inbox instead.",
  },
  used: { title: "This approval link has already been used", detail: "Each link works once. The decision it made stands." },
  expired: {
    title: "This approval link has expired",
    detail: "Approval links work for 72 hours. You can still decide from your Approvals inbox.",
  },
  "wrong-user": {
    title: "This approval link is for someone else",
    detail: "It was sent to another approver. Sign in as that person, or ask them to decide.",
  },
  reassigned: {
    title: "This approval was handed to someone else",
    detail: "It was reassigned, delegated or escalated to another approver, so your link no longer works.",
  },
  decided: {
    title: "This request has already been decided",
    detail: "Someone decided it, or it was withdrawn, so the link no longer works.",
  },
};

/** Look a raw link token up and say whether this viewer may use it now. */
export async function checkApprovalToken(tx: Tx, raw: string, viewerId: string, now = new Date()) {
  const token = await tx.approvalToken.findUnique({
    where: { tokenHash: hashToken(raw) },
    include: {
      step: {
        include: {
          request: {
            include: {
              requester: { select: { id: true, name: true, email: true, department: { select: { name: true } } } },
              entitlement: { select: { name: true, description: true, app: { select: { name: true } } } },
            },
          },
        },
      },
      approver: { select: { name: true, email: true } },
    },
  });
  if (!token) return { ok: false as const, problem: "invalid" as LinkProblem };
  const problem: LinkProblem | null =
    token.approverId !== viewerId
      ? "wrong-user"
      : token.step.approverId !== token.approverId
        ? "reassigned"
        : token.usedAt
        ? "used"
        : token.step.status !== "PENDING" || token.step.request.status !== "PENDING_APPROVAL"
          ? "decided"
          : token.expiresAt <= now
            ? "expired"
            : null;
  if (problem) return { ok: false as const, problem, token };
  return { ok: true as const, token };
}
