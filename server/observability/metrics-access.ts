import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { createRequestContext } from "@/server/context";

// Who may read /api/metrics. The figures are not secret, but they say how busy the portal is and
// what it is doing, so they are not public: a scraper presents METRICS_TOKEN as a bearer token; without
// one configured, only a signed-in admin may read them (from a browser, to look).

const tokenSchema = z.string().trim().min(24, { message: "METRICS_TOKEN must be at least 24 characters (e.g. openssl rand -hex 32)" }).optional();

/** METRICS_TOKEN, read at each scrape (a test or an operator may set it without a restart). */
export function metricsToken(source: Record<string, string | undefined> = process.env): string | undefined {
  const parsed = tokenSchema.safeParse(source.METRICS_TOKEN || undefined);
  // A token too short to be safe fails the scrape loudly rather than protecting nothing.
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** Compares digests, so neither the token's length nor a matching prefix shows in the time taken. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

export async function metricsAccess(request: Request): Promise<MetricsAccess> {
  const token = metricsToken();
  if (token) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    return given && sameToken(given, token) ? { ok: true } : { ok: false, status: 401, message: "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>." };
  }
  const { actor } = await createRequestContext();
  if (!actor) return { ok: false, status: 401, message: "Sign in first." };
  if (!actor.isAdmin) return { ok: false, status: 403, message: "Only admins can read the metrics." };
  return { ok: true };
}
