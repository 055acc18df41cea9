// Who may use the Voice REST API: the request gate, checked before any route.
//
// Host: a web page can reach a loopback server by DNS rebinding (its own name re-pointed at
// 127.0.0.1), but its requests then carry that name in `Host`; answering only loopback names
// (127.0.0.0/8, localhost and *.localhost, [::1]) and configured ones closes that door, as dev
// servers do. A cross-site `Origin` is refused for the same reason.
// Credentials (§7.1): with credentials configured only they pass (Basic, compared in constant time);
// with none configured any Basic or Bearer credentials pass (as LocalStack accepts any key), but a
// request without an Authorization header is still refused like Bandwidth refuses it.

import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { Credentials } from "../call/types.js";
import { apiError, ERRORS, type ApiError } from "./errors.js";

export interface GateSettings {
  /** Host names (without port) accepted besides loopback ones, e.g. a Docker service name. */
  allowedHosts?: readonly string[];
  /** Basic credentials; unset = any credentials accepted. */
  credentials?: Credentials;
}

/** The refusal for a request from an unexpected host or origin, or undefined when it may proceed. */
export function checkHost(headers: { host?: string; origin?: string }, s: GateSettings): ApiError | undefined {
  const host = hostName(headers.host);
  if (host === undefined || !allowedHost(host, s)) {
    return apiError(403, "authorization-error", `Host '${clip(headers.host ?? "")}' is not allowed: the emulated Voice API answers loopback hosts (127.0.0.1, localhost, [::1]) and the configured apiAllowedHosts only`);
  }
  if (headers.origin !== undefined && headers.origin !== "null") {
    let originHost: string | undefined;
    try {
      originHost = hostName(new URL(headers.origin).host);
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || !allowedHost(originHost, s)) {
      return apiError(403, "authorization-error", `Origin '${clip(headers.origin)}' is not allowed: the emulated Voice API refuses cross-site requests`);
    }
  }
  return undefined;
}

/** The refusal for missing or wrong credentials, or undefined when they pass. */
export function checkCredentials(authorization: string | undefined, s: GateSettings): ApiError | undefined {
  if (!authorization) return ERRORS.unauthorized();
  const want = s.credentials;
  if (!want) return /^(Basic|Bearer) \S+/i.test(authorization) ? undefined : ERRORS.unauthorized();
  const m = /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return ERRORS.unauthorized();
  const got = Buffer.from(Buffer.from(m[1], "base64").toString("utf8"));
  const expected = Buffer.from(`${want.username}:${want.password}`);
  return got.length === expected.length && timingSafeEqual(got, expected) ? undefined : ERRORS.unauthorized();
}

/** `Host` header → lower-case name without port or IPv6 brackets; undefined when malformed. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const h = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return v6[1];
  const m = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1].replace(/\.$/, "") : undefined;
}

function allowedHost(name: string, s: GateSettings): boolean {
  if (name === "localhost" || name.endsWith(".localhost") || name === "::1") return true;
  if (isIP(name) === 4 && name.startsWith("127.")) return true;
  return (s.allowedHosts ?? []).some((a) => a.toLowerCase() === name);
}

function clip(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s).slice(1, -1);
}
