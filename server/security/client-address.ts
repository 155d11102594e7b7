import "server-only";
import http from "node:http";

// Who is on the other end of a request. Next.js fills X-Forwarded-For from the socket only when the
// client sent none, so the header alone is whatever the client chose to write. The socket's address
// is stamped on every request (PEER_HEADER, overwriting any the client sent) by
// installPeerAddressStamp(), which instrumentation.ts runs when the server starts.

export const PEER_HEADER = "x-portal-peer-address";

type HeaderSource = { get(name: string): string | null };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return a === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The Host header's name without its port is loopback (localhost, 127.0.0.1, [::1]). */
export function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  const name = host.trim().toLowerCase().replace(/:\d+$/, "");
  return LOOPBACK_HOSTS.has(name) || isLoopbackAddress(name);
}

const forwardedFor = (headers: HeaderSource) =>
  (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The client's address, as a rate-limit key. With TRUST_PROXY=1 the portal sits behind one reverse
 * proxy that appends the address it saw to X-Forwarded-For, so the last entry is the one to believe;
 * anything before it was written by the client. Without it, only the socket's address counts.
 */
export function clientAddress(headers: HeaderSource, trustProxy: boolean): string {
  if (trustProxy) {
    const last = forwardedFor(headers).at(-1);
    if (last) return last;
  }
  return headers.get(PEER_HEADER) ?? "unknown";
}

/**
 * Only a browser on this machine, talking to the portal directly: the socket, every X-Forwarded-For
 * entry and the Host are loopback. A reverse proxy in front of a loopback-bound portal connects from
 * 127.0.0.1 too, but it adds the real client to X-Forwarded-For and usually a public Host.
 */
export function isLocalRequest(headers: HeaderSource): boolean {
  const peer = headers.get(PEER_HEADER);
  if (peer !== null && !isLoopbackAddress(peer)) return false;
  if (!forwardedFor(headers).every(isLoopbackAddress)) return false;
  if (headers.get("forwarded") || headers.get("x-real-ip")) return false;
  const forwardedHost = headers.get("x-forwarded-host");
  if (forwardedHost !== null && !isLoopbackHost(forwardedHost)) return false;
  return isLoopbackHost(headers.get("host"));
}

const installed = Symbol.for("access-portal.peer-address-stamp");

/**
 * Stamps the socket's address on every incoming HTTP request of this process. Patches
 * http.Server.prototype.emit because Next.js creates its server before any app code runs and hands
 * route handlers only the headers.
 */
export function installPeerAddressStamp(): void {
  const proto = http.Server.prototype as unknown as Record<symbol, boolean> & { emit: (event: string, ...args: unknown[]) => boolean };
  if (proto[installed]) return;
  proto[installed] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  };
}
