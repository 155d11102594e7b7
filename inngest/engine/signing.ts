import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";

// Requests to the app signed the way Inngest signs them (X-Inngest-Signature: t=<unix s>&s=<hex>):
// HMAC-SHA256, keyed with the signing key minus its "signkey-<env>-" prefix, over the canonical JSON
// of the body followed by the timestamp. With a signing key set, the SDK's serve handler runs in
// cloud mode and refuses any call that is not signed so: nobody but the engine can run functions.

export function signedRequest(body: unknown, signingKey: string | undefined, now = Date.now()): { body: string; headers: Record<string, string> } {
  const text = canonicalize(body) ?? "null";
  if (!signingKey) return { body: text, headers: { "content-type": "application/json" } };
  const ts = String(Math.floor(now / 1000));
  const key = signingKey.replace(/^signkey-[\w]+-/, "");
  const signature = createHmac("sha256", key).update(text + ts).digest("hex");
  return { body: text, headers: { "content-type": "application/json", "x-inngest-signature": `t=${ts}&s=${signature}` } };
}
