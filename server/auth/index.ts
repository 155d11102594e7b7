import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import { cookies } from "next/headers";
import Nodemailer from "next-auth/providers/nodemailer";
import type { Actor } from "@/server/actor";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { signInMail } from "@/server/mail/templates";

/**
 * Email magic-link sign-in, with sessions stored in Postgres (database strategy) so that ending a
 * session, or removing a person, takes effect at once — a JWT would stay valid until it expired.
 * Only people already in the directory may sign in: the portal is not open for sign-up.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const e = env();
  // Sign-in links are built from AUTH_URL, never from the request's Host header, which anyone can
  // set: a forged Host would otherwise put an attacker's site in the link a victim receives.
  process.env.AUTH_URL = e.APP_URL;
  return {
    adapter: PrismaAdapter(db()),
    secret: e.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "database", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin/error" },
    providers: [
      Nodemailer({
        // Delivery goes through our own mail module (SMTP, or the dev mailbox); this is required by the provider.
        server: e.SMTP_URL ?? "smtp://localhost:25",
        from: e.MAIL_FROM,
        maxAge: 15 * 60,
        // Only people in the directory get a link; the page says "check your email" either way, so it
        // does not tell a stranger which addresses exist.
        async sendVerificationRequest({ identifier, url }) {
          const known = await db().user.findUnique({ where: { email: identifier }, select: { id: true } });
          if (known) await sendMail(db(), signInMail(identifier, url));
        },
      }),
    ],
    callbacks: {
      async signIn({ user, email }) {
        if (email?.verificationRequest) return true;
        if (!user.email) return false;
        const known = await db().user.findUnique({ where: { email: user.email.toLowerCase() }, select: { id: true } });
        return known ? true : "/signin/error?error=AccessDenied";
      },
      session({ session, user }) {
        session.user.id = user.id;
        session.user.isAdmin = (user as { isAdmin?: boolean }).isAdmin === true;
        return session;
      },
    },
  };
});

/**
 * The signed-in person, or null. Pages and the tRPC context both start here.
 *
 * Reads next-auth's database session directly (one indexed query) instead of running `auth()`,
 * which costs several times more on every API call. Sessions therefore end 8 hours after sign-in
 * (an absolute timeout, which suits an access-governance tool) rather than sliding.
 */
export async function currentActor(): Promise<Actor | null> {
  const jar = await cookies();
  const token = jar.get("__Secure-authjs.session-token")?.value ?? jar.get("authjs.session-token")?.value;
  if (!token) return null;
  const session = await db().session.findUnique({
    where: { sessionToken: token },
    select: { expires: true, user: { select: { id: true, email: true, name: true, isAdmin: true } } },
  });
  if (!session || session.expires <= new Date()) return null;
  return session.user;
}
