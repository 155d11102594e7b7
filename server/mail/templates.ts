import type { Mail } from "@/server/mail/send";

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const button = (href: string, label: string, color: string) =>
  `<a href="${escape(href)}" style="display:inline-block;padding:10px 18px;margin-right:8px;border-radius:6px;background:${color};color:#fff;text-decoration:none;font-weight:600">${escape(label)}</a>`;

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
}): Mail {
  const what = `${p.app} / ${p.entitlement}`;
  return {
    to: p.to,
    subject: `${p.prefix ? `${p.prefix}: ` : ""}Access request: ${p.requester} wants ${what}`,
    text: [
      `${p.requester} requests access to ${what}.`,
      ...(p.step ? [p.step] : []),
      ``,
      `Justification: ${p.justification}`,
      ``,
      `Approve: ${p.approveUrl}`,
      `Deny: ${p.denyUrl}`,
      ``,
      `The links work once, only for you, until ${p.expiresAt.toUTCString()}.`,
      `You can also decide in the portal: ${p.requestUrl}`,
    ].join("\n"),
    html: `<p><strong>${escape(p.requester)}</strong> requests access to <strong>${escape(what)}</strong>.</p>${p.step ? `\n<p>${escape(p.step)}</p>` : ""}
<blockquote style="border-left:3px solid #ddd;margin:0;padding-left:12px;color:#333">${escape(p.justification)}</blockquote>
<p style="margin-top:16px">${button(p.approveUrl, "Approve", "#15803d")}${button(p.denyUrl, "Deny", "#b91c1c")}</p>
<p style="color:#666">The links work once, only for you, until ${escape(p.expiresAt.toUTCString())}. You can also decide in the <a href="${escape(p.requestUrl)}">portal</a>.</p>`,
  };
}

export function requestOutcomeMail(p: {
  to: string;
  entitlement: string;
  app: string;
  outcome: "provisioned" | "denied" | "failed";
  detail?: string;
  requestUrl: string;
}): Mail {
  const what = `${p.app} / ${p.entitlement}`;
  const headline = {
    provisioned: `Your access to ${what} is ready`,
    denied: `Your request for ${what} was denied`,
    failed: `Provisioning ${what} failed`,
  }[p.outcome];
  const detail = p.detail ? `\n\n${p.detail}` : "";
  return {
    to: p.to,
    subject: headline,
    text: `${headline}.${detail}\n\nDetails: ${p.requestUrl}`,
    html: `<p>${escape(headline)}.</p>${p.detail ? `<p>${escape(p.detail)}</p>` : ""}<p><a href="${escape(p.requestUrl)}">See the request</a></p>`,
  };
}

export function taskAssignedMail(p: {
  to: string;
  kind: "PROVISION" | "DEPROVISION";
  person: string;
  entitlement: string;
  app: string;
  reason: string;
  taskUrl: string;
}): Mail {
  const what = `${p.app} / ${p.entitlement}`;
  const verb = p.kind === "PROVISION" ? "Provision" : "Deprovision";
  const subject = `Task: ${verb} ${what} for ${p.person}`;
  return {
    to: p.to,
    subject,
    text: `${subject}.\n\n${p.reason}\n\nOpen the task: ${p.taskUrl}`,
    html: `<p><strong>${escape(subject)}</strong>.</p><p>${escape(p.reason)}</p><p>${button(p.taskUrl, "Open the task", "#4f46e5")}</p>`,
  };
}

export function accessExpiringMail(p: { to: string; entitlement: string; app: string; expiresAt: Date; extendUrl: string }): Mail {
  const what = `${p.app} / ${p.entitlement}`;
  const when = p.expiresAt.toUTCString();
  return {
    to: p.to,
    subject: `Your access to ${what} ends ${when}`,
    text: `Your access to ${what} ends ${when}. It is removed then.\n\nTo keep it, request an extension: ${p.extendUrl}`,
    html: `<p>Your access to <strong>${escape(what)}</strong> ends ${escape(when)}. It is removed then.</p><p>${button(p.extendUrl, "Request an extension", "#4f46e5")}</p>`,
  };
}
