import "server-only";
import { inngest } from "@/inngest/client";
import { appDatabaseUrl, db } from "@/server/db";
import { startOutboxRelay } from "@/server/outbox/relay-loop";

/** Start this app process's outbox relay, delivering events to Inngest (or the local engine). */
export function startAppOutboxRelay() {
  return startOutboxRelay({
    db: db(),
    connectionString: appDatabaseUrl(),
    send: (events) => inngest.send(events),
  });
}
