import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientAddress, installPeerAddressStamp, isLocalRequest, isLoopbackAddress, PEER_HEADER } from "./client-address";

const h = (headers: Record<string, string>) => new Headers(headers);

describe("the client's address", () => {
  it("is the socket's unless the portal trusts a proxy, so X-Forwarded-For cannot pick a new one", () => {
    const forged = h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "10.0.0.1" });
    expect(clientAddress(forged, false)).toBe("203.0.113.9");
    // Behind a proxy, the entry the proxy appended (the last) counts; the client wrote the ones before.
    expect(clientAddress(h({ [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": "10.0.0.1, 198.51.100.4" }), true)).toBe("198.51.100.4");
  });

  it("comes from the socket, overwriting a header the client sent", async () => {
    installPeerAddressStamp();
    const server = http.createServer((req, res) => res.end(String(req.headers[PEER_HEADER])));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, localAddress: "127.0.0.2", headers: { [PEER_HEADER]: "10.0.0.1" } }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).toBe("127.0.0.2");
    } finally {
      server.close();
    }
  });
});

describe("the dev mailbox's local-only check", () => {
  const local = { [PEER_HEADER]: "127.0.0.1", host: "localhost:3000", "x-forwarded-for": "127.0.0.1" };

  it("lets a browser on this machine in", () => {
    expect(isLocalRequest(h(local))).toBe(true);
    expect(isLocalRequest(h({ ...local, host: "[::1]:3000", "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe(true);
  });

  it("refuses a client a reverse proxy forwarded, or a public Host", () => {
    expect(isLocalRequest(h({ ...local, "x-forwarded-for": "203.0.113.9" }))).toBe(false);
    expect(isLocalRequest(h({ ...local, "x-forwarded-for": "127.0.0.1, 203.0.113.9" }))).toBe(false);
    expect(isLocalRequest(h({ ...local, host: "portal.example.com" }))).toBe(false);
    expect(isLocalRequest(h({ ...local, "x-forwarded-host": "portal.example.com" }))).toBe(false);
    expect(isLocalRequest(h({ ...local, "x-real-ip": "203.0.113.9" }))).toBe(false);
    expect(isLocalRequest(h({ ...local, [PEER_HEADER]: "192.168.1.20" }))).toBe(false);
  });

  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "[::1]"].every(isLoopbackAddress)).toBe(true);
    expect(["10.0.0.1", "128.0.0.1", "::ffff:10.0.0.1", "127.0.0.1.evil.com", ""].some(isLoopbackAddress)).toBe(false);
  });
});
