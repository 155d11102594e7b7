import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure } from "@/test/connector-failure";
import { callTarget, type TargetCall } from "./http";

// The one HTTP call every HTTP connector makes, against a real server that answers what a path names:
// /status/409 answers 409 with a SCIM-style error body.

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const status = Number(req.url?.split("/")[2] ?? 200);
    res.writeHead(status, { "content-type": "application/json", "retry-after": "7" });
    res.end(JSON.stringify({ detail: `answered ${status}`, accept: req.headers.accept }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = (path: string, extra: Partial<TargetCall> = {}): TargetCall => ({
  target: "Test target",
  baseUrl,
  method: "POST",
  path,
  timeoutMs: 2_000,
  explain: (body) => (body as { detail?: string } | undefined)?.detail,
  ...extra,
});

describe("callTarget", () => {
  it("answers a 2xx with the parsed body, sending the caller's Accept header", async () => {
    const answer = await callTarget(call("/status/201", { headers: { Accept: "application/scim+json, application/json" } }));
    expect(answer).toMatchObject({ status: 201, body: { accept: "application/scim+json, application/json" } });
    expect(answer.error).toBeUndefined();
  });

  it("answers a tolerated error status with the error it would have thrown", async () => {
    const answer = await callTarget(call("/status/409", { tolerate: [404, 409] }));
    expect(answer.status).toBe(409);
    expect(answer.error).toMatchObject({ retryable: false, status: 409, message: "Test target answered 409 Conflict on POST /status/409: answered 409" });
  });

  it("throws for an error status that is not tolerated", async () => {
    const error = await failure(callTarget(call("/status/404", { tolerate: [409] })));
    expect(error).toMatchObject({ retryable: false, status: 404, message: "Test target answered 404 Not Found on POST /status/404: answered 404" });
  });

  it("calls 5xx and 429 retryable, honouring Retry-After", async () => {
    expect(await failure(callTarget(call("/status/503")))).toMatchObject({ retryable: true, status: 503, retryAfterMs: 7_000 });
    expect(await failure(callTarget(call("/status/429")))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7_000 });
  });

  it("retries a status the caller names on top of 408/429/5xx", async () => {
    expect(await failure(callTarget(call("/status/409", { retryableStatuses: [409] })))).toMatchObject({ retryable: true, status: 409 });
  });
});
