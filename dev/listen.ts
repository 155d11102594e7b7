// Where the demo SCIM target (dev/scim-server.ts) and the test servers (test/targets/) start listening.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts listening (a free port unless one is given, on loopback by default); resolves to the origin, e.g. http://127.0.0.1:4011. */
export async function listenOn(server: Server, port = 0, host = "127.0.0.1"): Promise<string> {
  server.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return `http://${address.includes(":") ? `[${address}]` : address}:${bound}`;
}
