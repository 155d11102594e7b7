import { describe, expect, it } from "vitest";
import { OIDC_PROVIDER_ID, oidcProvider, oidcSettings } from "@/server/auth/oidc";
import { parseEnv } from "@/server/env";

const base = { DATABASE_URL: "postgres://localhost/portal", AUTH_SECRET: "x".repeat(32) };
const oidc = { AUTH_OIDC_ISSUER: "https://login.example.com", AUTH_OIDC_CLIENT_ID: "portal", AUTH_OIDC_CLIENT_SECRET: "s3cret" };

describe("SSO settings", () => {
  it("are off unless configured, and on with all three variables, labelled SSO unless named", () => {
    expect(oidcSettings(parseEnv(base))).toBeNull();
    expect(oidcSettings(parseEnv({ ...base, ...oidc }))).toEqual({ issuer: "https://login.example.com", clientId: "portal", clientSecret: "s3cret", name: "SSO" });
    expect(oidcSettings(parseEnv({ ...base, ...oidc, AUTH_OIDC_NAME: "Okta" }))?.name).toBe("Okta");
    // An empty value means unset.
    expect(oidcSettings(parseEnv({ ...base, AUTH_OIDC_ISSUER: "", AUTH_OIDC_CLIENT_ID: "", AUTH_OIDC_CLIENT_SECRET: "" }))).toBeNull();
  });

  it("refuse to start half-configured or with an issuer that is not a URL", () => {
    expect(() => parseEnv({ ...base, AUTH_OIDC_ISSUER: oidc.AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID: "portal" })).toThrow(/set all three/);
    expect(() => parseEnv({ ...base, ...oidc, AUTH_OIDC_ISSUER: "login.example.com" })).toThrow(/AUTH_OIDC_ISSUER: must be the identity provider's issuer URL/);
  });

  it("give next-auth an OIDC provider with PKCE and state, mapping the ID token to a lowercase email", () => {
    const provider = oidcProvider(oidcSettings(parseEnv({ ...base, ...oidc }))!);
    expect(provider).toMatchObject({ id: OIDC_PROVIDER_ID, type: "oidc", issuer: "https://login.example.com", checks: ["pkce", "state"], allowDangerousEmailAccountLinking: true });
    expect(provider.profile?.({ sub: "abc", email: " Erin@Example.com", name: "Erin" }, {})).toEqual({ id: "abc", email: "erin@example.com", name: "Erin", image: null });
  });
});
