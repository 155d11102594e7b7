import { answeringOutages } from "@/server/health";
import { metricsAccess } from "@/server/observability/metrics-access";
import { METRICS_CONTENT_TYPE, metricsText } from "@/server/observability/metrics";

// GET /api/metrics — Prometheus metrics in the text exposition format (server/observability/metrics.ts).
// With METRICS_TOKEN set, a scraper sends it as `Authorization: Bearer …` (401 otherwise); without it
// only a signed-in admin may read them (401 signed out, 403 for anyone else).

export const dynamic = "force-dynamic";

// Checking a browser's session reads the database: while it is down, that is a 503 with Retry-After.
export const GET = answeringOutages(async (request: Request) => {
  const access = await metricsAccess(request);
  if (!access.ok) {
    const challenge: Record<string, string> = access.status === 401 ? { "www-authenticate": "Bearer" } : {};
    return Response.json({ error: access.message }, { status: access.status, headers: { "cache-control": "no-store", ...challenge } });
  }
  return new Response(await metricsText(), { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
});
