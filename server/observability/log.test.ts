import { Writable } from "node:stream";
import type { Logger } from "pino";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger, logLevel, requestIdFrom } from "./log";

// Every log line of one HTTP request carries its id: the one the load balancer or client sent in
// x-request-id when it is a plausible id, else a new one. The tRPC calls' lines carry it too.

vi.mock("@/server/auth", () => ({ currentActor: async () => null }));

const lines: Array<Record<string, unknown>> = [];
beforeAll(() => {
  process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:1/unused";
  process.env.AUTH_SECRET ??= "unit-secret-unit-secret-unit-secret-0123";
  // The process's logger, writing into `lines` at debug (tests are otherwise silent).
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  (globalThis as unknown as { portalLog?: Logger }).portalLog = createLogger("debug", sink);
});
afterEach(() => void lines.splice(0));

const headers = (id: string) => new Headers({ "x-request-id": id });

describe("the request id", () => {
  it("is the load balancer's x-request-id when it looks like an id", () => {
    expect(requestIdFrom(headers("lb-7f3a9c2e-0001"))).toBe("lb-7f3a9c2e-0001");
    expect(requestIdFrom(headers("  5b6e1c0a-8d2f-4c59-9e0f-2a1b3c4d5e6f "))).toBe("5b6e1c0a-8d2f-4c59-9e0f-2a1b3c4d5e6f");
  });

  it("is a new one when none was sent or what was sent could forge or flood log lines", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const sent of ["", "short", "has a space in it", 'quote"injected', "x".repeat(129), "id<script>alert(1)</script>"]) {
      const id = requestIdFrom(headers(sent));
      expect(id, sent).toMatch(uuid);
    }
    expect(requestIdFrom()).toMatch(uuid);
    expect(requestIdFrom()).not.toBe(requestIdFrom());
  });

  it("follows a tRPC call from the HTTP request into its log line, with the procedure, outcome and time, and not its input", async () => {
    const { createContext, createCallerFactory, publicProcedure, router } = await import("@/server/api/trpc");
    const { z } = await import("zod");
    const app = router({
      echo: publicProcedure.input(z.object({ secret: z.string() })).mutation(({ ctx }) => ctx.requestId),
      peek: publicProcedure.query(() => "ok"),
    });
    const ctx = await createContext({ req: new Request("http://portal/api/trpc/echo", { headers: headers("lb-request-000042") }) });
    const caller = createCallerFactory(app)(ctx);

    // The procedure sees the same id as its log line.
    expect(await caller.echo({ secret: "hunter2-do-not-log" })).toBe("lb-request-000042");
    const call = lines.find((l) => l.msg === "trpc call");
    expect(call).toMatchObject({ level: "info", requestId: "lb-request-000042", procedure: "echo", type: "mutation", outcome: "ok", service: "portal" });
    expect(typeof call?.ms).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("hunter2");

    // A refusal is logged with its code; a successful query only at debug (pages poll).
    await expect(caller.echo({ secret: 1 as unknown as string })).rejects.toThrow();
    expect(lines.at(-1)).toMatchObject({ requestId: "lb-request-000042", outcome: "BAD_REQUEST", level: "info" });
    await caller.peek();
    expect(lines.at(-1)).toMatchObject({ procedure: "peek", outcome: "ok", level: "debug" });
  });

  it("is made up for a call without an HTTP request (a page's own server-side call)", async () => {
    const { createCallerFactory, publicProcedure, router } = await import("@/server/api/trpc");
    const app = router({ id: publicProcedure.query(({ ctx }) => ctx.requestId) });
    const id = await createCallerFactory(app)({ db: {} as never, actor: null }).id();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.at(-1)).toMatchObject({ requestId: id });
  });
});

describe("the log level", () => {
  it("is LOG_LEVEL when set, silent under the test runners, info otherwise, and names the choices when LOG_LEVEL is wrong", () => {
    expect(logLevel({ LOG_LEVEL: "debug", VITEST: "true" })).toBe("debug");
    expect(logLevel({ LOG_LEVEL: " WARN " })).toBe("warn");
    expect(logLevel({ VITEST: "true" })).toBe("silent");
    expect(logLevel({ NODE_ENV: "test" })).toBe("silent");
    expect(logLevel({ NODE_ENV: "production" })).toBe("info");
    expect(() => logLevel({ LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
  });
});
