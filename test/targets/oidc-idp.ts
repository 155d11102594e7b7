import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { type Adapter, type AdapterPayload, type InteractionDetails } from "oidc-provider";
import { listenOn } from "@/dev/listen";

// A real OpenID Connect identity provider (oidc-provider, the certified implementation), standing in
// for the organisation's IdP (Entra ID, Okta, Keycloak…) in the tests: discovery, the authorization
// code flow with PKCE, signed ID tokens. One static client; a login page that accepts its known users.
// Nothing is persisted: every start begins with no sessions.

export interface OidcIdpUser {
  email: string;
  name: string;
  /** When set, the login form requires it; otherwise the email alone signs in. */
  password?: string;
}

export interface OidcIdpOptions {
  /** 0 or unset picks a free port. */
  port?: number;
  clientId: string;
  clientSecret: string;
  /** The relying party's callback, e.g. http://localhost:3000/api/auth/callback/oidc. */
  redirectUri: string;
  users: OidcIdpUser[];
}

export interface OidcIdp {
  /** e.g. http://127.0.0.1:4020 — discovery is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  stop(): Promise<void>;
}

/** The stable, opaque subject identifier of a user (as real IdPs use, not the email). */
export function subjectOf(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 24);
}

export async function startOidcIdp(options: OidcIdpOptions): Promise<OidcIdp> {
  const users = new Map(options.users.map((user) => [subjectOf(user.email), user]));
  // The issuer names the port, which is only known once listening: the provider is created then.
  const ready: { provider?: Provider; handleProtocol?: (req: IncomingMessage, res: ServerResponse) => void } = {};

  const server = createServer((req, res) => {
    const { provider, handleProtocol } = ready;
    if (!provider || !handleProtocol) return void send(res, 503, "Starting");
    const url = new URL(req.url ?? "/", "http://idp.invalid");
    if (!url.pathname.startsWith("/interaction/")) return handleProtocol(req, res);
    handleInteraction(provider, users, req, res, url).catch((error: unknown) => {
      console.error("Local identity provider: interaction failed:", error);
      if (!res.headersSent) send(res, 400, page("Sign-in failed", `<p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`));
    });
  });
  const issuer = await listenOn(server, options.port);

  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Put the scope's claims (email, name) in the ID token itself, as most IdPs do, rather than
    // only behind the userinfo endpoint.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString("hex")] },
    features: { devInteractions: { enabled: false } },
    jwks: { keys: [signingKey()] },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: user.email, email_verified: true, name: user.name }) };
    },
    // The one client is first-party (the portal): the person is never asked to consent; the grant
    // covers what was asked for.
    async loadExistingGrant(ctx) {
      const { client, session, result, requestParamScopes, provider: op } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? (client ? session?.grantIdFor(client.clientId) : undefined);
      if (grantId) return op.Grant.find(grantId);
      if (!client || !session?.accountId) return undefined;
      const grant = new op.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope([...requestParamScopes].join(" "));
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  provider.on("server_error", (_ctx, error) => console.error("Local identity provider error:", error));
  Object.assign(ready, { provider, handleProtocol: provider.callback() });

  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The login page (GET /interaction/:uid) and its form (POST /interaction/:uid/login). */
async function handleInteraction(provider: Provider, users: Map<string, OidcIdpUser>, req: IncomingMessage, res: ServerResponse, url: URL) {
  const details = await provider.interactionDetails(req, res);
  const action = `/interaction/${details.uid}/login`;
  if (details.prompt.name !== "login") {
    // loadExistingGrant grants what the first-party client asks for; anything else is unexpected.
    return provider.interactionFinished(req, res, { error: "access_denied", error_description: `unsupported prompt ${details.prompt.name}` });
  }
  if (req.method === "GET") return send(res, 200, loginPage(action, details));
  if (req.method !== "POST" || url.pathname !== action) return send(res, 405, "Method not allowed");

  const form = new URLSearchParams(await readBody(req));
  const email = (form.get("email") ?? "").trim();
  const sub = subjectOf(email);
  const user = users.get(sub);
  if (!user || (user.password !== undefined && !sameSecret(form.get("password") ?? "", user.password))) {
    return send(res, 401, loginPage(action, details, email, "Unknown email address or wrong password."));
  }
  await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
}

function loginPage(action: string, details: InteractionDetails, email = "", error?: string): string {
  return page(
    "Sign in",
    `<p>Local identity provider · signing in to <b>${escapeHtml(String(details.params.client_id ?? ""))}</b></p>
    ${error ? `<p role="alert" style="color:#b91c1c">${escapeHtml(error)}</p>` : ""}
    <form method="post" action="${escapeHtml(action)}">
      <label>Email <input name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" autofocus required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password"></label>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Local IdP</title>
<style>body{font:15px system-ui,sans-serif;max-width:22rem;margin:4rem auto;color:#0f172a}label{display:block;margin:.75rem 0}
input{display:block;width:100%;box-sizing:border-box;padding:.4rem;margin-top:.25rem}button{padding:.5rem 1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A fresh RSA signing key for ID tokens (RS256, what every relying party accepts by default). */
function signingKey(): object {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), use: "sig" };
}

/** oidc-provider's storage, in this instance's memory (its own memory adapter is shared process-wide). */
function memoryAdapter(): new (model: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) store.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    private findBy(field: "uid" | "userCode", value: string) {
      for (const key of store.keys()) {
        const payload = key.startsWith(`${this.model}:`) ? live(key) : undefined;
        if (payload?.[field] === value) return payload;
      }
      return undefined;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      return this.findBy("uid", uid);
    }
    async findByUserCode(userCode: string) {
      return this.findBy("userCode", userCode);
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, { payload }] of store) if (payload.grantId === grantId) store.delete(key);
    }
  };
}
