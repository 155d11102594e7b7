import "server-only";
import { env } from "@/server/env";
import { clientAddress } from "./client-address";
import { rateLimits, type RateLimits } from "./rate-limit";

/**
 * Whether a sign-in mail to `email`, asked for by this request, may go out: a few per address (nobody's
 * inbox gets flooded) and a bounded number per client address (nobody mails the whole directory).
 * Every ask counts, for addresses that exist or not, so the limit tells a stranger nothing either.
 */
export async function signInMailAllowed(email: string, request: Request | undefined, limits: RateLimits = rateLimits()): Promise<boolean> {
  const client = request ? clientAddress(request.headers, env().TRUST_PROXY) : "unknown";
  const perClient = await limits.consume("signInPerClient", client);
  if (!perClient.allowed) {
    console.warn(`sign-in mail not sent: client ${client} is over its limit`);
    return false;
  }
  const perAddress = await limits.consume("signInPerAddress", email);
  if (!perAddress.allowed) {
    console.warn("sign-in mail not sent: that address is over its limit");
    return false;
  }
  return true;
}
