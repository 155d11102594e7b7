import "server-only";
import { z } from "zod";

const base64Key = (what: string) =>
  z.string().refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v.trim()) && Buffer.from(v.trim(), "base64").length === 32, {
    message: `must be ${what} 32 random bytes in base64 (e.g. openssl rand -base64 32)`,
  });

// The key-encryption keys of connector secrets (server/security/secrets.ts). Unset: a key generated in
// .data/secrets.key. Parsed on their own too, so scripts that seal secrets need no other setting.
export const secretsKeySchema = z.object({
  SECRETS_KEY: base64Key("the current key:").optional(),
  // During a rotation: the earlier key(s), comma-separated, still readable until `npm run secrets:rotate`.
  SECRETS_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(",").every((k) => base64Key("").safeParse(k.trim()).success), {
      message: "must be earlier SECRETS_KEY values (32 bytes in base64 each), comma-separated",
    })
    .optional(),
  SECRETS_KEY_FILE: z.string().optional(),
});

// Every setting the server reads, parsed once. A missing or malformed one fails at start-up with a
// message naming it, instead of a confusing error deep inside a request.
const schema = z.object({
  ...secretsKeySchema.shape,
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  // Where the portal runs, independent of NODE_ENV (which `next start` always sets to production):
  // `npm start` on one machine is "development" and keeps mail in the dev mailbox.
  APP_ENV: z.enum(["development", "test", "production"]).optional(),
  DATABASE_URL: z.string().url({ message: "must be a postgres:// URL (npm start sets it for the embedded database)" }),
  // The app's own restricted role (no superuser, owns no table), when DATABASE_URL names the role
  // that owns the tables and runs the migrations. `npm start` sets it up; see prisma/tools/app-role.ts.
  APP_DATABASE_URL: z.string().url({ message: "must be a postgres:// URL of the app's restricted database role" }).optional(),
  AUTH_SECRET: z.string().min(32, { message: "must be at least 32 characters (npm start generates one in .data/)" }),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Access Portal <access@localhost>"),
  // An undecided approval step: remind its approver after this long, then escalate to their manager
  // after this much longer. Hours; fractions allowed.
  APPROVAL_REMINDER_HOURS: z.coerce.number().positive().default(24),
  APPROVAL_ESCALATION_HOURS: z.coerce.number().positive().default(72),
  // The bearer token an HR system or identity provider (Okta, Entra ID) sends to the inbound SCIM
  // endpoint /api/scim/v2. Unset: the endpoint answers 404 (disabled).
  SCIM_INBOUND_TOKEN: z.string().min(24, { message: "must be at least 24 characters (e.g. openssl rand -hex 32)" }).optional(),
  // Which SCIM attribute becomes a pushed person's portal email (their sign-in address): "email", the
  // work (else primary) entry of `emails`; or "userName", when the IdP's userName is the address people
  // sign in with (an Entra UPN that differs from mail). The other is still stored and returned as sent.
  SCIM_SIGN_IN_ATTRIBUTE: z.enum(["email", "userName"], { message: 'must be "email" (the work email, the default) or "userName"' }).default("email"),
  // Sign-in with the organisation's OpenID Connect identity provider, next to the magic link: on
  // only when all three are set. AUTH_OIDC_NAME labels the button ("Sign in with SSO").
  AUTH_OIDC_ISSUER: z.string().url({ message: "must be the identity provider's issuer URL, e.g. https://login.example.com" }).optional(),
  AUTH_OIDC_CLIENT_ID: z.string().optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().optional(),
  AUTH_OIDC_NAME: z.string().default("SSO"),
  // Behind a reverse proxy that appends the client's address to X-Forwarded-For, set TRUST_PROXY=1 so
  // rate limits count per client rather than per proxy. Unset, the header is ignored (anyone can send it).
  TRUST_PROXY: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),
  // Sign-in mails: at most this many per address, and per client address, in the window (minutes).
  // Over the limit the page still says "check your email" but nothing is sent.
  SIGNIN_MAIL_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(5),
  SIGNIN_MAIL_LIMIT_PER_CLIENT: z.coerce.number().int().positive().default(100),
  SIGNIN_MAIL_LIMIT_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  // Wrong SCIM bearer tokens per client address in 15 minutes; then the client gets 429 until it passes.
  SCIM_AUTH_FAILURE_LIMIT: z.coerce.number().int().positive().default(10),
  // Approval-link page loads (/approve/<token>) per client address per minute.
  APPROVAL_LINK_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  // Audit trail checkpoints (head hash and row count, signed with a key the database never holds):
  // the HMAC key, else one generated in .data/audit-checkpoint.key; the file they are appended to;
  // the auditors' address they are also mailed to.
  AUDIT_CHECKPOINT_KEY: z.string().min(32, { message: "must be at least 32 characters (e.g. openssl rand -hex 32)" }).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().default(".data/audit-checkpoints.jsonl"),
  AUDIT_EMAIL: z.email({ message: "must be an email address (the auditors' mailbox)" }).optional(),
});

const auditCheckpointSchema = schema.pick({ AUDIT_CHECKPOINT_KEY: true, AUDIT_CHECKPOINT_FILE: true, AUDIT_EMAIL: true });

/** Only the audit checkpoint settings, for `npm run audit:verify` and `audit:checkpoint`, which need nothing else. */
export function parseAuditCheckpointEnv(source: Record<string, string | undefined>): z.infer<typeof auditCheckpointSchema> {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = auditCheckpointSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid environment settings:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  return parsed.data;
}

export type Env = Omit<z.infer<typeof schema>, "APP_ENV" | "APP_URL"> & {
  APP_ENV: "development" | "test" | "production";
  APP_URL: string;
};

/** Parse settings; production must name its public URL and its mail server (links and sign-in depend on them). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty setting (SMTP_URL= in a shell or .env) means unset.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  const appEnv = parsed.data?.APP_ENV ?? (parsed.data?.NODE_ENV === "production" ? "production" : "development");
  if (parsed.success && appEnv === "production") {
    if (!parsed.data.APP_URL) problems.push("  APP_URL: required in production (the public URL used in email links)");
    if (!parsed.data.SMTP_URL) problems.push("  SMTP_URL: required in production (sign-in links and approvals are sent by email)");
  }
  const oidc = parsed.success ? [parsed.data.AUTH_OIDC_ISSUER, parsed.data.AUTH_OIDC_CLIENT_ID, parsed.data.AUTH_OIDC_CLIENT_SECRET] : [];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problems.push("  AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET: set all three to enable SSO sign-in, or none");
  }
  if (!parsed.success || problems.length > 0) throw new Error(`Invalid environment settings:\n${problems.join("\n")}`);
  return { ...parsed.data, APP_ENV: appEnv, APP_URL: parsed.data.APP_URL ?? "http://localhost:3000" };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Mail is kept in the in-app dev mailbox when no SMTP server is configured, never in production. */
export function usesDevMailbox(): boolean {
  const e = env();
  return !e.SMTP_URL && e.APP_ENV !== "production";
}
