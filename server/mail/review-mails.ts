import "server-only";
import type { Mail } from "@/server/mail/send";
import { button, escape, oneLine } from "@/server/mail/templates";

// Access review mails: one per reviewer when a campaign starts (not one per item), one when items are
// handed to them, one reminder before the due date and, a day before it, an escalation to
// the manager of each reviewer who is still behind.

const day = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC";

export function reviewAssignedMail(p: { to: string; campaign: string; count: number; dueAt: Date; url: string; from?: string; reason?: string }): Mail {
  const name = oneLine(p.campaign);
  const items = `${p.count} item${p.count === 1 ? "" : "s"}`;
  const lead = p.from ? `${oneLine(p.from)} handed you ${items} to review in “${name}”.` : `You have ${items} to review in the access review “${name}”.`;
  const why = p.reason ? `\n\nTheir reason: ${oneLine(p.reason)}` : "";
  return {
    to: p.to,
    subject: `Access review: ${items} to review by ${day(p.dueAt)}`,
    text: `${lead}${why}\n\nFor each, keep the access, keep it until a date, or revoke it (revoked access is removed from the app). Due ${day(p.dueAt)}.\n\nReview: ${p.url}`,
    html: `<p>${escape(lead)}</p>${p.reason ? `<p>Their reason: ${escape(oneLine(p.reason))}</p>` : ""}<p>For each, keep the access, keep it until a date, or revoke it (revoked access is removed from the app). Due ${escape(day(p.dueAt))}.</p><p>${button(p.url, "Open my review", "#4f46e5")}</p>`,
  };
}

export function reviewReminderMail(p: { to: string; campaign: string; pending: number; dueAt: Date; url: string }): Mail {
  const name = oneLine(p.campaign);
  const items = `${p.pending} item${p.pending === 1 ? "" : "s"}`;
  return {
    to: p.to,
    subject: `Reminder: ${items} still to review in “${name}”`,
    text: `${items} in the access review “${name}” still wait for your decision. It is due ${day(p.dueAt)}.\n\nReview: ${p.url}`,
    html: `<p>${escape(items)} in the access review “${escape(name)}” still wait for your decision. It is due ${escape(day(p.dueAt))}.</p><p>${button(p.url, "Open my review", "#4f46e5")}</p>`,
  };
}

/** `url`: the campaign's page, for an admin; a manager who is not one has no page to see the items on. */
export function reviewEscalationMail(p: { to: string; reviewer: string; campaign: string; pending: number; dueAt: Date; url?: string }): Mail {
  const name = oneLine(p.campaign);
  const items = `${p.pending} item${p.pending === 1 ? "" : "s"}`;
  const who = oneLine(p.reviewer);
  const lead = `${who} still has ${items} to review in the access review “${name}”, due ${day(p.dueAt)}. You are told as their manager (or as the review's owner).`;
  const after = "Undecided items are settled at the due date as the review says. You can remind them, or ask an admin to hand the items to someone else.";
  return {
    to: p.to,
    subject: `Escalation: ${who} has ${items} to review in “${name}”`,
    text: `${lead}\n\n${after}${p.url ? `\n\nThe review: ${p.url}` : ""}`,
    html: `<p>${escape(lead)}</p><p>${escape(after)}</p>${p.url ? `<p>${button(p.url, "Open the review", "#4f46e5")}</p>` : ""}`,
  };
}
