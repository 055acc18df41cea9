// HTTP plumbing the Voice REST API and `bwemu serve`'s control API share: a reply as data (routes
// build one, one function writes it, so a route is a function from request to value), and a request
// body read up to a cap.
import type http from "node:http";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A JSON reply builder with its API's own headers (content type, caching) and layout. */
export function jsonReplies(base: Record<string, string>, o: { pretty?: boolean } = {}): (status: number, body: unknown, headers?: Record<string, string>) => Reply {
  return (status, body, headers = {}) => ({
    status,
    headers: { ...base, ...headers },
    body: o.pretty ? JSON.stringify(body, null, 2) + "\n" : JSON.stringify(body),
  });
}

export function sendReply(res: http.ServerResponse, r: Reply): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

/** The request body as UTF-8, read until `maxBytes`; past it `tooLarge`, with what came before the cap. */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let n = 0;
  let tooLarge = false;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > maxBytes) {
      tooLarge = true;
      break;
    }
    chunks.push(c as Buffer);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), tooLarge };
}
