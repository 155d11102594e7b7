import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { APP_ERROR_STATUS, AppError, type AppErrorCode, found, isDatabaseUnavailable } from "@/server/errors";

// Which failures mean "the database is not there right now" (a 503 the client should retry) rather
// than a bug (a hidden 500). Shapes as Prisma 7 with @prisma/adapter-pg and node-postgres throw them.

const prisma = (code: string, cause?: unknown) => Object.assign(new Error("Invalid `db.user.findFirst()` invocation"), { name: "PrismaClientKnownRequestError", code, meta: cause ? { driverAdapterError: { name: "DriverAdapterError", cause } } : {} });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "FATAL" });

describe("isDatabaseUnavailable", () => {
  it("recognises a server that cannot be reached, went away or is restarting", () => {
    expect(isDatabaseUnavailable(prisma("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }))).toBe(true);
    expect(isDatabaseUnavailable(prisma("P2010", { kind: "DatabaseNotReachable" }))).toBe(true); // $queryRaw
    expect(isDatabaseUnavailable(prisma("P1017", { kind: "ConnectionClosed" }))).toBe(true);
    expect(isDatabaseUnavailable(prisma("P2010", { kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" }))).toBe(true);
    expect(isDatabaseUnavailable(prisma("P2010", { kind: "postgres", code: "57P03", message: "the database system is starting up" }))).toBe(true);
    expect(isDatabaseUnavailable(prisma("P2010", { kind: "postgres", code: "08006", message: "connection failure" }))).toBe(true);
    expect(isDatabaseUnavailable(prisma("P2024"))).toBe(true); // pool timeout
    expect(isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", syscall: "connect", errno: -111 }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    // Wrapped, as tRPC and Next.js wrap what a procedure threw.
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: prisma("P1001") }))).toBe(true);
  });

  it("leaves bugs, bad input and a connector's unreachable target alone", () => {
    expect(isDatabaseUnavailable(prisma("P2002", { kind: "UniqueConstraintViolation" }))).toBe(false);
    expect(isDatabaseUnavailable(prisma("P2010", { kind: "postgres", code: "22P05", message: "unsupported Unicode escape sequence" }))).toBe(false);
    expect(isDatabaseUnavailable(new AppError("NOT_FOUND", "Request was not found."))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    // fetch() to a SCIM target that is down: the socket error sits in the cause, not the database's.
    expect(isDatabaseUnavailable(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("P1001")).toBe(false);
  });
});

// An AppError leaves the portal through tRPC (which maps its code by name) or through a route handler
// (which uses APP_ERROR_STATUS): a client must see the same status through either door.
describe("APP_ERROR_STATUS", () => {
  it("gives every AppError code the status tRPC gives its code of the same name", () => {
    for (const [code, status] of Object.entries(APP_ERROR_STATUS) as [AppErrorCode, number][]) {
      expect(getHTTPStatusCodeFromError(new TRPCError({ code, message: code })), code).toBe(status);
    }
  });
});

// A lookup that came back empty is a 404 with the object named, not a crash on null further down.
describe("found", () => {
  it("passes a row through, falsy values included, and answers a missing one with NOT_FOUND", () => {
    expect(found({ id: "a" }, "That app")).toEqual({ id: "a" });
    expect(found(0, "That count")).toBe(0);
    expect(() => found(null, "That request")).toThrow(expect.objectContaining({ code: "NOT_FOUND", message: "That request was not found." }));
    expect(() => found(undefined, "That grant")).toThrow("That grant was not found.");
  });
});
