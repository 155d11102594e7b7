// The one error type domain code throws. Routers and pages map its code to tRPC/HTTP codes in one
// place (server/api/trpc.ts); the message is written for the person who will read it.
export type AppErrorCode = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);
export const forbidden = (why: string) => new AppError("FORBIDDEN", why);
