import "server-only";
import type { Mail } from "@/server/mail/send";

// Mail bodies mix the portal's own lines (links, instructions) with text people typed: justifications,
// comments, reasons, names. In the plain-text part, typed text must never pass for the portal's own lines
// ("Approve: https://evil…"), so multi-line text is quoted ("> " before every line) and names are kept on
// one line. Control characters and bidi overrides, which can hide or reorder what is shown, are removed
// from both parts; the HTML part is escaped as well.

// C0 and C1 controls except tab and newline; bidi embeddings, overrides, isolates and marks; zero-width
// spaces and the BOM, which can hide a word or split a URL invisibly (ZWJ/ZWNJ stay: scripts need them).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// Everything a mail client may break a line on.
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/;

/** Typed text with invisible and reordering characters removed; line breaks kept as "\n". */
export function cleanText(s: string): string {
  return s.split(LINE_BREAK).map((line) => line.replace(INVISIBLE, "").replace(/\t/g, "  ")).join("\n");
}

/** Typed text for the middle of a line (a name, an entitlement): one line, whatever it held. */
export function oneLine(s: string): string {
  return cleanText(s).replace(/\s+/g, " ").trim();
}

/** Typed text as a quote: every line starts with "> ", so none can look like the mail's own. */
export function quoted(s: string): string {
  return cleanText(s)
    .trim()
    .split("\n")
    .map((line) => (line.trim() ? `> ${line}` : ">"))
    .join("\n");
}

export const escape = (s: string) =>
  cleanText(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export const button = (href: string, label: string, color: string) =>
  `<a href="${escape(href)}" style="display:inline-block;padding:10px 18px;margin-right:8px;border-radius:6px;background:${color};color:#fff;text-decoration:none;font-weight:600">${escape(label)}</a>`;

/** Typed text in HTML: escaped, its line breaks kept. */
const block = (s: string) => `<blockquote style="border-left:3px solid #ddd;margin:0;padding-left:12px;color:#333;white-space:pre-wrap">${escape(cleanText(s).trim())}</blockquote>`;

export function signInMail(to: string, url: string): Mail {
  return {
    to,
    subject: "Sign in to Access Portal",
    text: `Sign in to Access Portal:\n${url}\n\nIf you did not ask for this, ignore this email.`,
    html: `<p>Click to sign in to Access Portal:</p><p>${button(url, "Sign in", "#4f46e5")}</p><p style="color:#666">If you did not ask for this, ignore this email.</p>`,
  };
}

export function approvalRequestMail(p: {
  to: string;
  requester: string;
  /** Who asked, when the portal asked for the requester: "The rule “Sales” of the access profile “Sales kit”". */
  asker?: string;
  entitlement: string;
  app: string;
  justification: string;
  approveUrl: string;
  denyUrl: string;
  requestUrl: string;
  expiresAt: Date;
  /** "Reminder" or "Escalated to you": said first in the subject. */
  prefix?: string;
  /** Which policy step this is, e.g. "Step 2 of 3: App owner. All of: Rosa Diaz, Lena Fischer must approve." */
  step?: string;
  /** What the approver needs to decide, one fact a line: duration, risk, peers, what the requester holds. */
  context?: string[];
}): Mail {
  const requester = oneLine(p.requester);
  const asker = p.asker ? oneLine(p.asker) : undefined;
  const what = oneLine(`${p.app} / ${p.entitlement}`);
  const step = p.step ? oneLine(p.step) : undefined;
  const context = (p.context ?? []).map(oneLine);
  const headline = asker ? `${asker} asks for ${requester} to get ${what}` : `${requester} requests access to ${what}`;
  return {
    to: p.to,
    subject: `${p.prefix ? `${p.prefix}: ` : ""}Access request: ${asker ? `${asker} asks for ${requester} to get` : `${requester} wants`} ${what}`,
    text: [
      `${headline}.`,
      ...(step ? [step] : []),
      ...(context.length ? [``, ...context.map((line) => `- ${line}`)] : []),
      ``,
      `Justification:`,
      quoted(p.justification),
      ``,
      `Approve: ${p.approveUrl}`,
      `Deny: ${p.denyUrl}`,
      ``,
      `The links work once, only for you, until ${p.expiresAt.toUTCString()}.`,
      `You can also decide in the portal: ${p.requestUrl}`,
    ].join("\n"),
    html: `<p>${asker ? `${escape(asker)} asks for <strong>${escape(requester)}</strong> to get` : `<strong>${escape(requester)}</strong> requests access to`} <strong>${escape(what)}</strong>.</p>${step ? `\n<p>${escape(step)}</p>` : ""}${context.length ? `\n<ul>${context.map((line) => `<li>${escape(line)}</li>`).join("")}</ul>` : ""}
${block(p.justification)}
<p style="margin-top:16px">${button(p.approveUrl, "Approve", "#15803d")}${button(p.denyUrl, "Deny", "#b91c1c")}</p>
<p style="color:#666">The links work once, only for you, until ${escape(p.expiresAt.toUTCString())}. You can also decide in the <a href="${escape(p.requestUrl)}">portal</a>.</p>`,
  };
}

export function requestOutcomeMail(p: {
  to: string;
  entitlement: string;
  app: string;
  outcome: "provisioned" | "denied" | "failed";
  /** Who decided, with their comments, or why provisioning failed: may quote people and targets. */
  detail?: string;
  requestUrl: string;
}): Mail {
  const what = oneLine(`${p.app} / ${p.entitlement}`);
  const headline = {
    provisioned: `Your access to ${what} is ready`,
    denied: `Your request for ${what} was denied`,
    failed: `Provisioning ${what} failed`,
  }[p.outcome];
  const detail = p.detail ? `\n\n${quoted(p.detail)}` : "";
  return {
    to: p.to,
    subject: headline,
    text: `${headline}.${detail}\n\nDetails: ${p.requestUrl}`,
    html: `<p>${escape(headline)}.</p>${p.detail ? block(p.detail) : ""}<p><a href="${escape(p.requestUrl)}">See the request</a></p>`,
  };
}

export function taskAssignedMail(p: {
  to: string;
  kind: "PROVISION" | "DEPROVISION";
  person: string;
  entitlement: string;
  app: string;
  /** Why the task exists: a failure reason from a target, or a reassignment reason someone typed. */
  reason: string;
  taskUrl: string;
}): Mail {
  const what = oneLine(`${p.app} / ${p.entitlement}`);
  const verb = p.kind === "PROVISION" ? "Provision" : "Deprovision";
  const subject = `Task: ${verb} ${what} for ${oneLine(p.person)}`;
  return {
    to: p.to,
    subject,
    text: `${subject}.\n\n${quoted(p.reason)}\n\nOpen the task: ${p.taskUrl}`,
    html: `<p><strong>${escape(subject)}</strong>.</p>${block(p.reason)}<p>${button(p.taskUrl, "Open the task", "#4f46e5")}</p>`,
  };
}

export function accessExpiringMail(p: { to: string; entitlement: string; app: string; expiresAt: Date; extendUrl: string }): Mail {
  const what = oneLine(`${p.app} / ${p.entitlement}`);
  const when = p.expiresAt.toUTCString();
  return {
    to: p.to,
    subject: `Your access to ${what} ends ${when}`,
    text: `Your access to ${what} ends ${when}. It is removed then.\n\nTo keep it, request an extension: ${p.extendUrl}`,
    html: `<p>Your access to <strong>${escape(what)}</strong> ends ${escape(when)}. It is removed then.</p><p>${button(p.extendUrl, "Request an extension", "#4f46e5")}</p>`,
  };
}

/** To every admin: a mass revocation is held until one of them confirms or rejects it. */
export function revocationHeldMail(p: {
  to: string;
  /** What was held, e.g. "HR CSV upload by admin@example.com". */
  title: string;
  /** The scopes over their thresholds. */
  reason: string;
  /** Who would lose what: names and entitlements people typed, so each kept on one line. */
  people: { person: string; access: string[] }[];
  holdUrl: string;
}): Mail {
  const title = oneLine(p.title);
  const shown = p.people.slice(0, 50);
  const more = p.people.length - shown.length;
  const rows = shown.map((x) => `- ${oneLine(x.person)}: ${x.access.map(oneLine).join(", ") || "no access left"}`);
  const subject = `Held: ${title} would revoke access from ${p.people.length} ${p.people.length === 1 ? "person" : "people"}`;
  return {
    to: p.to,
    subject,
    text: [
      `${subject}. Nothing has been revoked: an admin must confirm or reject it.`,
      ``,
      quoted(p.reason),
      ``,
      `Who would lose what:`,
      ...rows,
      ...(more > 0 ? [`… and ${more} more (see the page).`] : []),
      ``,
      `Confirm or reject: ${p.holdUrl}`,
    ].join("\n"),
    html: `<p><strong>${escape(subject)}</strong>. Nothing has been revoked: an admin must confirm or reject it.</p>${block(p.reason)}
<ul>${shown.map((x) => `<li>${escape(oneLine(x.person))}: ${escape(x.access.map(oneLine).join(", ") || "no access left")}</li>`).join("")}</ul>${more > 0 ? `<p>… and ${more} more.</p>` : ""}
<p>${button(p.holdUrl, "Review, confirm or reject", "#4f46e5")}</p>`,
  };
}
