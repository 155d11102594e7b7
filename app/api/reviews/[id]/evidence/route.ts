import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { NextResponse } from "next/server";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { answeringOutages } from "@/server/health";

// GET /api/reviews/<id>/evidence — one access review's evidence as CSV (every item, its decision,
// reason, who and when, and when revoked access was gone), for admins. A download, so a route rather
// than a tRPC call; who may export is the procedure's rule (reviews.evidence).

// While the database is down: 503 with Retry-After rather than a bare 500.
export const GET = answeringOutages(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  try {
    const { filename, csv } = await createCaller(createContext).reviews.evidence({ campaignId: id });
    return new NextResponse(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    // Refusals (401, 403, 404) answer with their reason; anything else is the server's own failure.
    const status = error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
    if (!(error instanceof TRPCError) || status >= 500) throw error;
    return NextResponse.json({ error: error.message }, { status });
  }
});
