// Configuration of a conformance run: `bwemu.config.ts` (defineConfig), flags and env vars, merged
// in that order of precedence (flags win). Secrets come from the environment, never from flags that
// end up in shell history or CI logs.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./exit.js";
import { httpUrl, oneOf } from "./parse.js";
import { importUserModule } from "./user-module.js";
import type { ReporterName } from "../reports/model.js";
import type { CarrierSettings } from "../emulator/call/types.js";
import type { UpstreamMode } from "../suites/types.js";
import { REPORTERS } from "../reports/model.js";
import { DIRECTION_SETTINGS, type DirectionSetting } from "../suites/direction.js";

export interface BwemuConfig {
  /** The app's initiate URL (CallInitiatedCallbackUrl). Absent: bwemu starts the bundled reference bridge. */
  app?: string;
  /**
   * The bridge's upstream: "stub" (default), "live" or the Realtime URL the bridge itself uses (e.g.
   * wss://api.openai.com/v1/realtime), or "opaque" (another model, a pipeline, a bot: bwemu sees none of it).
   */
  realtime?: string;
  /** Port of the stub when bwemu starts it (your bridge points its Realtime URL here). Default: 4020 with --app, random otherwise. */
  stubPort?: number;
  cases?: string[];
  exclude?: string[];
  strict?: boolean;
  repeat?: number;
  /** Expected-failures file: CI fails only on change. */
  baseline?: string;
  reporters?: ReporterName[];
  out?: string;
  /** Application CallbackCreds; the password comes from BWEMU_CALLBACK_PASSWORD. */
  callbackUser?: string;
  /** Application CallStatusCallbackUrl (disconnect webhook). */
  statusUrl?: string;
  /**
   * Which way the suite's calls go: "inbound" (default: `initiate` to `app`), "outbound" (the carrier
   * calls out as REST createCall would: `answer` to `answerUrl`), or "both" (every case judged on each).
   */
  direction?: string;
  /** Outbound calls: createCall's answerUrl (default: `app`, so one endpoint serves both directions). */
  answerUrl?: string;
  /** Outbound calls: createCall's disconnectUrl (default: `statusUrl`). */
  disconnectUrl?: string;
  budgets?: { bridgeOverheadP95Ms?: number; turnExtraP95Ms?: number };
  concurrentCalls?: number;
  timeouts?: {
    /** Webhook timeout (ED-8). */
    callbackMs?: number;
    /** Longest a single call may last. */
    callMs?: number;
    /** Whole-run budget. */
    runMs?: number;
  };
  /** A progress line as each scenario starts, also without a TTY (finished ones are always shown). */
  verbose?: boolean;
  /** ED-12: the caller starts with the first stream's `start` frame ("stream-start", default) or at answer. */
  callerStartsAt?: string;
  /** `bwemu serve`: the long-running carrier (flags and BWEMU_* env vars win over these). */
  serve?: ServeConfig;
  /** The carrier's choices where Bandwidth's documentation is silent (docs/carrier.md), for `bwemu test` and `bwemu serve`. */
  carrier?: CarrierConfig;
}

/** Carrier settings a config file may change: each key is the carrier setting of that name (docs/carrier.md). */
export interface CarrierConfig {
  /** `sequenceNumber` counted per "track" (default) or per "stream". */
  sequenceScope?: string;
  /** Close codes from the app that end a stream as `closed` (default [1000, 1001, 1005]); others are `connection-error`. */
  cleanCloseCodes?: number[];
  /** An unknown verb makes the document invalid (true, default) or is skipped (false). */
  strictUnknownElements?: boolean;
  /** The carrier connects to ws:// stream destinations (true, default) or rejects them (false). */
  allowInsecureWs?: boolean;
  /** How long the carrier waits for the media WebSocket to open (default 10 000 ms). */
  streamConnectTimeoutMs?: number;
  /** BXML documents a call may request before it ends with application-error (default 100). */
  bxmlRequestCap?: number;
}

/** The `serve` section of the config file. Passwords come from the environment only. */
export interface ServeConfig {
  /** Port of the Voice API, control API and live page (default 4010; 0 = any free port). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  accountId?: string;
  applicationId?: string;
  /** Application CallbackCreds user; the password comes from BWEMU_CALLBACK_PASSWORD. */
  callbackUser?: string;
  /** Voice API Basic user; the password comes from BWEMU_API_PASSWORD (unset: any credentials pass). */
  apiUser?: string;
  /** Application CallStatusCallbackUrl (disconnect webhook of inbound calls). */
  statusUrl?: string;
  /** "stub" (default: the Realtime stub on its own port), "none", or the ws(s) URL your bridge uses. */
  realtime?: string;
  /** Port of the Realtime stub (default 4020). */
  stubPort?: number;
  /** Calls kept in memory (default 200; the oldest ended ones are dropped first). */
  maxCalls?: number;
  /** Host names besides loopback ones the server answers (e.g. a docker-compose service name). */
  allowedHosts?: string[];
}

/** What each key of a config file holds; keyed by BwemuConfig, so a new option cannot be missed here. */
type Shape<T> = {
  [K in keyof Required<T>]: NonNullable<T[K]> extends readonly number[]
    ? "number[]"
    : NonNullable<T[K]> extends readonly unknown[]
    ? "string[]"
    : NonNullable<T[K]> extends boolean
      ? "boolean"
      : NonNullable<T[K]> extends number
        ? "number"
        : NonNullable<T[K]> extends string
          ? "string"
          : Shape<NonNullable<T[K]>>;
};
type AnyShape = "string" | "string[]" | "number[]" | "boolean" | "number" | { [key: string]: AnyShape };

const CONFIG_SHAPE: Shape<BwemuConfig> = {
  app: "string",
  realtime: "string",
  stubPort: "number",
  cases: "string[]",
  exclude: "string[]",
  strict: "boolean",
  repeat: "number",
  baseline: "string",
  reporters: "string[]",
  out: "string",
  callbackUser: "string",
  statusUrl: "string",
  direction: "string",
  answerUrl: "string",
  disconnectUrl: "string",
  budgets: { bridgeOverheadP95Ms: "number", turnExtraP95Ms: "number" },
  concurrentCalls: "number",
  timeouts: { callbackMs: "number", callMs: "number", runMs: "number" },
  verbose: "boolean",
  callerStartsAt: "string",
  serve: {
    port: "number",
    host: "string",
    accountId: "string",
    applicationId: "string",
    callbackUser: "string",
    apiUser: "string",
    statusUrl: "string",
    realtime: "string",
    stubPort: "number",
    maxCalls: "number",
    allowedHosts: "string[]",
  },
  carrier: {
    sequenceScope: "string",
    cleanCloseCodes: "number[]",
    strictUnknownElements: "boolean",
    allowInsecureWs: "boolean",
    streamConnectTimeoutMs: "number",
    bxmlRequestCap: "number",
  },
};

/** The carrier settings a config file's `carrier` section may set. */
export const CARRIER_CONFIG_KEYS = Object.keys(CONFIG_SHAPE.carrier) as (keyof CarrierConfig)[];

const WANT: Record<string, string> = { string: "a string", "string[]": "an array of strings", "number[]": "an array of numbers", boolean: "true or false", number: "a number" };

/**
 * A config object's keys and value types: an unknown key names the nearest valid one (a typo is
 * otherwise silently ignored), a wrong type names the key's path. Returns the first problem.
 */
export async function configProblem(value: unknown, shape: AnyShape = CONFIG_SHAPE, path = ""): Promise<string | undefined> {
  if (typeof shape === "string") {
    const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
    const ok =
      shape === "string[]"
        ? Array.isArray(value) && value.every((v) => typeof v === "string")
        : shape === "number[]"
          ? Array.isArray(value) && value.every(isNumber)
          : shape === "number"
            ? isNumber(value)
            : typeof value === shape;
    return ok ? undefined : `${path}: expected ${WANT[shape]}, got ${JSON.stringify(value) ?? typeof value}`;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return `${path || "the config"}: expected an object, got ${JSON.stringify(value) ?? typeof value}`;
  const keys = Object.keys(shape);
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(shape, key)) {
      // The BXML catalogue's name matcher (case, separators, edit distance), loaded only for a typo.
      const { suggestElementName } = await import("../emulator/bxml/catalogue/index.js");
      const near = suggestElementName(key, keys);
      return `unknown key "${at}"${near ? ` (did you mean "${path ? `${path}.` : ""}${near}"?)` : ""}; valid keys${path ? ` in ${path}` : ""}: ${keys.join(", ")}`;
    }
    if (v === undefined) continue;
    const problem = await configProblem(v, shape[key], at);
    if (problem) return problem;
  }
  return undefined;
}

export function defineConfig(config: BwemuConfig): BwemuConfig {
  return config;
}

export interface ResolvedConfig {
  app?: string;
  realtime: "stub" | string;
  stubPort: number;
  cases: string[];
  exclude: string[];
  strict: boolean;
  repeat: number;
  baseline?: string;
  reporters: ReporterName[];
  out: string;
  callbackCreds?: { username: string; password: string };
  statusUrl?: string;
  direction: DirectionSetting;
  answerUrl?: string;
  disconnectUrl?: string;
  overheadP95Ms: number;
  turnExtraP95Ms: number;
  concurrentCalls: number;
  callbackMs: number;
  callMs: number;
  runMs: number;
  openaiApiKey?: string;
  verbose: boolean;
  callerStartsAt: "stream-start" | "answer";
  /** The config file's `carrier` section, checked. */
  carrier?: Partial<CarrierSettings>;
}

const UPSTREAM_OF: Record<string, UpstreamMode> = { stub: "stub", live: "live", opaque: "opaque" };

/** What bwemu sees of the bridge's upstream for `realtime` (a URL is the live service the bridge uses). */
export function upstreamMode(realtime: string): UpstreamMode {
  return UPSTREAM_OF[realtime] ?? "live";
}

export const DEFAULT_CONFIG_FILES = ["bwemu.config.ts", "bwemu.config.mjs", "bwemu.config.js"];

/** Load `bwemu.config.*` (explicit path, or the first default found in `cwd`). */
export async function loadConfigFile(path: string | undefined, cwd = process.cwd()): Promise<BwemuConfig> {
  const file = path ? resolve(cwd, path) : DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (!file) return {};
  if (!existsSync(file)) throw new UsageError(`config file not found: ${file}`);
  try {
    const mod = (await importUserModule(file)) as { default?: BwemuConfig };
    if (!mod.default || typeof mod.default !== "object") throw new UsageError(`${file}: expected \`export default defineConfig({ … })\``);
    const problem = await configProblem(mod.default);
    if (problem) throw new UsageError(`${file}: ${problem}`);
    return mod.default;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function positiveInt(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0 || !Number.isInteger(n)) throw new UsageError(`${name}: expected a positive whole number, got ${JSON.stringify(v)}`);
  return n;
}

function positiveNum(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name}: expected a positive number, got ${JSON.stringify(v)}`);
  return n;
}

/** The `carrier` section as carrier settings; a value out of range is a usage error naming its key. */
export function carrierConfigSettings(c: CarrierConfig = {}): Partial<CarrierSettings> {
  const s: Partial<CarrierSettings> = {};
  if (c.sequenceScope !== undefined) s.sequenceScope = oneOf("carrier.sequenceScope", c.sequenceScope, ["track", "stream"] as const, "track");
  if (c.cleanCloseCodes !== undefined) {
    const bad = c.cleanCloseCodes.find((n) => !Number.isInteger(n) || n < 1000 || n > 4999);
    if (bad !== undefined) throw new UsageError(`carrier.cleanCloseCodes: ${bad} is not a WebSocket close code (1000–4999)`);
    s.cleanCloseCodes = [...c.cleanCloseCodes];
  }
  if (c.strictUnknownElements !== undefined) s.strictUnknownElements = c.strictUnknownElements;
  if (c.allowInsecureWs !== undefined) s.allowInsecureWs = c.allowInsecureWs;
  if (c.streamConnectTimeoutMs !== undefined) s.streamConnectTimeoutMs = positiveNum("carrier.streamConnectTimeoutMs", c.streamConnectTimeoutMs, 10_000);
  if (c.bxmlRequestCap !== undefined) s.bxmlRequestCap = positiveInt("carrier.bxmlRequestCap", c.bxmlRequestCap, 100);
  return s;
}

/** Merge file config, flags (already parsed; undefined = not given) and env into one validated config. */
export function resolveConfig(file: BwemuConfig, flags: BwemuConfig, env: Record<string, string | undefined> = process.env): ResolvedConfig {
  const c: BwemuConfig = { ...file, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
  const realtime = c.realtime ?? "stub";
  if (!(realtime in UPSTREAM_OF) && !/^wss?:\/\//.test(realtime)) throw new UsageError(`--realtime: expected stub, live, opaque or a ws(s):// URL, got ${realtime}`);
  const reporters = c.reporters ?? ["html", "json", "junit"];
  for (const r of reporters) if (!REPORTERS.includes(r)) throw new UsageError(`--reporter: unknown reporter "${r}" (one of ${REPORTERS.join(", ")})`);
  const callbackUser = c.callbackUser ?? env.BWEMU_CALLBACK_USER;
  const callbackPassword = env.BWEMU_CALLBACK_PASSWORD;
  if (callbackUser && callbackPassword === undefined) throw new UsageError("callback user set but BWEMU_CALLBACK_PASSWORD is not");
  // With a live URL the bridge talks to OpenAI itself; bwemu only learns that the stub's own
  // timestamps are missing. The key is read for tools that connect themselves (never logged).
  const openaiApiKey = env.OPENAI_API_KEY;
  return {
    app: httpUrl("--app", c.app),
    realtime,
    stubPort: c.stubPort ?? (c.app || c.answerUrl ? 4020 : 0),
    cases: c.cases ?? [],
    exclude: c.exclude ?? [],
    strict: c.strict ?? false,
    repeat: positiveInt("--repeat", c.repeat, 1),
    baseline: c.baseline,
    reporters,
    out: c.out ?? "bwemu-report",
    callbackCreds: callbackUser ? { username: callbackUser, password: callbackPassword! } : undefined,
    statusUrl: httpUrl("--status-url", c.statusUrl),
    direction: oneOf("direction (--direction)", c.direction, DIRECTION_SETTINGS, "inbound"),
    answerUrl: httpUrl("--answer-url", c.answerUrl),
    disconnectUrl: httpUrl("--disconnect-url", c.disconnectUrl),
    overheadP95Ms: positiveNum("budgets.bridgeOverheadP95Ms", c.budgets?.bridgeOverheadP95Ms, 50),
    turnExtraP95Ms: positiveNum("budgets.turnExtraP95Ms", c.budgets?.turnExtraP95Ms, 150),
    concurrentCalls: positiveInt("concurrentCalls", c.concurrentCalls, 10),
    callbackMs: positiveNum("timeouts.callbackMs", c.timeouts?.callbackMs, 15_000),
    callMs: positiveNum("timeouts.callMs", c.timeouts?.callMs, 30_000),
    // The default budget scales with --repeat (300 s a repetition), so asking for more runs never starves them.
    runMs: positiveNum("timeouts.runMs", c.timeouts?.runMs, 300_000 * positiveInt("--repeat", c.repeat, 1)),
    openaiApiKey,
    verbose: c.verbose ?? false,
    callerStartsAt: oneOf("callerStartsAt (--caller-starts-at)", c.callerStartsAt, ["stream-start", "answer"] as const, "stream-start"),
    carrier: carrierConfigSettings(c.carrier),
  };
}
