import { readinessResponse } from "@/server/health";

// GET /api/health/ready — for load balancers and orchestrators: 200 {ready:true} when the database
// answers a trivial query within a second, else 503 {ready:false} with Retry-After. Unauthenticated and
// reveals nothing beyond that.

export const dynamic = "force-dynamic";

export function GET() {
  return readinessResponse();
}
