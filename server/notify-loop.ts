import "server-only";
import pg from "pg";

export type NotifyLoop = { stop(): Promise<void> };

type Subscriber = { kick: () => void; onError: (error: unknown) => void };

/**
 * One listening connection per database in a process, shared by every loop on it (the relay and the
 * sealer): each idle PostgreSQL backend holds 14-25 MB of resident memory (scripts/bench-memory.ts).
 */
type Listener = { client: pg.Client; ready: Promise<void>; channels: Map<string, Set<Subscriber>> };
const listeners = new Map<string, Listener>();

function listenerFor(connectionString: string): Listener {
  const existing = listeners.get(connectionString);
  if (existing) return existing;
  const client = new pg.Client({ connectionString });
  const entry: Listener = { client, ready: Promise.resolve(), channels: new Map() };
  const everyone = () => new Set([...entry.channels.values()].flatMap((subs) => [...subs]));
  // A broken connection is dropped for the next loop to start afresh; loops on it carry on by their sweeps.
  const forget = () => listeners.get(connectionString) === entry && listeners.delete(connectionString);
  client.on("error", (error) => {
    forget();
    for (const sub of everyone()) sub.onError(error);
  });
  client.on("end", forget);
  client.on("notification", (n) => {
    for (const sub of entry.channels.get(n.channel) ?? []) sub.kick();
  });
  entry.ready = client.connect().then(
    () => undefined,
    (error) => {
      forget();
      throw error;
    },
  );
  listeners.set(connectionString, entry);
  return entry;
}

/** LISTENs on `channels` (those not listened to yet) for `sub`, then kicks it once; returns the way out. */
function subscribe(connectionString: string, channels: string[], sub: Subscriber): () => Promise<void> {
  const entry = listenerFor(connectionString);
  const fresh = channels.filter((c) => !entry.channels.has(c));
  for (const c of channels) entry.channels.set(c, (entry.channels.get(c) ?? new Set()).add(sub));
  const listening = (entry.ready = entry.ready
    .then(() => (fresh.length ? entry.client.query(fresh.map((c) => `LISTEN ${c}`).join("; ")) : undefined))
    .then(() => undefined));
  listening.then(sub.kick, sub.onError);
  return async () => {
    await listening.catch(() => {});
    for (const c of channels) {
      const subs = entry.channels.get(c);
      subs?.delete(sub);
      if (subs?.size === 0) entry.channels.delete(c);
    }
    if (entry.channels.size === 0) {
      if (listeners.get(connectionString) === entry) listeners.delete(connectionString);
      await entry.client.end().catch(() => {});
    }
  };
}

/**
 * Runs `pass` in this process whenever Postgres notifies one of `channels` (after the notifying
 * transaction commits), and every `sweepMs` for whatever a notification missed. Bursts of
 * notifications coalesce into back-to-back passes; a pass never runs twice at once. The outbox relay
 * and the audit sealer are both such loops, on one listening connection.
 */
export function startNotifyLoop(opts: {
  connectionString: string;
  channels: string[];
  sweepMs: number;
  /** One pass; returns true when it should run again at once (more work waiting). */
  pass: () => Promise<boolean>;
  onError: (error: unknown) => void;
  /** Runs once on stop, after the last pass. */
  onStop?: () => Promise<void>;
}): NotifyLoop {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          while ((await opts.pass()) && !stopped);
        } catch (e) {
          opts.onError(e);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };

  const unsubscribe = subscribe(opts.connectionString, opts.channels, { kick, onError: opts.onError });

  const timer = setInterval(kick, opts.sweepMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await opts.onStop?.().catch(opts.onError);
      await unsubscribe();
    },
  };
}
