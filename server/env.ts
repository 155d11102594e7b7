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
  APP_URL: z.string().url().default("http://localhost:3000"),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Access Portal <access@localhost>"),
  // SCIM target the demo apps provision into (npm start runs one locally).
  DEMO_SCIM_URL: z.string().url().optional(),
  DEMO_SCIM_TOKEN: z.string().optional(),
});

export type Env = z.infer<typeof schema> & { APP_ENV: "development" | "test" | "production" };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  // An empty setting (SMTP_URL= in a shell or .env) means unset.
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment settings:\n${problems}`);
  }
  cached = { ...parsed.data, APP_ENV: parsed.data.APP_ENV ?? (parsed.data.NODE_ENV === "production" ? "production" : "development") };
  return cached;
}

/** Mail is kept in the in-app dev mailbox when no SMTP server is configured, never in production. */
export function usesDevMailbox(): boolean {
  const e = env();
  return !e.SMTP_URL && e.APP_ENV !== "production";
}
