import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/server/env";
import { clientAddress } from "@/server/security/client-address";
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from "@/server/security/headers";
import { rateLimits } from "@/server/security/rate-limit";

// Runs before every page (Next.js 16's proxy, formerly middleware): a fresh CSP nonce per request,
// which Next.js reads from the request's Content-Security-Policy header and puts on its own inline
// scripts; HSTS when the portal is served over https; and a rate limit on approval-link pages, whose
// URLs carry tokens. API routes are left out (see config.matcher): they get static headers from
// next.config.mjs, and their bodies must reach them unbuffered so each can cap its own.

export async function proxy(request: NextRequest) {
  const e = env();
  const https = e.APP_URL.startsWith("https:");

  if (request.nextUrl.pathname.startsWith("/approve/")) {
    const limited = await rateLimits().consume("approvalLinks", clientAddress(request.headers, e.TRUST_PROXY));
    if (!limited.allowed) {
      return new NextResponse(`Too many approval links opened from your address. Try again in ${limited.retryAfterSeconds} seconds.`, {
        status: 429,
        headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(limited.retryAfterSeconds), "cache-control": "no-store" },
      });
    }
  }

  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not API routes, not Next's static files, not prefetches (they get the page's headers).
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
