import "server-only";
import type { Operation } from "@/generated/prisma/enums";
import type { Db } from "@/server/db";

// Small reads the provisioning functions make about tasks and attempts.

export async function taskStatus(db: Db, id: string) {
  const task = await db.provisioningTask.findUniqueOrThrow({ where: { id }, select: { status: true, outcomeNote: true } });
  return task;
}

/** The attempts so far, copied onto a fallback task so it stands on its own. */
export async function attemptHistory(db: Db, grantId: string, operation: Operation) {
  const attempts = await db.provisioningAttempt.findMany({
    where: { grantId, operation },
    orderBy: [{ stepIndex: "asc" }, { number: "asc" }],
    select: { stepIndex: true, method: true, number: true, outcome: true, error: true, detail: true, startedAt: true },
  });
  return attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() }));
}
