import type { Tx } from "@/server/db";

// Who may sign in, whichever way they prove who they are (magic link or the organisation's
// identity provider): only people already in the directory, and only while they are active.

/** The error code `/signin/error` explains: not in the directory, or on leave / terminated. */
export type SignInRefusal = "AccessDenied" | "AccountInactive";

export type SignInDecision =
  | { allowed: true; person: { id: string; email: string; name: string | null } }
  | { allowed: false; error: SignInRefusal };

/** The person with this email address, compared case-insensitively (IdPs and HR feeds vary in case). */
export async function findPersonByEmail(db: Tx, email: string) {
  const normalized = email.trim();
  if (!normalized) return null;
  // Emails are unique, but only case-sensitively; should two rows differ only in case, the oldest wins
  // (and stays the same one on every sign-in).
  return db.user.findFirst({
    where: { email: { equals: normalized, mode: "insensitive" } },
    orderBy: { createdAt: "asc" },
  });
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
