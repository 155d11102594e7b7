import "server-only";
import type { Tx } from "@/server/db";
import { byEmail, emailKey, isWorkEmail } from "@/server/people/email";

// Who may sign in, whichever way they prove who they are (magic link or the organisation's
// identity provider): only people already in the directory, and only while they are active.

/** The error code `/signin/error` explains: not in the directory, or on leave / terminated. */
export type SignInRefusal = "AccessDenied" | "AccountInactive";

export type SignInDecision =
  | { allowed: true; person: { id: string; email: string; name: string | null } }
  | { allowed: false; error: SignInRefusal };

/**
 * The person with exactly this email address, whatever its case (IdPs and HR feeds vary in case).
 * Anything that is not a plain address finds nobody.
 */
export async function findPersonByEmail(db: Tx, email: string) {
  if (!isWorkEmail(email)) return null;
  return db.user.findUnique({ where: byEmail(email) });
}

/** Whether the person with this email may sign in now. */
export async function personForEmail(db: Tx, email: string | null | undefined): Promise<SignInDecision> {
  const person = email ? await findPersonByEmail(db, email) : null;
  if (!person) return { allowed: false, error: "AccessDenied" };
  // On leave or gone: their access is suspended or revoked, and so is the portal.
  if (person.lifecycleState !== "ACTIVE") return { allowed: false, error: "AccountInactive" };
  return { allowed: true, person: { id: person.id, email: person.email, name: person.name } };
}

/** The claims of an OpenID Connect ID token the mapping reads. */
export type OidcProfile = { sub?: unknown; email?: unknown; email_verified?: unknown };

/**
 * The directory person an identity provider's user signs in as: the person with the ID token's
 * email, case-insensitively. Unknown people, people on leave or terminated, and addresses the IdP
 * itself says are unverified are refused. (IdPs that never send `email_verified`, like Entra ID,
 * are trusted: the IdP is the organisation's own.)
 */
export async function personForOidcProfile(db: Tx, profile: OidcProfile): Promise<SignInDecision> {
  if (typeof profile.email !== "string" || profile.email_verified === false) return { allowed: false, error: "AccessDenied" };
  return personForEmail(db, profile.email);
}

/**
 * The signIn callback's decision, for either method. An IdP account linked earlier must still belong
 * to the person its email names now: an IdP that reassigned an address must not sign the newcomer
 * in as the previous owner. A magic link is checked again when it is used: the person may have
 * left since it was sent.
 */
export async function decideSignIn(
  db: Tx,
  attempt: { oidc: { providerId: string; providerAccountId: string; profile: OidcProfile } } | { email: string | null | undefined },
): Promise<SignInDecision> {
  if (!("oidc" in attempt)) return personForEmail(db, attempt.email);
  const { providerId, providerAccountId, profile } = attempt.oidc;
  const decision = await personForOidcProfile(db, profile);
  if (!decision.allowed) return decision;
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: providerId, providerAccountId } },
    select: { userId: true },
  });
  return linked && linked.userId !== decision.person.id ? { allowed: false, error: "AccessDenied" } : decision;
}

/**
 * The address a sign-in link is made for (next-auth's `normalizeIdentifier`): NFKC first, so a
 * look-alike `@` cannot split it later, then it must be a plain work address, compared as its key.
 */
export function signInIdentifier(raw: string): string {
  const address = String(raw ?? "").normalize("NFKC");
  if (!isWorkEmail(address)) throw new Error("Enter a valid email address, like name@example.com.");
  return emailKey(address);
}
