import "server-only";
import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { createRequestContext, type RequestContext } from "@/server/context";
import { env } from "@/server/env";
import { AppError, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/server/errors";
import { log } from "@/server/observability/log";
import { countTrpcCall } from "@/server/observability/metrics";
import { clientAddress } from "@/server/security/client-address";
import { findUnstorableText, unstorableTextMessage } from "@/server/security/text";

/**
 * `clientAddress`, the key of per-address rate limits, is set for calls that arrive over HTTP
 * (app/api/trpc). Server-side callers have none: a page's own calls run in a request proxy.ts counted.
 */
export type Context = RequestContext & { clientAddress?: string };

/** Reading the session needs the database: while it is down, the call is a 503, not a 500. */
export async function createContext(opts?: { req: Request }): Promise<Context> {
  try {
    const context = await createRequestContext(opts?.req.headers);
    return opts ? { ...context, clientAddress: clientAddress(opts.req.headers, env().TRUST_PROXY) } : context;
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause: error });
    throw error;
  }
}

/** Errors are translated in one place: domain AppErrors keep their message, anything else is hidden. */
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    // An outage that escaped the middleware (say, in context creation) still reads as one.
    const unavailable = shape.data.code === "SERVICE_UNAVAILABLE" || (shape.data.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(error.cause));
    const message = zod
      ? "Some fields need fixing."
      : unavailable
        ? DATABASE_UNAVAILABLE_MESSAGE
        : shape.data.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on our side. Try again."
          : shape.message;
    return {
      ...shape,
      message,
      data: {
        code: unavailable ? "SERVICE_UNAVAILABLE" : shape.data.code,
        httpStatus: unavailable ? 503 : shape.data.httpStatus,
        fieldErrors: zod ? (z.flattenError(zod).fieldErrors as Record<string, string[] | undefined>) : null,
      },
    };
  },
});

/**
 * Every call is counted (procedure, outcome, time) for /api/metrics and logged with its request id:
 * successful queries at debug (the pages poll), mutations and refusals at info, failures of ours at
 * warn (the error itself is logged by translateErrors). Inputs are never logged: they hold justifications, tokens and connector settings.
 */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const requestId = ctx.requestId ?? randomUUID();
  const result = await next({ ctx: { requestId } });
  const ms = performance.now() - started;
  const outcome = result.ok ? "ok" : result.error.code;
  countTrpcCall({ procedure: path, type, outcome, ms });
  const ours = !result.ok && (result.error.code === "INTERNAL_SERVER_ERROR" || result.error.code === "SERVICE_UNAVAILABLE");
  const level = result.ok ? (type === "query" ? "debug" : "info") : ours ? "warn" : "info";
  log()[level]({ requestId, procedure: path, type, outcome, ms: Math.round(ms), userId: ctx.actor?.id }, "trpc call");
  return result;
});

const translateErrors = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
    if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: "Some fields need fixing.", cause });
    // The database stopped or restarting: a 503 with Retry-After (see app/api/trpc), worth retrying;
    // a transaction the outage cut off rolled back, so the change and its audit row are both absent.
    if (isDatabaseUnavailable(cause)) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause });
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      log().error({ requestId: ctx.requestId, procedure: path, err: result.error.cause ?? result.error }, "trpc call failed");
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side. Try again." });
    }
  }
  return result;
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;
/**
 * Text the database would alter or refuse (a lone surrogate, a NUL) is turned away for every
 * procedure before its zod schema runs, with a 400 naming the field instead of a 500 from Postgres.
 */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const field = findUnstorableText(await getRawInput());
  if (field) throw new TRPCError({ code: "BAD_REQUEST", message: unstorableTextMessage(field) });
  return next();
});

export const publicProcedure = t.procedure.use(observed).use(translateErrors).use(storableInput);

/** Signed-in people only; handlers get `ctx.actor` without null checks. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.actor.isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this." });
  return next();
});
