// Ports and secrets of the portal the e2e suite starts (e2e/server.ts), away from a running demo's.
export const e2e = {
  port: 3210,
  appUrl: "http://localhost:3210",
  scimPort: 3211,
  scimToken: "e2e-scim-token",
  enginePort: 3212,
};
