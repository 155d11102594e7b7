import "server-only";

// Request bodies are read with a cap, before any parsing: a declared Content-Length over the cap is
// refused without reading a byte, and a body that streams past it (chunked, or lying about its
// length) is cut off as soon as it crosses the cap.

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${formatBytes(maxBytes)}.`);
    this.name = "BodyTooLargeError";
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${bytes / 1_000_000} MB` : bytes >= 1000 ? `${bytes / 1000} kB` : `${bytes} bytes`;
}

/** True when the request declares a body longer than maxBytes. */
export function declaresTooLarge(request: Request, maxBytes: number): boolean {
  const declared = Number(request.headers.get("content-length"));
  return Number.isFinite(declared) && declared > maxBytes;
}

/** The body as UTF-8 text, or BodyTooLargeError once more than maxBytes arrive. */
export async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  if (declaresTooLarge(request, maxBytes)) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The same request with its body read under the cap, for handlers that read the body themselves
 * (tRPC, SCIM). Throws BodyTooLargeError like readLimitedText.
 */
export async function withLimitedBody(request: Request, maxBytes: number): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const text = await readLimitedText(request, maxBytes);
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body: text, signal: request.signal });
}
