import "server-only";
import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";
import { z } from "zod";

// Structured logs: one JSON object per line on stdout, for whatever collects the process's output
// (journald, a container runtime, a log shipper). Messages are for people; the fields are for queries
// (`grantId`, `requestId`, `procedure`, `outcome`, `ms`). Secrets, tokens and inputs are never logged.

export type { Logger };

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const levelSchema = z.enum(LEVELS, { message: `LOG_LEVEL must be one of ${LEVELS.join(", ")}` });

/** LOG_LEVEL, else "silent" under test runners (their output is the tests'), else "info". */
export function logLevel(source: Record<string, string | undefined> = process.env): (typeof LEVELS)[number] {
  if (source.LOG_LEVEL) return levelSchema.parse(source.LOG_LEVEL.trim().toLowerCase());
  return source.NODE_ENV === "test" || source.VITEST ? "silent" : "info";
}

// One logger per process, kept on globalThis like the database pool: route bundles and dev reloads
// would otherwise each build their own.
const globalForLog = globalThis as unknown as { portalLog?: Logger };

export function log(): Logger {
  globalForLog.portalLog ??= createLogger(logLevel());
  return globalForLog.portalLog;
}

/** The portal's logger at `level`, onto stdout or `destination` (tests read it). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "portal" },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names ("info") rather than numbers (30), which is what log queries are written against.
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Ids a proxy or client may send: short, printable, no spaces (anything else could forge log lines). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{8,128}$/;

/**
 * The id of one HTTP request, for every log line it causes: the `x-request-id` a load balancer or
 * client set, when it looks like an id, else a new one.
 */
export function requestIdFrom(headers?: Headers): string {
  const sent = headers?.get("x-request-id")?.trim();
  return sent && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}
