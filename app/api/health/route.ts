// GET /api/health — liveness, as /api/health/live: the process is up and serving HTTP. Always 200,
// whatever the database or the engine does (restarting the app would bring neither back); whether it
// can do its work is /api/ready.

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ live: true }, { headers: { "cache-control": "no-store" } });
}
