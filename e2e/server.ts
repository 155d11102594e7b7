// Starts the portal for the e2e suite exactly as `npm start` does, on a fresh database, with a local
// OpenID Connect identity provider configured for "Sign in with SSO".
import { startFreshPortal } from "../scripts/lib/fresh-portal";
import { startOidcIdp } from "../test/targets/oidc-idp";
import { e2e } from "./settings";

async function main() {
  const idp = await startOidcIdp({
    port: e2e.oidcPort,
    clientId: e2e.oidcClientId,
    clientSecret: e2e.oidcClientSecret,
    redirectUri: `${e2e.appUrl}/api/auth/callback/oidc`,
    users: e2e.oidcUsers,
  });
  // The portal process inherits this environment (startFreshPortal passes process.env on).
  Object.assign(process.env, {
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: e2e.oidcClientId,
    AUTH_OIDC_CLIENT_SECRET: e2e.oidcClientSecret,
  });
  delete process.env.AUTH_OIDC_NAME;
  // The suite signs the same people in many times, all from 127.0.0.1: room for that, while
  // e2e/security/web.spec.ts still reaches the per-address limit with an address of its own.
  Object.assign(process.env, { SIGNIN_MAIL_LIMIT_PER_ADDRESS: String(e2e.signInMailsPerAddress), SIGNIN_MAIL_LIMIT_WINDOW_MINUTES: "5", SIGNIN_MAIL_LIMIT_PER_CLIENT: "1000", SCIM_AUTH_FAILURE_LIMIT: "5" });

  const portal = await startFreshPortal({
    name: "e2e",
    port: e2e.port,
    scimPort: e2e.scimPort,
    scimToken: e2e.scimToken,
    enginePort: e2e.enginePort,
    embedded: { dataDir: ".data/pg-e2e", port: 54331 },
  });
  const stopAll = () => portal.stop().then(() => idp.stop());
  const stop = () => void stopAll().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  const code = await portal.exited;
  await stopAll();
  process.exit(code);
}

void main();
