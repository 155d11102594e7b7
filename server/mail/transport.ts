import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "@/server/db";
import { env, usesDevMailbox } from "@/server/env";

/**
 * A nodemailer transport that keeps each message in the DevMail table, where the dev mailbox page
 * (/dev/mailbox) shows it. Used only when SMTP_URL is unset outside production.
 */
function devMailboxTransport(db: Db) {
  return {
    name: "dev-mailbox",
    version: "1",
    send(
      mail: { data: { to?: unknown; subject?: unknown; text?: unknown; html?: unknown } },
      done: (err: Error | null, info?: unknown) => void,
    ) {
      const { to, subject, text, html } = mail.data;
      db.devMail
        .create({ data: { to: String(to), subject: String(subject ?? ""), text: String(text ?? ""), html: html ? String(html) : null } })
        .then((row) => done(null, { messageId: row.id, envelope: { to: [String(to)] } }))
        .catch((e: Error) => done(e));
    },
  };
}

let cached: Transporter | undefined;

export function mailTransport(db: Db): Transporter {
  if (cached) return cached;
  const url = env().SMTP_URL;
  cached = usesDevMailbox() || !url ? nodemailer.createTransport(devMailboxTransport(db)) : nodemailer.createTransport(url);
  return cached;
}
