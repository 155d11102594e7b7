// Runs once when a Next.js server process starts: every app process relays its outbox to Inngest.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startAppOutboxRelay } = await import("@/server/outbox/start");
  startAppOutboxRelay();
}
