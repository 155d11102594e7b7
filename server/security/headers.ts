import "server-only";

// The security headers of the portal's pages (set per request by proxy.ts, which makes a fresh CSP
// nonce each time) and of everything else (static in next.config.mjs: nosniff, no framing, no referrer).

/**
 * A nonce-based Content-Security-Policy (as Next.js documents it): only scripts carrying this
 * request's nonce run, plus those they load ('strict-dynamic'); no framing by any site. Styles may be
 * inline (React style attributes), which CSS injection alone cannot turn into script.
 */
export function contentSecurityPolicy(nonce: string, o: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** HSTS once the portal is served over https: browsers then refuse plain http for a year. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
