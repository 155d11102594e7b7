// Runs once when a Next.js server process starts: every app process relays its outbox to Inngest
// and seals its audit rows into the hash chain.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Rate limits and the dev mailbox need the socket's address, which Next.js does not pass on.
  const { installPeerAddressStamp } = await import("@/server/security/client-address");
  installPeerAddressStamp();
  const { startAppOutboxRelay } = await import("@/server/outbox/start");
  startAppOutboxRelay();
  const { startAppAuditSealer } = await import("@/server/audit/start");
  startAppAuditSealer();
}
