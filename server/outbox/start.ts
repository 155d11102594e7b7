import { inngest } from "@/inngest/client";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { startOutboxRelay } from "@/server/outbox/relay-loop";

/** Start this app process's outbox relay, delivering events to Inngest (or the local engine). */
export function startAppOutboxRelay() {
  return startOutboxRelay({
    db: db(),
    connectionString: env().DATABASE_URL,
    send: (events) => inngest.send(events),
  });
}
