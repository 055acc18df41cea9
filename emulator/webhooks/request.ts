// How a webhook goes on the wire (bandwidth.md §6.1, §5.1): POST with a JSON body, or GET with one
// query parameter per top-level field (OPEN-18: nested objects JSON-encoded); HTTP Basic when
// credentials are configured; no signature header.

import type { Credentials } from "../call/types.js";

export type Method = "GET" | "POST";

export interface WireRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export const USER_AGENT = "bwemu-carrier/0.1";

/** A username/password pair as Basic credentials (a missing half is empty); absent when neither is set. */
export function credentials(u: string | undefined, p: string | undefined): Credentials | undefined {
  if (u === undefined && p === undefined) return undefined;
  return { username: u ?? "", password: p ?? "" };
}

export function basicAuth(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, "utf8").toString("base64")}`;
}

function queryValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export function buildWebhookRequest(
  url: string,
  method: Method,
  payload: Record<string, unknown>,
  credentials?: Credentials,
): WireRequest {
  const headers: Record<string, string> = { "user-agent": USER_AGENT };
  if (credentials) headers.authorization = basicAuth(credentials);
  if (method === "GET") {
    const u = new URL(url);
    for (const [k, v] of Object.entries(payload)) {
      if (v === undefined) continue;
      u.searchParams.append(k, queryValue(v));
    }
    return { method, url: u.href, headers };
  }
  headers["content-type"] = "application/json";
  return { method, url, headers, body: JSON.stringify(payload) };
}
