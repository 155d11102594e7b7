import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { EventsRefused } from "./limits";
import type { EngineEvent } from "./protocol";

// Receives events the way Inngest's event API does, so the SDK's `inngest.send` and `step.sendEvent`
// work with INNGEST_BASE_URL pointing here: POST /e/<event key> with one event or an array, answered
// { ids, status: 200 }. The key must be the engine's event key (401 otherwise): the port is reachable by
// every process on the machine, and an event starts functions that grant access. Bodies are capped.

const eventSchema = z.looseObject({
  name: z.string().min(1),
  data: z.record(z.string(), z.unknown()).nullish(),
  id: z.string().min(1).nullish(),
  ts: z.number().nullish(),
  user: z.record(z.string(), z.unknown()).nullish(),
});

export type EventServer = { url: string; close(): Promise<void> };

export async function startEventServer(o: {
  port: number;
  host: string;
  eventKey: string;
  onEvents: (events: EngineEvent[]) => Promise<string[]>;
  onError: (message: string) => void;
}): Promise<EventServer> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const path = /^\/e\/([^/]+)\/?$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    if (req.method !== "POST" || !path) {
      return reply(404, { error: "Not found: events go to POST /e/<key>", status: 404 });
    }
    if (!sameKey(path[1]!, o.eventKey)) {
      return reply(401, { error: "Event key not found: send events with the engine's event key (INNGEST_EVENT_KEY).", status: 401 });
    }
    readBody(req, MAX_EVENT_BODY)
      .then(async (text) => {
        const parsed = z.union([eventSchema, z.array(eventSchema)]).safeParse(parseJson(text));
        if (!parsed.success) return reply(400, { error: parsed.error.message, status: 400 });
        const now = Date.now();
        const events = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).map(
          ({ id, data, ts, user, ...rest }): EngineEvent => ({
            ...rest,
            id: id ?? randomUUID(),
            data: data ?? {},
            ts: ts ?? now,
            ...(user ? { user } : {}),
          }),
        );
        reply(200, { ids: await o.onEvents(events), status: 200 });
      })
      .catch((err: Error) => {
        if (err instanceof BodyTooLarge) return reply(413, { error: err.message, status: 413 });
        if (err instanceof EventsRefused) return reply(err.status, { error: err.message, status: err.status });
        o.onError(`receiving events: ${err.message}`);
        reply(500, { error: err.message, status: 500 });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host}:${port}/`,
    // Requests in progress may finish (their events are being written); idle keep-alive sockets close
    // now, and whatever still hangs on after a moment is cut.
    close: () =>
      new Promise((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), 2000);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Bytes one request of events may be: room for a batch (each event is also held to its own limit, ./limits.ts). */
const MAX_EVENT_BODY = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

const digest = (value: string) => createHash("sha256").update(value).digest();
const sameKey = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        return reject(new BodyTooLarge(`Events larger than ${maxBytes / 1024 / 1024} MB in one request are refused.`));
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
