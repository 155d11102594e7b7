import { z } from "zod";

// Every setting the server reads, parsed once. A missing or malformed one fails at start-up with a
// message naming it, instead of a confusing error deep inside a request.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  // Where the portal runs, independent of NODE_ENV (which `next start` always sets to production):
  // `npm start` on one machine is "development" and keeps mail in the dev mailbox.
  APP_ENV: z.enum(["development", "test", "production"]).optional(),
  DATABASE_URL: z.string().url({ message: "must be a postgres:// URL (npm start sets it for the embedded database)" }),
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
  // Sign-in with the organisation's OpenID Connect identity provider, next to the magic link: on
  // only when all three are set. AUTH_OIDC_NAME labels the button ("Sign in with SSO").
  AUTH_OIDC_ISSUER: z.string().url({ message: "must be the identity provider's issuer URL, e.g. https://login.example.com" }).optional(),
  AUTH_OIDC_CLIENT_ID: z.string().optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().optional(),
  AUTH_OIDC_NAME: z.string().default("SSO"),
});

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
