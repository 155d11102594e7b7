import "server-only";
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { z } from "zod";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";

// A change waiting for a second admin pins the exact content of every policy it refers to: the second
// admin approves that version, not whatever the policy says by the time they click. Approving re-checks
// the pins and refuses when a policy moved on; while a change is pending, editing a policy it refers to
// needs a second admin too (server/policies/changes.ts).

/** A policy as stored: what decides requests, nothing else (not its id or timestamps). */
export type PolicyContent = { name: string; description: string; autoApprove: boolean; steps: unknown; conditions: unknown; maxDurationDays: number | null };

export const policyContent = (row: PolicyContent): PolicyContent => ({
  name: row.name,
  description: row.description,
  autoApprove: row.autoApprove,
  steps: row.steps,
  conditions: row.conditions,
  maxDurationDays: row.maxDurationDays,
});

/** sha256 of the canonical JSON (RFC 8785) of the policy's content. */
export const policyHash = (row: PolicyContent): string =>
  createHash("sha256")
    .update(canonicalize(policyContent(row)) ?? "")
    .digest("hex");

export const pinnedPolicy = z.object({
  policyId: z.string(),
  name: z.string(),
  hash: z.string(),
  /** The content as it was when the change was proposed: what the approval screen shows. */
  content: z.record(z.string(), z.unknown()),
});
export type PinnedPolicy = z.infer<typeof pinnedPolicy>;

/** The pins stored beside the change in PolicyChange.payload. Null: a row written before pinning. */
export function pinsIn(payload: unknown): PinnedPolicy[] | null {
  const parsed = z.object({ pinned: z.array(pinnedPolicy) }).safeParse(payload);
  return parsed.success ? parsed.data.pinned : null;
}

/** The policies a change refers to (replaces, deletes, or puts somewhere). */
export function referencedPolicyIds(change: { kind: string; policyId?: string | null }): string[] {
  return (change.kind === "update" || change.kind === "delete" || change.kind === "attach") && change.policyId ? [change.policyId] : [];
}

export async function pinPolicies(tx: Tx, policyIds: string[]): Promise<PinnedPolicy[]> {
  const rows = await tx.requestPolicy.findMany({ where: { id: { in: policyIds } }, orderBy: { name: "asc" } });
  return rows.map((r) => ({ policyId: r.id, name: r.name, hash: policyHash(r), content: policyContent(r) as Record<string, unknown> }));
}

/** Refuses the approval when a pinned policy changed (or went) since the change was proposed. */
export async function checkPins(tx: Tx, change: { kind: string; policyId?: string | null }, pinned: PinnedPolicy[] | null) {
  const ids = referencedPolicyIds(change);
  if (ids.length === 0) return;
  if (!pinned || ids.some((id) => !pinned.some((p) => p.policyId === id))) {
    throw new AppError("CONFLICT", "This change was proposed without recording the policy it applies, so it cannot be checked: reject it and propose it again.");
  }
  for (const pin of pinned) {
    const row = await tx.requestPolicy.findUnique({ where: { id: pin.policyId } });
    if (!row) throw new AppError("CONFLICT", `Policy “${pin.name}” was deleted since this was proposed; reject this change and propose it again.`);
    if (policyHash(row) !== pin.hash) throw new AppError("CONFLICT", `Policy “${pin.name}” changed since this was proposed; reject this change and propose it again.`);
  }
}
