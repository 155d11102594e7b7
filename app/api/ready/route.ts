import { fullReadinessResponse } from "@/server/observability/readiness";

// GET /api/ready — readiness: 200 {ready:true, database:"up", engine:"up"|"not checked"} when the
// database answers and the background engine (local, or a self-hosted Inngest at INNGEST_BASE_URL)
// answers within a second; else 503 with Retry-After and which part failed. Unauthenticated, so it
// says nothing else. /api/health/ready checks the database alone (server/observability/readiness.ts).

export const dynamic = "force-dynamic";

export function GET() {
  return fullReadinessResponse();
}
