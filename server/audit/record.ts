import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";

export type AuditEntry = {
  actorId: string | null;
  action: string;
  objectType: "request" | "approval_step" | "grant" | "app" | "entitlement" | "user";
  objectId: string;
  requestId?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  reason?: string;
};

/** One row per state change. Call it inside the transaction that makes the change. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: entry });
}
