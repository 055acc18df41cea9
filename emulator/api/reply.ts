// An HTTP reply as data: the Voice REST API and `bwemu serve`'s control API build these in their
// routes and write them in one place, so a route is a function from request to value.
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
