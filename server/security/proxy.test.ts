import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

// proxy.ts: a fresh nonce CSP on every page, HSTS over https, and approval-link pages rate limited.

Object.assign(process.env, { DATABASE_URL: "postgres://nobody@127.0.0.1:9/none", AUTH_SECRET: "proxy-test-secret-proxy-test-secret-0123", APP_URL: "https://access.example.com" });
const consumed: string[] = [];
vi.mock("@/server/security/rate-limit", () => ({
  rateLimits: () => ({
    consume: async (_name: string, key: string) => {
      consumed.push(key);
      return consumed.length > 2 ? { allowed: false, retryAfterSeconds: 42 } : { allowed: true };
    },
  }),
}));
const { proxy } = await import("@/proxy");

const page = (path: string, headers: Record<string, string> = {}) => proxy(new NextRequest(`http://localhost:3000${path}`, { headers }));

describe("the proxy", () => {
  it("gives every page a fresh nonce CSP that forbids framing, and hands Next.js the nonce", async () => {
    const [a, b] = [await page("/signin"), await page("/signin")];
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(b.headers.get("content-security-policy")).not.toBe(csp);
    // Next.js reads the request's CSP header to put the nonce on its inline scripts.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("sets HSTS when the portal's URL is https", async () => {
    expect((await page("/")).headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
  });

  it("answers 429 with Retry-After once a client opened too many approval links", async () => {
    expect((await page("/approve/token-1", { "x-portal-peer-address": "203.0.113.5" })).status).toBe(200);
    await page("/approve/token-2", { "x-portal-peer-address": "203.0.113.5" });
    const limited = await page("/approve/token-3", { "x-portal-peer-address": "203.0.113.5", "x-forwarded-for": "10.1.1.1" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("42");
    expect(consumed).toEqual(["203.0.113.5", "203.0.113.5", "203.0.113.5"]);
    await page("/requests");
    expect(consumed).toHaveLength(3);
  });
});
