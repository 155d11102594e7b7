import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { jsonObject, startHttpTarget } from "./http-target";

// A real Standard Webhooks receiver, the stand-in for a customer's provisioning endpoint in tests and the demo:
// it verifies signatures, dedupes on webhook-id, and can answer later (202) and call the portal back.

export interface ReceivedDelivery {
  id: string;
  type: string;
  data: Record<string, unknown>;
  verified: true;
}

export interface CallbackBody {
  status: "succeeded" | "failed";
  message?: string;
}

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:4011/webhooks */
  url: string;
  /** Verified deliveries, each webhook-id once, in arrival order. */
  deliveries: ReceivedDelivery[];
  /** How many requests had a missing or bad signature. */
  readonly rejected: number;
  /** The next `times` deliveries (1 when omitted) are answered with `status` and not recorded. */
  respondWith(rule: { status: number; times?: number; retryAfterSeconds?: number }): void;
  /** Answer 202 from now on, and leave the outcome to `callBack`. */
  acceptLater(): void;
  /** POSTs `body` to the delivery's data.callbackUrl, signed with the receiver's secret; the status it got. */
  callBack(deliveryId: string, body: CallbackBody): Promise<number>;
  /** While down, connections are dropped, as when the receiver is offline. */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

const PATH = "/webhooks";

export async function startWebhookReceiver(options: { secret: string; port?: number }): Promise<WebhookReceiver> {
  const webhook = new Webhook(options.secret);
  const deliveries: ReceivedDelivery[] = [];
  let rejected = 0;
  let later = false;

  const target = await startHttpTarget({
    port: options.port,
    errorBody: (status, message) => (status >= 400 ? { error: message } : undefined),
    handle({ method, url, headers, body }) {
      if (url.pathname !== PATH) return { status: 404, body: { error: `No webhook endpoint at ${url.pathname}` } };
      if (method !== "POST") return { status: 405, body: { error: "Webhooks are POSTed" }, headers: { Allow: "POST" } };
      const flat = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
      try {
        webhook.verify(body, flat, { jsonParse: false });
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        rejected += 1;
        return { status: 401, body: { error: `Invalid webhook signature: ${error.message}` } };
      }
      const id = flat["webhook-id"] ?? "";
      if (deliveries.some((delivery) => delivery.id === id)) return { status: 200, body: { duplicate: true } };
      const payload = jsonObject(body);
      const data = payload?.data;
      if (typeof payload?.type !== "string" || !data || typeof data !== "object" || Array.isArray(data)) {
        return { status: 400, body: { error: "Expected a JSON body with type and data" } };
      }
      deliveries.push({ id, type: payload.type, data: data as Record<string, unknown>, verified: true });
      return later ? { status: 202, body: { accepted: true } } : { status: 200, body: { ok: true } };
    },
  });

  return {
    url: target.url + PATH,
    deliveries,
    get rejected() {
      return rejected;
    },
    respondWith: (rule) => target.fail(rule),
    acceptLater: () => void (later = true),
    async callBack(deliveryId, body) {
      const delivery = deliveries.find((candidate) => candidate.id === deliveryId);
      if (!delivery) throw new Error(`No delivery ${deliveryId} was received`);
      const callbackUrl = delivery.data.callbackUrl;
      if (typeof callbackUrl !== "string") throw new Error(`Delivery ${deliveryId} has no data.callbackUrl`);
      const text = JSON.stringify(body);
      const id = `${deliveryId}.callback`;
      const now = new Date();
      const response = await fetch(callbackUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": webhook.sign(id, now, text),
        },
        body: text,
      });
      await response.body?.cancel();
      return response.status;
    },
    setDown: (down) => target.setDown(down),
    stop: () => target.stop(),
  };
}
