import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { answeringOutages } from "@/server/health";

// GET /api/audit/export?person=&app=&action=&from=&to= — the audit page's rows as CSV, for admins.
// A download, so a route rather than a tRPC call; who may export is the procedure's rule (audit.exportCsv).

// While the database is down: 503 with Retry-After rather than a bare 500.
export const GET = answeringOutages(async (request: Request) => {
  const filter = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const csv = await createCaller(createContext).audit.exportCsv(filter);
    return new NextResponse(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    // Refusals (401, 403, 400) answer with their reason; anything else is the server's own failure.
    const status = error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
    if (!(error instanceof TRPCError) || status >= 500) throw error;
    // A filter that does not parse says which field and why (e.g. "That day does not exist").
    const message = error.cause instanceof ZodError ? error.cause.issues.map((i) => i.message).join(" ") : error.message;
    return NextResponse.json({ error: message }, { status });
  }
});
