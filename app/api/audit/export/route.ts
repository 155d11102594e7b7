import { NextResponse } from "next/server";
import { auditCsv, auditFilterSchema, searchAudit } from "@/server/audit/search";
import { currentActor } from "@/server/auth";
import { db } from "@/server/db";
import { answeringOutages } from "@/server/health";
import { findUnstorableText, unstorableTextMessage } from "@/server/security/text";

// GET /api/audit/export?person=&app=&action=&from=&to= — the audit page's rows as CSV, for admins.

const MAX_ROWS = 50_000;

// While the database is down: 503 with Retry-After rather than a bare 500.
export const GET = answeringOutages(async (request: Request) => {
  const actor = await currentActor();
  if (!actor) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  if (!actor.isAdmin) return NextResponse.json({ error: "Only admins can export the audit trail." }, { status: 403 });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // A NUL in a search term would reach Postgres and fail there (a 500).
  const unstorable = findUnstorableText(params);
  if (unstorable) return NextResponse.json({ error: unstorableTextMessage(unstorable) }, { status: 400 });
  const filter = auditFilterSchema.safeParse(params);
  if (!filter.success) return NextResponse.json({ error: filter.error.issues.map((i) => i.message).join(" ") }, { status: 400 });
  const rows = await searchAudit(db(), actor, filter.data, MAX_ROWS);
  return new NextResponse(auditCsv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
});
