import "server-only";
import { RETRY_AFTER_SECONDS } from "@/server/errors";
import { checkReadiness, READY_TIMEOUT_MS } from "@/server/health";
import type { Db } from "@/server/db";

// GET /api/ready: may this process take traffic and get its background work done? The database must
// answer (server/health.ts) and so must the engine that runs the background functions, when this
// process can see it: the local engine, or a self-hosted Inngest, at INNGEST_BASE_URL. Inngest Cloud
// (no INNGEST_BASE_URL) is not checked: its availability is Inngest's, and no replica could fix it.
// The answer names which part failed and nothing else (no addresses, no error text).

export type EngineCheck = "up" | "down" | "not checked";

export type FullReadiness = {
  ready: boolean;
  database: "up" | "down";
  engine: EngineCheck;
  reason?: string;
};

/** Any answer below 500 from the engine's event API within the timeout counts: it is running and reachable. */
export async function checkEngine(baseUrl = process.env.INNGEST_BASE_URL, timeoutMs = READY_TIMEOUT_MS): Promise<EngineCheck> {
  if (!baseUrl) return "not checked";
  try {
    const res = await fetch(new URL("/", baseUrl), { signal: AbortSignal.timeout(timeoutMs), redirect: "manual", cache: "no-store" });
    await res.body?.cancel();
    // A proxy in front of a self-hosted engine answers 502/503 when the engine behind it is gone.
    return res.status < 500 ? "up" : "down";
  } catch {
    return "down";
  }
}

export async function checkFullReadiness(options: { db?: Pick<Db, "$queryRaw">; engineUrl?: string } = {}): Promise<FullReadiness> {
  const engineUrl = "engineUrl" in options ? options.engineUrl : process.env.INNGEST_BASE_URL;
  const [database, engine] = await Promise.all([checkReadiness(options.db), checkEngine(engineUrl)]);
  const reasons = [database.ready ? null : database.reason, engine === "down" ? `the background engine did not answer within ${READY_TIMEOUT_MS} ms` : null].filter(Boolean);
  return {
    ready: reasons.length === 0,
    database: database.ready ? "up" : "down",
    engine,
    ...(reasons.length ? { reason: reasons.join("; ") } : {}),
  };
}

/** 200 with the checks when ready; 503 with Retry-After and the same JSON when not. Never cached. */
export async function fullReadinessResponse(options?: Parameters<typeof checkFullReadiness>[0]): Promise<Response> {
  const readiness = await checkFullReadiness(options);
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (!readiness.ready) headers["retry-after"] = String(RETRY_AFTER_SECONDS);
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers });
}
