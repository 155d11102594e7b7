// GET /api/health/live — the process is up and serving HTTP. Always 200, whatever the database does:
// restarting the app would not bring the database back (readiness is /api/health/ready).

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ live: true }, { headers: { "cache-control": "no-store" } });
}
