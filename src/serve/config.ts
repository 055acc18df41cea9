// `bwemu serve` settings from flags, BWEMU_* environment variables and the config file's `serve`
// section, in that order of precedence. Passwords only ever come from the environment (never a flag
// that ends up in shell history, never the config file that ends up in git). Pure.

import type { CarrierSettings } from "../../emulator/call/types.js";
import type { ServeConfig } from "../config.js";
import { UsageError } from "../exit.js";
import { httpUrl, parseInt10 } from "../parse.js";
import { DEFAULT_MAX_CALLS } from "./store.js";

export const DEFAULT_SERVE_PORT = 4010;
export const DEFAULT_STUB_PORT = 4020;

export interface ResolvedServe {
  port: number;
  host: string;
  /** "stub": bwemu runs the Realtime stub on `stubPort`; "none": nothing; else the live URL the bridge uses (shown only). */
  realtime: "stub" | "none" | string;
  stubPort: number;
  maxCalls: number;
  settings: Partial<CarrierSettings>;
}

export type ServeFlags = Partial<Record<"port" | "host" | "accountId" | "applicationId" | "callbackUser" | "apiUser" | "statusUrl" | "realtime" | "stubPort" | "maxCalls" | "allowedHost", string | string[]>>;

/** A whole number in min..max from a flag, an environment variable or the file; absent or "" is undefined. */
function int(name: string, v: string | number | undefined, min: number, max: number): number | undefined {
  return v === undefined || v === "" ? undefined : parseInt10(v, name, min, max);
}

function str(flag: string | string[] | undefined): string | undefined {
  return Array.isArray(flag) ? flag[flag.length - 1] : flag;
}

function pick<T>(...vs: (T | undefined)[]): T | undefined {
  return vs.find((v) => v !== undefined && v !== "");
}

export function resolveServeConfig(file: ServeConfig = {}, flags: ServeFlags = {}, env: Record<string, string | undefined> = process.env): ResolvedServe {
  const port = int("--port", pick(str(flags.port), env.BWEMU_SERVE_PORT), 0, 65535) ?? int("serve.port", file.port, 0, 65535) ?? DEFAULT_SERVE_PORT;
  const stubPort = int("--stub-port", pick(str(flags.stubPort), env.BWEMU_STUB_PORT), 0, 65535) ?? int("serve.stubPort", file.stubPort, 0, 65535) ?? DEFAULT_STUB_PORT;
  const maxCalls = int("--max-calls", pick(str(flags.maxCalls), env.BWEMU_MAX_CALLS), 1, 100_000) ?? int("serve.maxCalls", file.maxCalls, 1, 100_000) ?? DEFAULT_MAX_CALLS;
  const host = pick(str(flags.host), env.BWEMU_SERVE_HOST, file.host) ?? "127.0.0.1";
  const realtime = pick(str(flags.realtime), env.BWEMU_REALTIME, file.realtime) ?? "stub";
  if (realtime !== "stub" && realtime !== "none" && !/^wss?:\/\/\S+$/.test(realtime)) throw new UsageError(`--realtime: expected stub, none or a ws(s):// URL, got ${JSON.stringify(realtime)}`);
  const settings: Partial<CarrierSettings> = {};
  const accountId = pick(str(flags.accountId), env.BWEMU_ACCOUNT_ID, file.accountId);
  if (accountId !== undefined) {
    if (!/^[\w-]{1,64}$/.test(accountId)) throw new UsageError(`--account-id: expected letters, digits, - or _ (at most 64), got ${JSON.stringify(accountId)}`);
    settings.accountId = accountId;
  }
  const applicationId = pick(str(flags.applicationId), env.BWEMU_APPLICATION_ID, file.applicationId);
  if (applicationId !== undefined) settings.applicationId = applicationId;
  const callbackUser = pick(str(flags.callbackUser), env.BWEMU_CALLBACK_USER, file.callbackUser);
  if (callbackUser !== undefined) {
    if (env.BWEMU_CALLBACK_PASSWORD === undefined) throw new UsageError("callback user set but BWEMU_CALLBACK_PASSWORD is not");
    settings.callbackCreds = { username: callbackUser, password: env.BWEMU_CALLBACK_PASSWORD };
  }
  const apiUser = pick(str(flags.apiUser), env.BWEMU_API_USER, file.apiUser);
  if (apiUser !== undefined) {
    if (env.BWEMU_API_PASSWORD === undefined) throw new UsageError("Voice API user set but BWEMU_API_PASSWORD is not");
    settings.apiCredentials = { username: apiUser, password: env.BWEMU_API_PASSWORD };
  }
  const statusUrl = pick(str(flags.statusUrl), env.BWEMU_STATUS_URL, file.statusUrl);
  if (statusUrl !== undefined) settings.statusCallbackUrl = httpUrl("--status-url", statusUrl);
  const flagHosts = flags.allowedHost === undefined ? undefined : ([] as string[]).concat(flags.allowedHost);
  const hosts = flagHosts ?? env.BWEMU_ALLOWED_HOSTS?.split(",").map((h) => h.trim()).filter(Boolean) ?? file.allowedHosts;
  if (hosts?.length) settings.apiAllowedHosts = hosts;
  return { port, host, realtime, stubPort, maxCalls, settings };
}
