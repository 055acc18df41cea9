// `bwemu lint <files|dirs|globs|URLs|->`: lint BXML documents, from files, stdin, or an app's URL
// (asked the way the carrier asks: POST of an `initiate`).
// Exit codes (exit.ts): 0 clean; 1 findings at the failing level (errors; warnings too with --strict);
// 2 usage or I/O error (bad flag, unreadable file, nothing matched); 3 a bwemu bug.
import { readFile, stat } from "node:fs/promises";
import { join, resolve, relative, isAbsolute, sep } from "node:path";
import fg from "fast-glob";
import picomatch from "picomatch";
import { EXIT, UsageError } from "../exit.js";
import { colorEnabled } from "./colors.js";
import { lintBxml, lintRules, INTERNAL_ERROR } from "../lint.js";
import type { LintOptions } from "../lint.js";
import { lintFormatters } from "../../reports/lint/index.js";
import type { LintFormat, LintResult } from "../../reports/lint/index.js";
import type { BxmlContext, Diagnostic } from "../../emulator/bxml/model.js";
import { escapeControls, escapeJsonControls } from "../../emulator/text/escape.js";
import { decided } from "../../emulator/decisions.js";

/** Directory walks pick these up; a file named explicitly is linted whatever its extension. */
const EXTENSIONS = ["xml", "bxml"];
const IGNORE = ["**/node_modules/**", "**/.git/**"];
/** Bounded reads: far above BXML's 64 KB, so the parser still reports the real size for anything sane. */
const MAX_READ_BYTES = 256 * 1024 * 1024;
const VERSION = "0.1.0";
export const STDIN = "<stdin>";

export interface LintFlags {
  format: LintFormat;
  context: BxmlContext;
  baseUrl?: string;
  strict?: boolean;
  watch?: boolean;
  listRules?: boolean;
}

export async function runLint(inputs: string[], flags: LintFlags): Promise<number> {
  if (flags.listRules) {
    process.stdout.write(listRules(flags.format));
    return EXIT.OK;
  }
  if (inputs.length === 0) throw new UsageError("give at least one file, directory, glob, or - for stdin (see bwemu lint --help)");
  if (flags.baseUrl !== undefined) checkBaseUrl(flags.baseUrl);
  if (flags.watch && inputs.includes("-")) throw new UsageError("--watch cannot read stdin: give files, directories or globs");
  if (flags.watch && inputs.some(isUrl)) throw new UsageError("--watch cannot watch a URL: give files, directories or globs");

  const options: LintOptions = { context: flags.context };
  if (flags.baseUrl !== undefined) options.baseUrl = flags.baseUrl;
  const failOn = flags.strict ? "warning" : "error";
  const color = useColor(flags.format);

  const found = await resolveInputs(inputs);
  for (const p of found.problems) process.stderr.write(`bwemu: ${escapeControls(p)}\n`);
  const results: LintResult[] = [];
  const collect = (r: LintResult | { problem: string }) => {
    if ("problem" in r) {
      found.problems.push(r.problem);
      process.stderr.write(`bwemu: ${escapeControls(r.problem)}\n`);
    } else results.push(r);
  };
  for (const file of found.files) collect(await lintFile(file, options));
  for (const url of found.urls) collect(await lintUrl(url, options));
  if (found.stdin) results.push(await lintStdin(options));

  if (results.length > 0 || found.problems.length === 0) {
    process.stdout.write(escapeJsonControls(lintFormatters[flags.format](results, { failOn, color, rules: lintRules, version: VERSION })));
  }
  if (flags.watch) return watch(inputs, found.files, options, flags, failOn, color);
  return exitCode(results, found.problems.length > 0, failOn);
}

function exitCode(results: LintResult[], ioProblem: boolean, failOn: "error" | "warning"): number {
  if (ioProblem) return EXIT.USAGE;
  const all = results.flatMap((r) => r.diagnostics);
  if (all.some((d) => d.ruleId === INTERNAL_ERROR)) return EXIT.HARNESS;
  if (all.some((d) => d.level === "error" || (failOn === "warning" && d.level === "warning"))) return EXIT.FINDINGS;
  return EXIT.OK;
}

function checkBaseUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--base-url must be an absolute URL such as https://app.example.com/answer, not "${url}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--base-url must be an http(s) URL (the URL that serves the BXML), not ${u.protocol}//…`);
}

/** Colour only for text, as every command decides it (colors.ts). */
function useColor(format: LintFormat): boolean {
  return format === "text" && colorEnabled(process.stdout);
}

function listRules(format: LintFormat): string {
  if (format === "json") return JSON.stringify(lintRules, null, 2) + "\n";
  const w = Math.max(...lintRules.map((r) => r.id.length));
  const lines = lintRules.map((r) => `${r.id.padEnd(w)}  ${r.level.padEnd(7)}  ${r.kind.padEnd(8)}  ${r.description}  [${r.source}]`);
  return `${lines.join("\n")}\n${lintRules.length} rules\n`;
}

// ---- inputs ----

interface Inputs {
  files: string[];
  /** http(s) URLs, fetched as the carrier would. */
  urls: string[];
  stdin: boolean;
  problems: string[];
}

/** Files named by the user's arguments, deduplicated, in argument order (each directory/glob sorted). */
export async function resolveInputs(inputs: string[]): Promise<Inputs> {
  const files: string[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  const urls: string[] = [];
  let stdin = false;
  const add = (f: string) => {
    const key = resolve(f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const input of inputs) {
    if (input === "-") {
      stdin = true;
      continue;
    }
    if (isUrl(input)) {
      if (!urls.includes(input)) urls.push(input);
      continue;
    }
    const st = await stat(input).catch((e: NodeJS.ErrnoException) => e);
    if (!(st instanceof Error)) {
      if (st.isDirectory()) {
        const found = await fg(`**/*.{${EXTENSIONS.join(",")}}`, { cwd: input, onlyFiles: true, ignore: IGNORE, caseSensitiveMatch: false, suppressErrors: true });
        if (found.length === 0) problems.push(`no *.xml or *.bxml files in directory ${input}`);
        for (const f of found.sort()) add(join(input, f));
      } else add(input);
      continue;
    }
    if (fg.isDynamicPattern(input)) {
      const found = await fg(input.replace(/\\/g, "/"), { onlyFiles: true, ignore: IGNORE, suppressErrors: true });
      if (found.length === 0) problems.push(`no files match ${input}`);
      for (const f of found.sort()) add(f);
      continue;
    }
    problems.push(st.code === "ENOENT" ? `no such file or directory: ${input}` : `cannot read ${input}: ${st.code ?? st.message}`);
  }
  return { files, urls, stdin, problems };
}

async function lintFile(file: string, options: LintOptions): Promise<LintResult | { problem: string }> {
  try {
    const st = await stat(file);
    if (st.size > MAX_READ_BYTES) return { file, source: "", diagnostics: [tooLarge(file, st.size)] };
    const bytes = await readFile(file);
    return lintBytes(file, bytes, options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "EACCES" ? "permission denied" : err.code === "EISDIR" ? "is a directory" : (err.code ?? err.message);
    return { problem: `cannot read ${file}: ${why}` };
  }
}

function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/**
 * The document an app's URL serves, asked for as Bandwidth asks a CallInitiatedCallbackUrl: POST of
 * a sample `initiate` (JSON). Relative URLs in it resolve against the URL unless --base-url says
 * otherwise. A non-2xx status is said on stderr; the body is linted whatever it is (an HTML error
 * page reads "not BXML (root `<html>`)"). Unreachable: an I/O problem (exit 2).
 */
async function lintUrl(url: string, options: LintOptions): Promise<LintResult | { problem: string }> {
  const [{ initiatePayload }, { buildWebhookRequest }, { send, headerValue }, { redactUrl }, { DEFAULT_SETTINGS, callUrl }] = await Promise.all([
    import("../../emulator/protocol/webhooks.js"),
    import("../../emulator/webhooks/request.js"),
    import("../../emulator/webhooks/http.js"),
    import("../../emulator/webhooks/redact.js"),
    import("../../emulator/call/settings.js"),
  ]);
  const shown = redactUrl(url);
  const callId = "c-00000000-00000000-0000-4000-8000-000000000000";
  const now = new Date().toISOString();
  const payload = initiatePayload(
    {
      accountId: DEFAULT_SETTINGS.accountId,
      applicationId: DEFAULT_SETTINGS.applicationId,
      callId,
      callUrl: callUrl(DEFAULT_SETTINGS, callId),
      direction: "inbound",
      from: "+15557770100",
      to: "+15557770199",
      startTime: now,
    },
    now,
  );
  let req;
  try {
    req = buildWebhookRequest(url, "POST", payload);
  } catch {
    return { problem: `not a valid URL: ${shown}` };
  }
  const r = await send(req, { timeoutMs: DEFAULT_SETTINGS.callbackTimeoutMs, maxResponseBytes: MAX_URL_BYTES });
  if (r.kind === "connection-error" || r.kind === "timeout") return { problem: `cannot fetch ${shown}: ${r.error}` };
  if (r.status < 200 || r.status > 299) {
    process.stderr.write(`bwemu: POST ${escapeControls(shown)} answered ${r.status} (${escapeControls(headerValue(r.headers, "content-type") ?? "no Content-Type")}); the carrier would not accept this reply ${decided("bxml-webhooks")}; its body is linted below\n`);
  }
  if (r.kind === "too-large") return { file: shown, source: "", diagnostics: [tooLarge(shown, r.bytes)] };
  return lintBytes(shown, r.raw, { ...options, baseUrl: options.baseUrl ?? url });
}

/** A reply is read up to this much (the parser reports anything over BXML's 64 KB). */
const MAX_URL_BYTES = 16 * 1024 * 1024;

async function lintStdin(options: LintOptions): Promise<LintResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_READ_BYTES) chunks.push(chunk);
  }
  if (size > MAX_READ_BYTES) return { file: STDIN, source: "", diagnostics: [tooLarge(STDIN, size)] };
  return lintBytes(STDIN, Buffer.concat(chunks), options);
}

function lintBytes(file: string, bytes: Uint8Array, options: LintOptions): LintResult {
  const diagnostics = lintBxml(bytes, { ...options, file });
  // The text formatter shows source lines; decoding is lenient here (the parser already judged it).
  const source = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 1024 * 1024)).replace(/^\uFEFF/, "");
  return { file, diagnostics, source };
}

function tooLarge(file: string, size: number): Diagnostic {
  return {
    ruleId: "bxml/document-too-large",
    level: "error",
    message: `the document is ${size} bytes; Bandwidth accepts at most 64 KB (65536 bytes): split it, or move long prompts into audio files`,
    line: 1,
    col: 1,
    source: "https://dev.bandwidth.com/docs/voice/bxml", // §1.3, OPEN-2
    file,
  };
}

// ---- watch ----

async function watch(
  inputs: string[],
  initialFiles: string[],
  options: LintOptions,
  flags: LintFlags,
  failOn: "error" | "warning",
  color: boolean,
): Promise<number> {
  const { watch: chokidarWatch } = await import("chokidar");
  // chokidar 4 has no globs: watch each glob's static base directory and filter with picomatch.
  const roots = new Set<string>();
  const matchers: ((abs: string) => boolean)[] = [];
  for (const input of inputs) {
    const st = await stat(input).catch(() => undefined);
    if (st?.isDirectory()) {
      roots.add(resolve(input));
      const base = resolve(input);
      matchers.push((abs) => isInside(base, abs) && EXTENSIONS.some((x) => abs.toLowerCase().endsWith(`.${x}`)));
    } else if (st) {
      roots.add(resolve(input));
      const file = resolve(input);
      matchers.push((abs) => abs === file);
    } else if (fg.isDynamicPattern(input)) {
      const { base } = picomatch.scan(input.replace(/\\/g, "/"));
      roots.add(resolve(base || "."));
      const isMatch = picomatch(resolve(input).replace(/\\/g, "/"), { dot: false });
      matchers.push((abs) => isMatch(abs.replace(/\\/g, "/")));
    }
  }
  for (const f of initialFiles) roots.add(resolve(f));
  const watcher = chokidarWatch([...roots], {
    ignoreInitial: true,
    ignored: (p: string) => /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(p),
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 20 },
  });
  const display = (abs: string) => {
    const rel = relative(process.cwd(), abs);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
  };
  const pending = new Map<string, NodeJS.Timeout>();
  const relint = (abs: string) => {
    if (!matchers.some((m) => m(abs))) return;
    clearTimeout(pending.get(abs));
    pending.set(
      abs,
      setTimeout(() => {
        pending.delete(abs);
        void lintFile(display(abs), options).then((r) => {
          const stamp = new Date().toISOString().slice(11, 19);
          if ("problem" in r) {
            process.stderr.write(`bwemu: ${escapeControls(r.problem)}\n`);
            return;
          }
          if (flags.format === "text") process.stdout.write(`\n[${stamp}] re-linted ${r.file}\n`);
          process.stdout.write(escapeJsonControls(lintFormatters[flags.format]([r], { failOn, color, rules: lintRules, version: VERSION })));
        });
      }, 30),
    );
  };
  watcher.on("add", (p: string) => relint(resolve(p)));
  watcher.on("change", (p: string) => relint(resolve(p)));
  watcher.on("unlink", (p: string) => {
    if (matchers.some((m) => m(resolve(p)))) process.stderr.write(`bwemu: ${display(resolve(p))} removed\n`);
  });
  watcher.on("error", (e: unknown) => process.stderr.write(`bwemu: watch error: ${e instanceof Error ? e.message : String(e)}\n`));
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  process.stderr.write(`bwemu: watching ${roots.size} path${roots.size === 1 ? "" : "s"} for changes (Ctrl-C to stop)\n`);
  return new Promise<number>((done) => {
    const stop = () => {
      for (const t of pending.values()) clearTimeout(t);
      void watcher.close().then(() => done(EXIT.OK));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

function isInside(dir: string, abs: string): boolean {
  return abs === dir || abs.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
