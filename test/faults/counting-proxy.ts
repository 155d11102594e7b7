import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

// A pass-through HTTP proxy in front of a test target that counts the requests reaching it, so a test
// can show the portal did not hammer a target that was down. `answer` makes matching requests get a
// canned answer (e.g. a SCIM 400 validation error) instead of reaching the target.

export interface CountingProxy {
  /** The target's base URL, through the proxy. */
  url: string;
  count(): number;
  answer(rule: { method: string; path: string; status: number; body: unknown; times: number } | null): void;
  stop(): Promise<void>;
}

export async function startCountingProxy(targetBaseUrl: string): Promise<CountingProxy> {
  const target = new URL(targetBaseUrl);
  let count = 0;
  let rule: { method: string; path: string; status: number; body: unknown; times: number } | null = null;
  const server = createServer((req, res) => {
    count++;
    if (rule && req.method === rule.method && req.url?.startsWith(target.pathname + rule.path) && rule.times-- > 0) {
      req.resume();
      res.writeHead(rule.status, { "content-type": "application/scim+json" });
      return void res.end(JSON.stringify(rule.body));
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    // The target dropped the connection: drop ours too, as the target itself would have.
    upstream.on("error", () => res.socket?.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    count: () => count,
    answer: (next) => void (rule = next),
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
