// The whole media path under load (emulator/stream): N concurrent calls, each a CallAudio on the
// shared real-time scheduler with one bidirectional `tracks="both"` stream, to a loopback app (in a
// worker thread, like a bridge in its own process) that echoes every inbound payload back as
// `playAudio` audio/pcmu. Per tick and call the carrier encodes and sends two `media` frames, and
// receives, validates, decodes, queues and plays one `playAudio`, recording everything on the
// call's timeline. Reports scheduler lateness, echoed audio and CPU for 1 and 100 calls.
//
//   npm run bench -- media-stream            30 s per scenario
//   BWEMU_BENCH_SECONDS=5 npm run bench -- media-stream
//   BWEMU_BENCH_CALLS=1,10,100 …             other scenarios

import { availableParallelism, loadavg } from "node:os";
import { realClock } from "../emulator/clock.js";
import { CallerFeed } from "../emulator/media/caller-feed.js";
import { createPacingScheduler } from "../emulator/media/scheduler.js";
import { CallAudio } from "../emulator/stream/call-audio.js";
import { openMediaStream, type MediaStream } from "../emulator/stream/media-stream.js";
import { Timeline } from "../emulator/timeline.js";
import type { BenchReport } from "./types.js";
import { withWsWorker } from "./ws-worker.js";

function seconds(): number {
  const arg = process.argv.find((a) => a.startsWith("--seconds="));
  const v = Number(arg ? arg.slice("--seconds=".length) : (process.env.BWEMU_BENCH_SECONDS ?? 30));
  return Number.isFinite(v) && v > 0 ? v : 30;
}

/** BWEMU_BENCH_CALLS=1,10,100 picks the scenarios (default 1 and 100). */
function scenarios(): number[] {
  const v = (process.env.BWEMU_BENCH_CALLS ?? "1,100").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return v.length ? v : [1, 100];
}

async function withEchoApp<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const echo = `ws.on("message", (data) => {
    const f = JSON.parse(String(data));
    if (f.eventType === "media" && f.track === "inbound")
      ws.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: f.payload } }));
  });`;
  return withWsWorker(echo, (port) => fn(`ws://127.0.0.1:${port}/stream?call=bench`));
}

async function run(url: string, calls: number, durationS: number) {
  const format = { encoding: "PCMU", sampleRate: 8000 } as const;
  const scheduler = createPacingScheduler({ mode: "realtime" });
  const audios: CallAudio[] = [];
  const streams: MediaStream[] = [];
  const timelines: Timeline[] = [];
  for (let i = 0; i < calls; i++) {
    const timeline = new Timeline(realClock);
    // A caller who never stops talking (a steady tone) keeps every frame non-trivial.
    const tone = new Int16Array(8000 * (durationS + 5)).map((_, k) => Math.round(6000 * Math.sin((2 * Math.PI * (300 + i) * k) / 8000)));
    const feed = new CallerFeed([{ pcm: tone, silenceBeforeMs: 0, start: { kind: "after-silence" }, firstSpeechFrame: 0, lastSpeechFrame: Math.floor(tone.length / 160) - 1 }], format);
    const audio = new CallAudio({ callId: `c-bench-${i}`, caller: feed, format, scheduler, timeline, clock: realClock });
    const r = await openMediaStream({
      callId: `c-bench-${i}`,
      accountId: "9900000",
      streamId: `s-bench-${i}`,
      name: `bench-${i}`,
      destination: url,
      mode: "bidirectional",
      tracks: "both",
      settings: { mediaFormat: format, eventTypeLast: true, sequenceScope: "track", cleanCloseCodes: [1000, 1001, 1005], streamConnectTimeoutMs: 10_000, pacing: "realtime" },
      audio,
      timeline,
      clock: realClock,
    });
    if (!r.ok) throw new Error(`call ${i}: ${r.errorMessage}`);
    audios.push(audio);
    streams.push(r.stream);
    timelines.push(timeline);
  }
  scheduler.resetLateness();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (const a of audios) a.start();
  await new Promise((r) => setTimeout(r, durationS * 1000));
  for (const a of audios) a.stop();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  const stats = scheduler.lateness();
  const ends = await Promise.all(streams.map((s) => s.stop()));
  scheduler.close();
  let played = 0;
  let frames = 0;
  let findings = 0;
  for (let i = 0; i < calls; i++) {
    played += streams[i].record().playedPcm.length;
    frames += audios[i].frames;
    findings += timelines[i].of("finding").length;
  }
  return {
    stats,
    frames,
    playedS: played / 8000,
    findings,
    cleanStops: ends.filter((e) => e.cause === "closed").length,
    cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  };
}

const ms = (us: number) => (us / 1000).toFixed(3);

export default async function mediaStreamBench(): Promise<BenchReport> {
  const durationS = seconds();
  const lines: string[] = [
    `${durationS} s per scenario; each call: CallAudio + bidirectional tracks="both" stream; the app echoes inbound audio as playAudio; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`,
  ];
  const metrics: Record<string, number> = {};
  let p99At100 = Infinity;
  await withEchoApp(async (url) => {
    for (const calls of scenarios()) {
      const o = await run(url, calls, durationS);
      lines.push(
        `${calls} call${calls > 1 ? "s" : ""}: lateness p50 ${ms(o.stats.p50Us)} ms, p99 ${ms(o.stats.p99Us)} ms, max ${ms(o.stats.maxUs)} ms over ${o.stats.count} ticks; ` +
          `${o.frames} frames, ${o.playedS.toFixed(1)} s of echoed audio played, ${o.findings} findings, ${o.cleanStops}/${calls} clean stops; process CPU ${o.cpuPct.toFixed(0)}%`,
      );
      const key = `calls_${calls}`;
      metrics[`${key}_p50_us`] = o.stats.p50Us;
      metrics[`${key}_p99_us`] = o.stats.p99Us;
      metrics[`${key}_max_us`] = o.stats.maxUs;
      metrics[`${key}_played_s`] = Math.round(o.playedS);
      metrics[`${key}_cpu_pct`] = Math.round(o.cpuPct);
      if (calls === 100) p99At100 = o.stats.p99Us;
    }
  });
  return {
    name: "media stream end to end (CallAudio + MediaStream)",
    lines,
    metrics,
    goal: { description: "p99 lateness < 2 ms with 100 concurrent full-stack calls", met: p99At100 < 2_000 },
  };
}
