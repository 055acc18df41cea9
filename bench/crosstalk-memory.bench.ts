// What a cross-talk signature costs a load shard in memory: `bwemu load` opens every caller utterance
// with the call's signature. Each signature used to be a whole signed copy of the caller audio
// (decoded, μ-law bytes, every wire frame encoded: the carrier kept one per distinct caller audio);
// now it is an in-memory prefix (CallerUtterance.prefix), so the speech is resolved and encoded once
// per thread and a signature adds only its 340 ms clip. Both ways are built here on the same speech
// (the default 3-turn conversation, PCMU) and every frame is played through the caller feed, so every
// wire frame the carrier would keep is made. Heap + external bytes per signature, after GC.
//
//   npm run bench -- crosstalk-memory        BWEMU_BENCH_SIGNATURES=32

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { CallerFeed, callerPrefixes, loadCallerAudio, resolveUtterance, withPrefixes, type ResolvedUtterance } from "../emulator/media/caller-feed.js";
import { PCMU_8K } from "../emulator/media/format.js";
import { encodeMulaw } from "../emulator/media/mulaw.js";
import { signedCaller } from "../src/load/crosstalk.js";
import { conversation } from "../src/speech.js";
import type { BenchReport } from "./types.js";

const SIGNATURES = Number(process.env.BWEMU_BENCH_SIGNATURES) > 0 ? Number(process.env.BWEMU_BENCH_SIGNATURES) : 32;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function memory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Every frame of the utterances through a caller feed (gates open at once): their wire frames are made and kept. */
function playAll(utterances: ResolvedUtterance[]): Int16Array[] {
  const feed = new CallerFeed(utterances, PCMU_8K, { tailSilenceMs: 0 });
  const open = { queuedMs: 0, msSinceLastPlayAudio: 10_000, playAudioSinceLastUtterance: true };
  const played: Int16Array[] = [];
  for (let f = feed.next(open); ; f = feed.next(open)) {
    played.push(f.pcm);
    if (f.done) return played;
  }
}

/** A signature's utterances as a distinct caller audio (the way it was): the signed speech copied, resolved, its μ-law bytes kept. */
function copied(signed: ResolvedUtterance[]): ResolvedUtterance[] {
  return signed.map((u) => {
    const frames = playAll([{ ...u, silenceBeforeMs: 0, start: { kind: "after-silence" } }]);
    const pcm = new Int16Array(frames.length * 160);
    frames.forEach((f, i) => pcm.set(f, i * 160));
    return { ...resolveUtterance(pcm, PCMU_8K), encoded: encodeMulaw(pcm) };
  });
}

export default async function crosstalkMemoryBench(): Promise<BenchReport> {
  const base = conversation(3);
  const shared = await loadCallerAudio(base, PCMU_8K);
  playAll(shared);
  const signed = (k: number) => withPrefixes(shared, callerPrefixes(signedCaller(base, k)).prefixes, PCMU_8K);

  const kept: unknown[] = [];
  const m0 = memory();
  for (let k = 0; k < SIGNATURES; k++) {
    const u = copied(signed(k));
    playAll(u);
    kept.push(u);
  }
  const m1 = memory();
  kept.length = 0;
  const m2 = memory();
  for (let k = 0; k < SIGNATURES; k++) {
    const u = signed(k + SIGNATURES);
    playAll(u);
    kept.push(u);
  }
  const m3 = memory();
  const before = (m1 - m0) / SIGNATURES;
  const now = (m3 - m2) / SIGNATURES;
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  return {
    name: "cross-talk signatures: memory per signature on a load shard (a prefix clip vs a signed copy of the speech)",
    lines: [
      `${SIGNATURES} signatures each way, the 3-turn conversation (${(shared.reduce((n, u) => n + u.pcm.length, 0) / 8000).toFixed(1)} s of speech), PCMU, every frame played`,
      `a signed copy of the speech per signature: ${kb(before)}; a prefix clip per signature: ${kb(now)} (${(now / before).toFixed(3)}×)`,
      `at ${SIGNATURES} signatures in use: ${kb(before * SIGNATURES)} vs ${kb(now * SIGNATURES)} a thread`,
    ],
    metrics: { bytesPerSignatureBefore: before, bytesPerSignatureNow: now, ratio: now / before, signatures: kept.length },
    goal: { description: "a signature costs a shard ≤ 5 % of a copy of the speech", met: now <= 0.05 * before },
  };
}
