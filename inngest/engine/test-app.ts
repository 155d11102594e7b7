import http from "node:http";
import type { AddressInfo } from "node:net";
import type { InngestFunction } from "inngest";
import { serve } from "inngest/node";
import type { Inngest } from "inngest";

// For the engine's tests: the SDK's real Node serve handler on a free port, like the app's /api/inngest.

export type TestApp = { url: string; close(): Promise<void> };

export async function serveTestApp(client: Inngest.Any, functions: InngestFunction.Any[]): Promise<TestApp> {
  const handler = serve({ client, functions });
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/api/inngest")) return handler(req, res);
    res.writeHead(404).end();
  });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}/api/inngest`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on right now, so a client can be pointed at an engine before it starts. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server, 0);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}
