import "server-only";
import type { Tx } from "@/server/db";

// When the person a step would go to (an out-of-office delegate, an escalation's manager) cannot take
// it, it goes on to the next person up: their manager and so on up the chain, then the app owner,
// then an admin. People on leave or gone are skipped, and the note says who was skipped and why.

type Candidate = { id: string; name: string | null; email: string; lifecycleState: string; managerId: string | null };
const select = { id: true, name: true, email: true, lifecycleState: true, managerId: true } as const;

export type NextUp = { userId: string; name: string; note: string | null };

export const label = (p: { name: string | null; email: string }) => p.name ?? p.email;
export const absence = (p: { lifecycleState: string }) => (p.lifecycleState === "LEAVE" ? "is on leave" : p.lifecycleState === "TERMINATED" ? "has left" : null);

/**
 * The first available person from `startId` up: `startId` itself, their managers, the request's app
 * owner, then an admin. `unavailable` people (the requester, whoever already had their say, whoever
 * already holds a row of the step) are passed over silently; absent ones are passed over and named.
 */
export async function nextUp(
  tx: Tx,
  input: { startId: string | null; startRole: string; requestId: string; unavailable: ReadonlySet<string>; skipped?: string[] },
): Promise<NextUp | null> {
  const skipped = [...(input.skipped ?? [])];
  const seen = new Set<string>();
  const consider = (p: Candidate | null, role: string): NextUp | null => {
    if (!p || seen.has(p.id)) return null;
    seen.add(p.id);
    const away = absence(p);
    if (away) {
      skipped.push(`${label(p)} ${away}`);
      return null;
    }
    if (input.unavailable.has(p.id)) return null;
    return { userId: p.id, name: label(p), note: skipped.length ? `${skipped.join("; ")}: routed to ${label(p)} (${role}).` : null };
  };

  let id = input.startId;
  for (let depth = 0; id && depth < 20; depth++) {
    const person = await tx.user.findUnique({ where: { id }, select });
    const found = consider(person, depth === 0 ? input.startRole : "the next manager up");
    if (found) return found;
    id = person?.managerId ?? null;
  }
  const request = await tx.accessRequest.findUnique({ where: { id: input.requestId }, select: { entitlement: { select: { app: { select: { owner: { select } } } } } } });
  const owner = consider(request?.entitlement.app.owner ?? null, "the app owner");
  if (owner) return owner;
  const admins = await tx.user.findMany({ where: { isAdmin: true }, orderBy: { createdAt: "asc" }, select });
  for (const admin of admins) {
    const found = consider(admin, "an admin");
    if (found) return found;
  }
  return null;
}
