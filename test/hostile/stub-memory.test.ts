// A long-running stub's memory is bounded: records of closed sessions beyond the retention caps are
// released. Measured as the stub process's peak RSS (a child process; the client is this process).
// Scaled to a tenth of the reported case (24 sessions × 66 MiB appended): 24 × 6.6 MiB with caps of a
// tenth of the defaults; the full-size figure is in the README (`bwemu stub`).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { repo } from "./support/secrets-run.js";

const MiB = 1024 * 1024;
const SESSIONS = 24;
const PER_SESSION = Math.round(6.6 * MiB);
const APPEND = 512 * 1024;
const CAPS = { sessions: 32, bytes: 25.6 * MiB };

interface Stats { rssMiB: number; peakRssMiB: number; sessions: number; retained: number; retainedClosed: number }

let child: ChildProcessWithoutNullStreams;
let url = "";
let nextLine: () => Promise<string>;

beforeAll(async () => {
  const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;
  child = spawn(process.execPath, ["--import", tsx, join(repo, "test/hostile/support/secrets-stub-process.ts"), JSON.stringify(CAPS)]);
  child.stderr.on("data", (d: Buffer) => process.stderr.write(d));
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout }).on("line", (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  nextLine = () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r)));
  url = JSON.parse(await nextLine()).url;
}, 60_000);
afterAll(() => child?.stdin.end());

async function stats(): Promise<Stats> {
  child.stdin.write("stats\n");
  return JSON.parse(await nextLine());
}

/** One session: session.update (µ-law), `bytes` of appends, then close; resolves once closed. */
async function session(bytes: number): Promise<number> {
  const ws = new WebSocket(`${url}?model=gpt-realtime`);
  await new Promise((r, j) => (ws.once("open", r), ws.once("error", j)));
  ws.send(JSON.stringify({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: null } } } }));
  const chunk = Buffer.alloc(APPEND, 0xff).toString("base64");
  for (let sent = 0; sent < bytes; sent += APPEND) {
    ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: chunk }));
    while (ws.bufferedAmount > 4 * MiB) await new Promise((r) => setTimeout(r, 5));
  }
  let errors = 0;
  ws.on("message", (d) => (errors += String(d).includes('"type":"error"') ? 1 : 0));
  // A round trip (an unknown item retrieve answers an error) proves every append was processed.
  ws.send(JSON.stringify({ type: "conversation.item.retrieve", item_id: "item_none" }));
  await new Promise<void>((r) => {
    const t = setInterval(() => errors && (clearInterval(t), r()), 10);
  });
  ws.close();
  await new Promise((r) => ws.once("close", r));
  return errors;
}

describe("bwemu stub memory", () => {
  it(`stays bounded after ${SESSIONS} sessions of ${(PER_SESSION / MiB).toFixed(1)} MiB each`, { timeout: 300_000 }, async () => {
    const before = await stats();
    const WARM = 8;
    for (let i = 0; i < WARM; i++) await session(PER_SESSION);
    const warm = await stats();
    for (let i = WARM; i < SESSIONS; i++) await session(PER_SESSION);
    await session(APPEND); // its open and close prune what the last big session left
    const after = await stats();
    const grown = after.peakRssMiB - before.rssMiB;
    const late = after.peakRssMiB - warm.peakRssMiB;
    const appended = (SESSIONS * PER_SESSION) / MiB;
    const perSession = PER_SESSION / MiB;
    console.log(
      `stub peak RSS ${after.peakRssMiB.toFixed(0)} MiB (start ${before.rssMiB.toFixed(0)} MiB, +${grown.toFixed(0)} MiB for ${appended.toFixed(0)} MiB appended; ` +
        `+${late.toFixed(0)} MiB over the last ${SESSIONS - WARM} sessions); retained ${after.retainedClosed} closed of ${after.sessions}`,
    );
    expect(after.sessions).toBe(SESSIONS + 1);
    // Retained closed records fit the byte cap: 25.6 MiB / 6.6 MiB → 3 of them (plus the small last one).
    expect(after.retainedClosed).toBeLessThanOrEqual(Math.floor(CAPS.bytes / PER_SESSION) + 1);
    // Once the caps are reached, more sessions cost nothing more: the peak grows by less than six
    // sessions' audio over the last 16 (kept forever, they would add about 16 × 1.5 × 6.6 MiB; the
    // peak's own noise, from when the collector runs, reached 3 sessions' worth on a busy runner).
    expect(late).toBeLessThan(6 * perSession);
    // Overall: the retained bytes, one live session, transient frames and GC slack.
    expect(grown).toBeLessThan(CAPS.bytes / MiB + 8 * perSession + 40);
  });
});
