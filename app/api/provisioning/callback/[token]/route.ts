import { NextResponse } from "next/server";
import { APP_ERROR_STATUS, AppError, isDatabaseUnavailable } from "@/server/errors";
import { databaseUnavailableResponse } from "@/server/health";
import { callbackTarget, type CallbackPayload } from "@/server/provisioning/callbacks";
import { completeWebhookStep } from "@/server/provisioning/complete-callback";
import { BodyTooLargeError, declaresTooLarge, readLimitedText } from "@/server/security/body-limit";
import { findUnstorableText, unstorableTextMessage } from "@/server/security/text";

// The signed completion URL a webhook receiver calls after answering 202:
// POST {"status": "succeeded" | "failed", "message": "..."}. Anyone can reach it, so the token is
// checked before a byte of the body is read, and the body is read under a small cap.

/** A status and a message of up to 1000 characters fit many times over. */
const MAX_CALLBACK_BODY = 64_000;

const tooLarge = () => NextResponse.json({ error: new BodyTooLargeError(MAX_CALLBACK_BODY).message }, { status: 413 });

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  try {
    // Refused on its declared length alone, whatever the token: nothing is read.
    const declaredTooLarge = declaresTooLarge(request, MAX_CALLBACK_BODY);
    let target;
    try {
      target = callbackTarget(token);
    } catch (error) {
      if (declaredTooLarge) return tooLarge();
      throw error;
    }
    let payload: CallbackPayload;
    let status = 400;
    try {
      const text = await readLimitedText(request, MAX_CALLBACK_BODY);
      payload = { json: JSON.parse(text) as unknown };
    } catch (error) {
      if (!(error instanceof BodyTooLargeError) && !(error instanceof SyntaxError)) throw error;
      status = error instanceof BodyTooLargeError ? 413 : 400;
      payload = { unreadable: error instanceof BodyTooLargeError ? error.message : "the body must be JSON" };
    }
    // A NUL or lone surrogate in the message would fail (or change) on its way into the database.
    const unstorable = "json" in payload ? findUnstorableText(payload.json, "body") : null;
    if (unstorable) return NextResponse.json({ error: unstorableTextMessage(unstorable) }, { status: 400 });
    const result = await completeWebhookStep(target, payload);
    return result.accepted ? NextResponse.json(result) : NextResponse.json({ error: result.problem }, { status });
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.message }, { status: APP_ERROR_STATUS[error.code] });
    // The token stays valid: a receiver that retries after Retry-After completes the step then.
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
    console.error("webhook callback failed", error);
    return NextResponse.json({ error: "Something went wrong on our side. Try again." }, { status: 500 });
  }
}
