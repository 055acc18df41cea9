// The HTTP edge of the callback client: one request, a hard timeout over the whole exchange, and a
// cap on the response body (reading stops and the socket is destroyed once the cap is passed, so a
// 100 MB reply costs at most `maxResponseBytes` of memory). No redirects are followed (OPEN-19).

import http from "node:http";
import https from "node:https";
import type { WireRequest } from "./request.js";

export type HttpResult =
  | {
      kind: "response";
      status: number;
      headers: Record<string, string | string[] | undefined>;
      /** The body as text, for the record and for sniffing (invalid UTF-8 shows as U+FFFD). */
      body: string;
      /**
       * The body as received. A BXML reply is judged on these bytes by the BXML parser, whose
       * decoder is the one `bwemu lint` uses: invalid UTF-8 is `bxml/invalid-utf8`, never repaired.
       */
      raw: Uint8Array;
      bytes: number;
    }
  | { kind: "too-large"; status: number; headers: Record<string, string | string[] | undefined>; bytes: number; body: string }
  | { kind: "connection-error"; error: string }
  | { kind: "timeout"; error: string; status?: number };

export interface SendOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
  /** Raw bytes instead of text (PlayAudio fetches). */
  binary?: boolean;
}

export interface BinaryResult {
  result: HttpResult;
  bytes?: Buffer;
}

/** Sends one request; never throws. */
export function send(req: WireRequest, opts: SendOptions): Promise<HttpResult> {
  return sendRaw(req, opts).then((r) => r.result);
}

export function sendRaw(req: WireRequest, opts: SendOptions): Promise<BinaryResult> {
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    const finish = (r: BinaryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      resolve(r);
    };
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      resolve({ result: { kind: "connection-error", error: `invalid URL ${req.url}` } });
      return;
    }
    const lib = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
    if (!lib) {
      resolve({ result: { kind: "connection-error", error: `unsupported scheme ${url.protocol}` } });
      return;
    }
    const headers: Record<string, string> = { ...req.headers, connection: "close" };
    if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
    const r = lib.request(url, { method: req.method, headers, agent: false });
    const timer = setTimeout(() => {
      finish({ result: { kind: "timeout", error: `no complete response within ${opts.timeoutMs} ms`, status } });
      r.destroy();
    }, opts.timeoutMs);
    const onAbort = () => {
      finish({ result: { kind: "connection-error", error: "aborted: the call ended" } });
      r.destroy();
    };
    if (opts.signal) {
      if (opts.signal.aborted) return onAbort();
      opts.signal.addEventListener("abort", onAbort, { once: true });
    }
    r.on("error", (e: NodeJS.ErrnoException) => {
      finish({ result: { kind: "connection-error", error: e.code ? `${e.code}: ${e.message}` : e.message } });
    });
    r.on("response", (res) => {
      status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        if (settled) return;
        bytes += c.length;
        if (bytes > opts.maxResponseBytes) {
          const kept = Buffer.concat(chunks).subarray(0, Math.min(4096, opts.maxResponseBytes));
          finish({
            result: { kind: "too-large", status: status!, headers: res.headers, bytes, body: kept.toString("utf8") },
          });
          res.destroy();
          r.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        finish({
          result: { kind: "response", status: status!, headers: res.headers, body: opts.binary ? "" : buf.toString("utf8"), raw: opts.binary ? new Uint8Array(0) : buf, bytes },
          bytes: opts.binary ? buf : undefined,
        });
      });
      res.on("error", (e) => finish({ result: { kind: "connection-error", error: `response aborted: ${e.message}` } }));
      res.on("aborted", () => finish({ result: { kind: "connection-error", error: "response aborted by the server" } }));
    });
    if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}

export function headerValue(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}
