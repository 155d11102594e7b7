import "server-only";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { mailTransport } from "@/server/mail/transport";

export type Mail = { to: string; subject: string; text: string; html?: string };

export async function sendMail(db: Db, mail: Mail): Promise<void> {
  await mailTransport(db).sendMail({ from: env().MAIL_FROM, ...mail });
}
