// Ports and secrets of the portal the e2e suite starts (e2e/server.ts), away from a running demo's.
export const e2e = {
  port: 3210,
  appUrl: "http://localhost:3210",
  scimPort: 3211,
  scimToken: "e2e-scim-token",
  enginePort: 3212,
  // The local OpenID Connect identity provider the portal's "Sign in with SSO" uses (e2e/server.ts).
  oidcPort: 3213,
  /**
   * Sign-in mails one address may get in 5 minutes (5 in 15 by default): the suite signs the admin in
   * often. The rate-limit test sends exactly this many (the dev mailbox shows the newest 50).
   */
  signInMailsPerAddress: 40,
  oidcClientId: "access-portal-e2e",
  oidcClientSecret: "e2e-oidc-client-secret",
  /** People the IdP knows: two in the directory (one spelled with capitals), one who is not. */
  oidcUsers: [
    { email: "Maya@Example.com", name: "Maya Chen", password: "maya-password" },
    { email: "erin@example.com", name: "Erin Walsh", password: "erin-password" },
    { email: "outsider@example.com", name: "Olly Outsider", password: "outsider-password" },
  ],
};
