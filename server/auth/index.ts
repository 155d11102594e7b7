import "server-only";
import NextAuth from "next-auth";
import { cookies } from "next/headers";
import Nodemailer from "next-auth/providers/nodemailer";
import type { Actor } from "@/server/actor";
import { OIDC_PROVIDER_ID, oidcProvider, oidcSettings } from "@/server/auth/oidc";
import { directoryAdapter, sessionTokenHash } from "@/server/auth/adapter";
import { decideSignIn, personForEmail, signInIdentifier } from "@/server/auth/people";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { signInMail } from "@/server/mail/templates";
import { signInMailAllowed } from "@/server/security/sign-in-limit";

/**
 * Email magic-link sign-in, plus the organisation's OpenID Connect identity provider when AUTH_OIDC_*
 * is set, with sessions stored in Postgres (database strategy) so that ending a session, or removing
 * a person, takes effect at once — a JWT would stay valid until it expired. Only people already in
 * the directory, and active (not on leave or terminated), may sign in: the portal is not open for
 * sign-up.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const e = env();
  const oidc = oidcSettings(e);
  // Sign-in links are built from AUTH_URL, never from the request's Host header, which anyone can
  // set: a forged Host would otherwise put an attacker's site in the link a victim receives.
  process.env.AUTH_URL = e.APP_URL;
  return {
    adapter: directoryAdapter(db()),
    secret: e.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "database", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin/error" },
    providers: [
      ...(oidc ? [oidcProvider(oidc)] : []),
      Nodemailer({
        // Delivery goes through our own mail module (SMTP, or the dev mailbox); this is required by the provider.
        server: e.SMTP_URL ?? "smtp://localhost:25",
        from: e.MAIL_FROM,
        maxAge: 15 * 60,
        // Only a plain address gets a link (also when the sign-in endpoint is posted to directly).
        normalizeIdentifier: signInIdentifier,
        // Only active people in the directory get a link; the page says "check your email" either
        // way, so it does not tell a stranger which addresses exist (or who has left).
        async sendVerificationRequest({ identifier, url, request }) {
          // Over the rate limit the page says the same, but nothing is sent (server/security/sign-in-limit.ts).
          if (!(await signInMailAllowed(identifier, request))) return;
          const decision = await personForEmail(db(), identifier);
          if (decision.allowed) await sendMail(db(), signInMail(identifier, url));
        },
      }),
    ],
    callbacks: {
      async signIn({ user, account, profile, email }) {
        if (email?.verificationRequest) return true;
        const decision = await decideSignIn(
          db(),
          account?.provider === OIDC_PROVIDER_ID
            ? { oidc: { providerId: account.provider, providerAccountId: account.providerAccountId, profile: profile ?? {} } }
            : { email: user.email },
        );
        return decision.allowed ? true : `/signin/error?error=${decision.error}`;
      },
      // What /api/auth/session gives the browser: who is signed in, and until when. next-auth would
      // pass on the session row (with its token) and the whole user row.
      session({ session, user }) {
        return {
          expires: session.expires,
          user: { id: user.id, name: user.name ?? null, email: user.email, isAdmin: (user as { isAdmin?: boolean }).isAdmin === true },
        } as typeof session;
      },
    },
  };
});

/** The organisation's identity provider, for the sign-in page's button; null when SSO is off. */
export function ssoProvider(): { id: string; name: string } | null {
  const oidc = oidcSettings(env());
  return oidc ? { id: OIDC_PROVIDER_ID, name: oidc.name } : null;
}

/**
 * The signed-in person, or null. Pages and the tRPC context both start here.
 *
 * Reads next-auth's database session directly (one indexed query) instead of running `auth()`,
 * which costs several times more on every API call. Sessions therefore end 8 hours after sign-in
 * (an absolute timeout, which suits an access-governance tool) rather than sliding. A person on
 * leave or terminated has no actor, whatever sessions they still hold.
 */
export async function currentActor(): Promise<Actor | null> {
  const jar = await cookies();
  const token = jar.get("__Secure-authjs.session-token")?.value ?? jar.get("authjs.session-token")?.value;
  if (!token) return null;
  // Every call asks this, so it is one statement (a nested select was two).
  // Someone put on leave or terminated is signed out at once, not when the session ends.
  const [actor] = await db().$queryRaw<Actor[]>`
    SELECT u.id, u.email, u.name, u."isAdmin"
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s."sessionToken" = ${sessionTokenHash(token)} AND s.expires > now() AND u."lifecycleState" = 'ACTIVE'`;
  return actor ?? null;
}
