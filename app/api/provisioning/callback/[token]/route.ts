import { NextResponse } from "next/server";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { receiveWebhookCallback } from "@/server/provisioning/callbacks";

// The signed completion URL a webhook receiver calls after answering 202:
// POST {"status": "succeeded" | "failed", "message": "..."}.

const STATUS = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as const;

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return NextResponse.json({ error: "The body must be JSON." }, { status: 400 });
  }
  try {
    return NextResponse.json(await receiveWebhookCallback(db(), token, body));
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.message }, { status: STATUS[error.code] });
    console.error("webhook callback failed", error);
    return NextResponse.json({ error: "Something went wrong on our side. Try again." }, { status: 500 });
  }
}
