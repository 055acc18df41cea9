// Writes the selected reports of a run into one folder (one CI artifact). The only I/O in
// reports/: audio clips given by `path` are inlined first (paths resolve against `baseDir`,
// default: the current directory), then each renderer's text is written atomically.

import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, unlink } from "node:fs/promises";
import { once } from "node:events";
import { isAbsolute, join, resolve } from "node:path";
import { renderHtml, type HtmlOptions } from "./html/render.js";
import { renderJsonChunks, renderJsonIndex } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown, type MarkdownOptions } from "./markdown.js";
import type { AudioClip, ReporterName, RunResult } from "./model.js";
import { REPORTERS } from "./model.js";
import { renderSarif } from "./sarif.js";
import { emitGithub } from "./github.js";
import { assertRunResult } from "./validate.js";

export interface WriteOptions {
  outDir: string;
  reporters: ReporterName[];
  /** Where relative audio `path`s resolve (default: process.cwd()). */
  baseDir?: string;
  html?: HtmlOptions;
  markdown?: MarkdownOptions;
  /** Largest audio file inlined into the HTML (default 64 MiB); bigger ones stay as paths. */
  maxAudioBytes?: number;
}

export interface WrittenReport {
  /** "blob": a shard's blob result (src/run/blob.ts), written beside the reports. */
  reporter: ReporterName | "json-index" | "blob";
  path: string;
}

/** One reporter: the file it writes inside `outDir` and how it renders the run (text, or chunks streamed to the file). */
interface Reporter {
  file: string;
  render(run: RunResult, opts: WriteOptions): string | Iterable<string> | Promise<string>;
}

/** Every reporter, keyed by its name (REPORTERS in model.ts): a name without a row does not compile. */
const REPORTER_TABLE: Readonly<Record<ReporterName, Reporter>> = {
  html: { file: "report.html", render: async (run, o) => renderHtml(await inlineAudio(run, o.baseDir ?? process.cwd(), o.maxAudioBytes), o.html) },
  json: { file: "results.json", render: (run) => renderJsonChunks(run) },
  junit: { file: "junit.xml", render: (run) => renderJunit(run) },
  sarif: { file: "results.sarif", render: (run) => renderSarif(run) },
  markdown: { file: "summary.md", render: (run, o) => renderMarkdown(run, o.markdown) },
  github: { file: "github-annotations.txt", render: (run, o) => emitGithub(run, { markdown: o.markdown }) },
};

/** File names inside `outDir`, one per reporter (json also writes `index.json`). */
export const REPORT_FILES = Object.fromEntries(REPORTERS.map((r) => [r, REPORTER_TABLE[r].file])) as Readonly<Record<ReporterName, string>>;

async function inline(clip: AudioClip | undefined, baseDir: string, maxBytes: number, warnings: string[]): Promise<AudioClip | undefined> {
  if (!clip || clip.wavBase64 || !clip.path) return clip;
  const file = isAbsolute(clip.path) ? clip.path : resolve(baseDir, clip.path);
  try {
    const buf = await readFile(file);
    if (buf.length > maxBytes) {
      warnings.push(`audio ${clip.path} not embedded: ${buf.length} bytes is over the ${maxBytes}-byte limit`);
      return clip;
    }
    return { ...clip, wavBase64: buf.toString("base64") };
  } catch (e) {
    warnings.push(`audio ${clip.path} not embedded: ${(e as Error).message}`);
    return clip;
  }
}

/** A copy of the run with every audio `path` inlined as `wavBase64` (the JSON keeps the paths). */
export async function inlineAudio(run: RunResult, baseDir: string, maxBytes = 64 * 1024 * 1024): Promise<RunResult> {
  const warnings: string[] = [];
  const calls = await Promise.all(
    run.calls.map(async (c) => ({
      ...c,
      audio: {
        ...(c.audio.caller ? { caller: await inline(c.audio.caller, baseDir, maxBytes, warnings) } : {}),
        ...(c.audio.heard ? { heard: await inline(c.audio.heard, baseDir, maxBytes, warnings) } : {}),
        ...(c.audio.returned ? { returned: await inline(c.audio.returned, baseDir, maxBytes, warnings) } : {}),
      },
    })),
  );
  return { ...run, calls, harness: { ...run.harness, warnings: [...run.harness.warnings, ...warnings] } };
}

/** Pieces are written in batches of about this many characters. */
const BATCH_CHARS = 256 * 1024;

/**
 * Write `chunks` to `path` through a stream, waiting on back-pressure, into a temp file renamed at
 * the end: no file is ever held as one string, and a reader never sees half a file.
 */
export async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  const failed = once(out, "error").then(([e]) => Promise.reject(e as Error));
  failed.catch(() => undefined);
  try {
    let batch: string[] = [];
    let size = 0;
    const flush = async () => {
      if (!batch.length) return;
      const ok = out.write(batch.join(""));
      batch = [];
      size = 0;
      if (!ok) await Promise.race([once(out, "drain"), failed]);
    };
    for (const c of chunks) {
      batch.push(c);
      size += c.length;
      if (size >= BATCH_CHARS) await flush();
    }
    await flush();
    out.end();
    await Promise.race([once(out, "finish"), failed]);
    await rename(tmp, path);
  } catch (e) {
    out.destroy();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

async function atomicWrite(path: string, text: string): Promise<void> {
  await writeChunks(path, [text]);
}

/**
 * Validate the run, render each reporter and write it under `outDir` (created if needed).
 * Throws `RunResultError` (a harness bug: exit 3) when the run does not match the schema.
 */
export async function writeReports(run: RunResult, opts: WriteOptions): Promise<WrittenReport[]> {
  assertRunResult(run);
  const unknown = opts.reporters.filter((r) => !(REPORTERS as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`unknown reporter(s): ${unknown.join(", ")} (known: ${REPORTERS.join(", ")})`);
  await mkdir(opts.outDir, { recursive: true });
  const written: WrittenReport[] = [];
  const unique = [...new Set(opts.reporters)];
  for (const r of unique) {
    const path = join(opts.outDir, REPORTER_TABLE[r].file);
    const out = await REPORTER_TABLE[r].render(run, opts);
    await writeChunks(path, typeof out === "string" ? [out] : out);
    written.push({ reporter: r, path });
    if (r === "json") {
      const ip = join(opts.outDir, "index.json");
      await atomicWrite(ip, renderJsonIndex(run));
      written.push({ reporter: "json-index", path: ip });
    }
  }
  return written;
}
