// The caller's audio as data (emulator/call/types.ts CallerAudio): validation with located errors, and
// utterance-script files (JSON or YAML) whose WAV paths are relative to the script file. A script
// places utterances on the caller's timeline by the turn rules of openai-realtime.md §12.3.4.

import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { CallerAudio, CallerSamples, CallerUtterance } from "../call/types.js";
import { LocatedError } from "./located-error.js";

/** A caller-audio description that cannot be used; message is "<where>: <what is wrong>". */
export class CallerAudioError extends LocatedError {
  override readonly name = "CallerAudioError";
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonNegative = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

function checkUtterance(v: unknown, where: string, baseDir?: string): CallerUtterance {
  const fail = (reason: string): never => {
    throw new CallerAudioError(where, reason);
  };
  if (!isObj(v)) fail("must be an object with a `wav` path");
  const u = v as Record<string, unknown>;
  if (typeof u.wav !== "string" || u.wav.trim() === "") fail("`wav` must be a non-empty path to a WAV file");
  for (const k of Object.keys(u)) {
    if (!["wav", "silenceBeforeMs", "start", "description", "text", "prefix"].includes(k)) fail(`unknown field \`${k}\``);
  }
  const out: CallerUtterance = { wav: baseDir && !isAbsolute(u.wav as string) ? resolve(baseDir, u.wav as string) : (u.wav as string) };
  if (u.silenceBeforeMs !== undefined) {
    if (!nonNegative(u.silenceBeforeMs)) fail("`silenceBeforeMs` must be a number ≥ 0");
    out.silenceBeforeMs = u.silenceBeforeMs as number;
  }
  if (u.start !== undefined) {
    if (!isObj(u.start)) fail("`start` must be an object with a `kind`");
    const s = u.start as Record<string, unknown>;
    switch (s.kind) {
      case "after-silence":
        out.start = { kind: "after-silence" };
        break;
      case "after-reply":
        if (s.timeoutMs !== undefined && !(nonNegative(s.timeoutMs) && (s.timeoutMs as number) > 0)) {
          fail("`start.timeoutMs` must be a number > 0");
        }
        out.start = s.timeoutMs === undefined ? { kind: "after-reply" } : { kind: "after-reply", timeoutMs: s.timeoutMs as number };
        break;
      case "barge-in":
        if (!nonNegative(s.offsetMs)) fail("`start.offsetMs` must be a number ≥ 0 for a barge-in");
        out.start = { kind: "barge-in", offsetMs: s.offsetMs as number };
        break;
      default:
        fail(`\`start.kind\` must be one of after-silence, after-reply, barge-in (got ${JSON.stringify(s.kind)})`);
    }
  }
  if (u.prefix !== undefined) out.prefix = checkPrefix(u.prefix, where);
  return out;
}

/** An utterance's `prefix`: samples in memory (given by code, never by a script file). */
export function checkPrefix(v: unknown, where: string): CallerSamples {
  const p = v as Partial<CallerSamples> | null;
  if (!(p?.pcm instanceof Int16Array) || !Number.isInteger(p.sampleRate) || p.sampleRate! < 1000) {
    throw new CallerAudioError(where, "`prefix` must be {pcm: Int16Array, sampleRate} (mono samples, rate ≥ 1000 Hz)");
  }
  return p as CallerSamples;
}

/** Check a CallerAudio value (e.g. parsed from a file); relative WAV paths resolve against baseDir. */
export function validateCallerAudio(value: unknown, where = "caller audio", baseDir?: string): CallerAudio {
  if (!isObj(value)) throw new CallerAudioError(where, "must be {wav}, {script} or {silence: true}");
  if ("wav" in value) {
    const u = checkUtterance({ wav: value.wav }, where, baseDir);
    return { wav: u.wav };
  }
  if ("script" in value) {
    if (!Array.isArray(value.script)) throw new CallerAudioError(where, "`script` must be an array of utterances");
    const tail = value.tailSilenceMs;
    if (tail !== undefined && !nonNegative(tail)) throw new CallerAudioError(where, "`tailSilenceMs` must be a number ≥ 0");
    const script = value.script.map((u, i) => checkUtterance(u, `${where}: script[${i}]`, baseDir));
    return tail === undefined ? { script } : { script, tailSilenceMs: tail as number };
  }
  if (value.silence === true) return { silence: true };
  throw new CallerAudioError(where, "must be {wav}, {script} or {silence: true}");
}

/** Read an utterance script (JSON, or YAML for .yaml/.yml); WAV paths are relative to the file. */
export async function readCallerScriptFile(path: string): Promise<CallerAudio> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new CallerAudioError(path, `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new CallerAudioError(path, `not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${(e as Error).message}`);
  }
  return validateCallerAudio(value, path, dirname(resolve(path)));
}
