import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideSignIn, personForEmail, personForOidcProfile } from "@/server/auth/people";
import { startOidcIdp, subjectOf, type OidcIdp } from "@/test/targets/oidc-idp";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Sign-in with the organisation's identity provider: the local IdP speaks the real authorization
// code flow (driven here by a plain HTTP client, as the portal's next-auth would), and the portal
// maps the ID token's person onto the directory.

const client = { clientId: "portal", clientSecret: "portal-secret-0123456789" };
const redirectUri = "http://localhost:3999/api/auth/callback/oidc";

let idp: OidcIdp;
let demo: DemoDatabase;
beforeAll(async () => {
  [idp, demo] = await Promise.all([
    startOidcIdp({
      ...client,
      redirectUri,
      users: [
        // The IdP spells the address differently from the directory (erin@example.com).
        { email: "Erin@Example.com", name: "Erin Walsh", password: "correct horse" },
        { email: "stranger@example.com", name: "Not In The Directory" },
      ],
    }),
    demoDatabase(),
  ]);
});
afterAll(async () => {
  await idp?.stop();
  await demo?.close();
});

/** A cookie jar and redirect-following fetch: just enough browser for the IdP's pages. */
function browser() {
  const cookies = new Map<string, string>();
  async function request(url: string, init: RequestInit = {}) {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const [name = "", value = ""] = pair.split("=");
      const expired = attributes.some((a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired || !value) cookies.delete(name.trim());
      else cookies.set(name.trim(), value);
    }
    return res;
  }
  /** Follows redirects within the IdP; stops at a page, or at a redirect to the relying party. */
  async function follow(url: string, init?: RequestInit) {
    let res = await request(url, init);
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get("location")!, url).toString();
      if (next.startsWith(redirectUri)) return { res, url: next };
      res = await request((url = next));
    }
    return { res, url };
  }
  return { follow };
}

const b64url = (data: Buffer) => data.toString("base64url");

/** The authorization code flow up to the ID token, logging in with `email` (and `password`) on the IdP's form. */
async function signInAtIdp(email: string, password = "") {
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    authorization_endpoint: string;
    token_endpoint: string;
    jwks_uri: string;
  };
  expect(discovery.issuer).toBe(idp.issuer);

  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const auth = new URL(discovery.authorization_endpoint);
  auth.search = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: redirectUri,
    scope: "openid email profile",
    state,
    code_challenge: b64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
  }).toString();

  const { follow } = browser();
  const login = await follow(auth.toString());
  expect(login.res.status).toBe(200);
  const html = await login.res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toMatch(/^\/interaction\/[^/]+\/login$/);

  const submitted = await follow(new URL(action!, idp.issuer).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }).toString(),
  });
  if (!submitted.url.startsWith(redirectUri)) return { refused: submitted.res.status, page: await submitted.res.text() };

  const callback = new URL(submitted.url);
  expect(callback.searchParams.get("state")).toBe(state);
  expect(callback.searchParams.get("iss")).toBe(idp.issuer);
  const code = callback.searchParams.get("code");
  expect(code).toMatch(/^[\w-]{20,}$/);

  const tokenRes = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  });
  expect(tokenRes.status).toBe(200);
  const tokens = (await tokenRes.json()) as { id_token: string; access_token: string; token_type: string };
  expect(tokens.token_type).toBe("Bearer");

  // The ID token is signed with a key the IdP publishes.
  const [header = "", payload = "", signature = ""] = tokens.id_token.split(".");
  const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string; alg: string };
  expect(alg).toBe("RS256");
  const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
  const jwk = keys.find((k) => k.kid === kid);
  expect(jwk).toBeDefined();
  const key = createPublicKey({ key: jwk as never, format: "jwk" });
  expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"))).toBe(true);

  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  return { claims };
}

/** The ID token's claims for a user the IdP accepts. */
async function idTokenClaims(email: string, password?: string) {
  const result = await signInAtIdp(email, password);
  if (!result.claims) throw new Error(`the IdP refused ${email} (${result.refused})`);
  return result.claims;
}

describe("the local identity provider", () => {
  it("issues a signed ID token carrying the email of a known user, through the authorization code flow with PKCE", async () => {
    expect(await idTokenClaims("erin@example.com", "correct horse")).toMatchObject({
      iss: idp.issuer,
      aud: client.clientId,
      sub: subjectOf("erin@example.com"),
      email: "Erin@Example.com",
      email_verified: true,
      name: "Erin Walsh",
    });
  });

  it("refuses unknown users and wrong passwords on its login form", async () => {
    const unknown = await signInAtIdp("nobody@example.com");
    expect(unknown.refused).toBe(401);
    expect(unknown.page).toContain("Unknown email address or wrong password.");
    expect((await signInAtIdp("erin@example.com", "wrong")).refused).toBe(401);
  });

  it("refuses a code exchange with the wrong client secret", async () => {
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
    const res = await fetch(discovery.token_endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.clientId}:wrong`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "x", redirect_uri: redirectUri, code_verifier: "x".repeat(43) }).toString(),
    });
    expect(res.status).toBe(401);
  });
});

describe("mapping the IdP's user to a person", () => {
  it("signs the ID token's person in as the directory person with that email, whatever its case", async () => {
    const claims = await idTokenClaims("Erin@example.com", "correct horse");
    const erin = await demo.actor("erin");
    expect(await personForOidcProfile(demo.db, claims)).toEqual({ allowed: true, person: { id: erin.id, email: "erin@example.com", name: "Erin Walsh" } });
    expect(await personForOidcProfile(demo.db, { sub: "x", email: " ERIN@EXAMPLE.COM " })).toMatchObject({ allowed: true, person: { id: erin.id } });
  });

  it("finds a person whose directory address has capitals from the IdP's lowercase one", async () => {
    const tom = await demo.actor("tom");
    await demo.db.user.update({ where: { id: tom.id }, data: { email: "Tom.Okafor@Example.com" } });
    try {
      expect(await personForOidcProfile(demo.db, { sub: "t", email: "tom.okafor@example.com", email_verified: true })).toMatchObject({
        allowed: true,
        person: { id: tom.id },
      });
    } finally {
      await demo.db.user.update({ where: { id: tom.id }, data: { email: "tom@example.com" } });
    }
  });

  it("refuses an IdP user with no person in the directory", async () => {
    const claims = await idTokenClaims("stranger@example.com");
    expect(claims.email).toBe("stranger@example.com");
    expect(await personForOidcProfile(demo.db, claims)).toEqual({ allowed: false, error: "AccessDenied" });
  });

  it("refuses an ID token without an email, or whose email the IdP says is unverified", async () => {
    expect(await personForOidcProfile(demo.db, { sub: "x" })).toEqual({ allowed: false, error: "AccessDenied" });
    expect(await personForOidcProfile(demo.db, { sub: "x", email: "erin@example.com", email_verified: false })).toEqual({ allowed: false, error: "AccessDenied" });
  });

  it("refuses people who are terminated or on leave, by either sign-in method", async () => {
    for (const [key, state] of [["yuki", "TERMINATED"], ["omar", "LEAVE"]] as const) {
      const person = await demo.actor(key);
      await demo.db.user.update({ where: { id: person.id }, data: { lifecycleState: state } });
      expect(await personForOidcProfile(demo.db, { sub: "x", email: person.email, email_verified: true })).toEqual({ allowed: false, error: "AccountInactive" });
      expect(await personForEmail(demo.db, person.email)).toEqual({ allowed: false, error: "AccountInactive" });
    }
    // Back at work: allowed again.
    const omar = await demo.actor("omar");
    await demo.db.user.update({ where: { id: omar.id }, data: { lifecycleState: "ACTIVE" } });
    expect(await personForEmail(demo.db, "omar@example.com")).toMatchObject({ allowed: true, person: { id: omar.id } });
  });

  it("refuses an IdP account linked to someone else than the person its email now names", async () => {
    const [lena, ben] = [await demo.actor("lena"), await demo.actor("ben")];
    const oidc = (providerAccountId: string) => ({ oidc: { providerId: "oidc", providerAccountId, profile: { sub: providerAccountId, email: "lena@example.com" } } });
    expect(await decideSignIn(demo.db, oidc("sub-lena"))).toMatchObject({ allowed: true, person: { id: lena.id } });
    await demo.db.account.create({ data: { userId: lena.id, type: "oidc", provider: "oidc", providerAccountId: "sub-lena" } });
    expect(await decideSignIn(demo.db, oidc("sub-lena"))).toMatchObject({ allowed: true, person: { id: lena.id } });
    // The IdP gave Lena's address to the account it had linked to Ben.
    await demo.db.account.create({ data: { userId: ben.id, type: "oidc", provider: "oidc", providerAccountId: "sub-ben" } });
    expect(await decideSignIn(demo.db, oidc("sub-ben"))).toEqual({ allowed: false, error: "AccessDenied" });
    // The magic link goes by the address alone.
    expect(await decideSignIn(demo.db, { email: "lena@example.com" })).toMatchObject({ allowed: true, person: { id: lena.id } });
    expect(await decideSignIn(demo.db, { email: "nobody@example.com" })).toEqual({ allowed: false, error: "AccessDenied" });
  });
});
