import "server-only";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import type { Mail } from "@/server/mail/send";
import { sendMail } from "@/server/mail/send";
import { oneLine } from "@/server/mail/templates";

// A mover's manager hears that their report's role changed and that their access will be recomputed.

export type MoveChange = { field: string; before: string | null; after: string | null };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export function moverMail(p: { to: string; person: string; changes: MoveChange[]; reviewUrl: string }): Mail {
  // HR values are typed by someone else: each stays on its own line, so none can pose as the mail's own.
  const lines = p.changes.map((c) => oneLine(`${c.field[0]!.toUpperCase()}${c.field.slice(1)}: ${c.before ?? "none"} → ${c.after ?? "none"}`));
  const person = oneLine(p.person);
  const recompute =
    "Their access will be recomputed: access that comes with their new role is added automatically, and access tied to the old one may be removed. Anything else they still need can be requested in the portal.";
  return {
    to: p.to,
    subject: `${person} changed role: their access will be recomputed`,
    text: [`${person}'s HR record changed:`, ...lines.map((l) => `  ${l}`), "", recompute, "", `Their requests: ${p.reviewUrl}`].join("\n"),
    html: `<p><strong>${escape(person)}</strong>'s HR record changed:</p>
<ul>${lines.map((l) => `<li>${escape(l)}</li>`).join("")}</ul>
<p>${escape(recompute)}</p>
<p><a href="${escape(p.reviewUrl)}">See their requests</a></p>`,
  };
}

/** Emails the person's manager about the move. Nothing is sent to a manager who is no longer active. */
export async function notifyManagerOfMove(db: Db, input: { userId: string; managerId: string; changes: MoveChange[] }): Promise<{ sent: boolean }> {
  const [person, manager] = await Promise.all([
    db.user.findUnique({ where: { id: input.userId }, select: { name: true, email: true, lifecycleState: true } }),
    db.user.findUnique({ where: { id: input.managerId }, select: { email: true, lifecycleState: true } }),
  ]);
  if (!person || !manager || manager.lifecycleState !== "ACTIVE" || person.lifecycleState === "TERMINATED") return { sent: false };
  await sendMail(db, moverMail({ to: manager.email, person: person.name ?? person.email, changes: input.changes, reviewUrl: `${env().APP_URL}/requests` }));
  return { sent: true };
}
