import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
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
        sendVerificationRequest: ({ identifier, url }) => sendMail(db(), signInMail(identifier, url)),
      }),
    ],
    callbacks: {
      async signIn({ user }) {
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

/** The signed-in person, or null. Pages and the tRPC context both start here. */
export async function currentActor(): Promise<Actor | null> {
  const session = await auth();
  const u = session?.user;
  if (!u?.id || !u.email) return null;
  return { id: u.id, email: u.email, name: u.name ?? null, isAdmin: u.isAdmin === true };
}
