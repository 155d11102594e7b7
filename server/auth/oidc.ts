import "server-only";
import type { OIDCConfig } from "next-auth/providers";
import type { Env } from "@/server/env";

/** next-auth's id for the organisation's identity provider: its callback is `/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

export type OidcSettings = { issuer: string; clientId: string; clientSecret: string; name: string };

/** The identity provider's settings, or null when SSO is off (the AUTH_OIDC_* variables are unset). */
export function oidcSettings(e: Pick<Env, "AUTH_OIDC_ISSUER" | "AUTH_OIDC_CLIENT_ID" | "AUTH_OIDC_CLIENT_SECRET" | "AUTH_OIDC_NAME">): OidcSettings | null {
  const { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_CLIENT_ID: clientId, AUTH_OIDC_CLIENT_SECRET: clientSecret } = e;
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer, clientId, clientSecret, name: e.AUTH_OIDC_NAME || "SSO" };
}

type IdTokenClaims = { sub: string; email?: string; name?: string };

/**
 * next-auth's generic OpenID Connect provider for the organisation's IdP (Entra ID, Okta, Keycloak,
 * Google Workspace…): discovery from the issuer, authorization code flow with PKCE and state.
 */
export function oidcProvider(settings: OidcSettings): OIDCConfig<IdTokenClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: "oidc",
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile" } },
    // The IdP's user is linked to the directory person with the same email, signing in as that
    // User row rather than creating one. Email-based linking is unsafe in general (anyone who can
    // register an address at some IdP could take over the account); it is acceptable here because
    // (1) this IdP is the organisation's own, which manages its people's addresses, and (2) the
    // signIn callback only lets in people already in the directory (personForOidcProfile), so the
    // link can only ever land on an existing, active person whose address the organisation owns.
    allowDangerousEmailAccountLinking: true,
    profile(claims) {
      return { id: claims.sub, email: claims.email?.trim().toLowerCase() ?? null, name: claims.name ?? null, image: null };
    },
  };
}
