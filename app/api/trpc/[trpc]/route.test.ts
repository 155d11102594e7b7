import { describe, expect, it } from "vitest";
import { trpcBatchProblem } from "@/universal/security/trpc-limits";

// The tRPC endpoint refuses oversized batches and bodies before any procedure runs (or any body is
// read); before, one HTTP request could carry 500 calls or 200 mutations.

process.env.DATABASE_URL ??= "postgres://nobody@127.0.0.1:9/none";
process.env.AUTH_SECRET ??= "unit-test-secret-unit-test-secret-0123";
const { GET, POST } = await import("./route");

const paths = (n: number, name: string) => Array.from({ length: n }, () => name).join(",");
const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe("tRPC batch limits", () => {
  it("refuse a 20-call batch with 400 and say why", async () => {
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { json: null }]))));
    const res = await GET(new Request(`http://portal/api/trpc/${paths(20, "catalog.list")}?batch=1&input=${input}`));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/at most 10 calls; this one has 20/);
  });

  it("refuse more than two mutations in one request", async () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [i, { json: { requestId: "x" } }])));
    const res = await POST(new Request(`http://portal/api/trpc/${paths(200, "requests.withdraw")}?batch=1`, { method: "POST", body, headers: { "content-type": "application/json" } }));
    expect(res.status).toBe(400);
    const three = await POST(new Request(`http://portal/api/trpc/${paths(3, "requests.withdraw")}?batch=1`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }));
    expect(three.status).toBe(400);
    expect(await errorOf(three)).toMatch(/at most 2 changes/);
  });

  it("refuse a body over the cap with 413 before reading it", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(1_000_000).fill(0x20));
      },
    });
    const res = await POST(
      new Request("http://portal/api/trpc/requests.withdraw", { method: "POST", body, headers: { "content-type": "application/json", "content-length": "30000000" }, duplex: "half" } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
    const streamed = await POST(new Request("http://portal/api/trpc/requests.withdraw", { method: "POST", body: new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(1_000_000)) }), headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit));
    expect(streamed.status).toBe(413);
  });

  it("let the client's own batches through", () => {
    expect(trpcBatchProblem(new Request(`http://portal/api/trpc/${paths(10, "catalog.list")}?batch=1`), "/api/trpc")).toBeNull();
    expect(trpcBatchProblem(new Request(`http://portal/api/trpc/a.b?batch=1`, { method: "POST", body: "{}" }), "/api/trpc")).toBeNull();
  });
});
