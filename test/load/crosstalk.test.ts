// Cross-talk detection under load (src/load/crosstalk.ts, suites/signatures.ts): the signature set,
// signing and detection through the phone path, the signature book; then real runs on loopback: the
// reference bridge with the stub (echo: every call hears its own signature, none another's) and a
// bridge that swaps two calls' audio (each call fails `cross-talk`, naming the other).
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import type { CallerAudio, CallResult } from "../../emulator/call/types.js";
import { CallerFeed, callerPrefixes, loadCallerAudio, withPrefixes } from "../../emulator/media/caller-feed.js";
import { L16_16K, PCMU_8K } from "../../emulator/media/format.js";
import { DTMF_FREQUENCIES } from "../../emulator/media/synth.js";
import { decodeMulaw, encodeMulaw } from "../../emulator/media/mulaw.js";
import { resample } from "../../emulator/media/resample.js";
import { speechEndSample } from "../../emulator/media/speech-level.js";
import { readWavFile } from "../../emulator/media/wav.js";
import type { MediaFormat } from "../../emulator/protocol/media-stream.js";
import { conversation, turnSpeech } from "../../src/speech.js";
import { CrossTalkListener, SIGNATURE_COUNT, SIGNATURES, SignatureBook, signatureClip, signedCaller } from "../../src/load/crosstalk.js";
import { renderLoadHtml } from "../../reports/html/load.js";
import { classify } from "../../src/load/call.js";
import { runLoad } from "../../src/load/run.js";
import { startLoadTarget } from "../../src/load/target.js";
import type { CallOutcome, LoadOptions } from "../../src/load/types.js";
import { detectSignatures } from "../../suites/signatures.js";
import { startCrossedApp } from "./crossed-app.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The path a reply takes through the reference bridge and back: μ-law, up to 24 kHz for the model, down, μ-law. */
const phonePath = (pcm: Int16Array): Int16Array => decodeMulaw(encodeMulaw(resample(resample(decodeMulaw(encodeMulaw(pcm)), 8000, 24000), 24000, 8000)));

/** What the carrier sends for `caller` (8 kHz): every frame its caller feed plays, each turn's gate open at once. */
async function played(caller: CallerAudio, format: MediaFormat = PCMU_8K): Promise<Int16Array> {
  const feed = new CallerFeed(await loadCallerAudio(caller, format), format, { tailSilenceMs: 0 });
  const open = { queuedMs: 0, msSinceLastPlayAudio: 10_000, playAudioSinceLastUtterance: true };
  const frames: Int16Array[] = [];
  for (let done = false; !done; ) {
    const f = feed.next(open);
    frames.push(f.pcm);
    done = f.done;
  }
  const pcm = Int16Array.from(frames.flatMap((f) => [...f]));
  return format.sampleRate === 8000 ? pcm : resample(pcm, format.sampleRate, 8000);
}

/** The first speech fixture as a load call with signature `k` says it. */
const signedSpeech = (k: number): Promise<Int16Array> => played(signedCaller({ wav: turnSpeech()[0] }, k));

describe("signatures", () => {
  it("136 distinct tone pairs inside the phone band, off every DTMF row and column", () => {
    expect(SIGNATURE_COUNT).toBe(136);
    expect(new Set(SIGNATURES.map((s) => s.join("+"))).size).toBe(SIGNATURE_COUNT);
    const dtmf = [...new Set(Object.values(DTMF_FREQUENCIES).flat())];
    for (const f of new Set(SIGNATURES.flat())) {
      expect(f).toBeGreaterThanOrEqual(300);
      expect(f).toBeLessThan(3400);
      for (const d of dtmf) expect(Math.abs(f - d), `${f} Hz vs DTMF ${d} Hz`).toBeGreaterThanOrEqual(45);
    }
  });

  it("each signed utterance, as the caller feed plays it, is heard as its own signature through μ-law and resampling; unsigned speech as none", async () => {
    for (const wav of turnSpeech()) {
      expect(detectSignatures(phonePath(await played({ wav })), 8000, SIGNATURES)).toEqual([]);
      for (const k of [0, 1, 16, 17, 67, 135]) {
        const hits = detectSignatures(phonePath(await played(signedCaller({ wav }, k))), 8000, SIGNATURES);
        expect(hits.map((h) => h.signature), `signature ${k}`).toEqual([k]);
        expect(hits[0].blocks).toBeGreaterThanOrEqual(4);
      }
    }
    // On an L16 16 kHz stream the clip is resampled once, and heard the same.
    const hits = detectSignatures(await played(signedCaller({ wav: turnSpeech()[1] }, 42), L16_16K), 8000, SIGNATURES);
    expect(hits.map((h) => h.signature)).toEqual([42]);
  });

  it("the signature opens the utterance 40–60 ms before the speech (the stub's VAD keeps both in one turn); the speech follows unchanged", async () => {
    const pcm = (await readWavFile(turnSpeech()[0])).pcm;
    const signed = await signedSpeech(5);
    // The clip (300 ms tone + 40 ms) is 17 whole frames, spliced in at the start of the frame where the speech begins.
    expect(signed.length).toBe(Math.ceil(pcm.length / 160) * 160 + 2720);
    let start = 0;
    while (Math.abs(pcm[start]) <= 184) start++;
    const at = Math.floor(start / 160) * 160;
    expect(signed.subarray(0, at)).toEqual(pcm.subarray(0, at));
    expect(signed.subarray(at + 2720, at + 2720 + pcm.length - at)).toEqual(pcm.subarray(at));
    const [hit] = detectSignatures(signed, 8000, SIGNATURES);
    expect(Math.abs(hit.atSample - at)).toBeLessThanOrEqual(400);
    const gap = start + 2720 - speechEndSample(signed.subarray(0, at + 2720));
    expect(gap).toBeGreaterThanOrEqual(320);
    expect(gap).toBeLessThan(480);
  });

  it("two calls' audio mixed: both signatures are heard", async () => {
    const a = phonePath(await signedSpeech(3));
    const b = phonePath(await signedSpeech(90));
    const mixed = Int16Array.from(a, (v, i) => Math.max(-32768, Math.min(32767, v + b[i])));
    expect(detectSignatures(mixed, 8000, SIGNATURES).map((h) => h.signature)).toEqual(expect.arrayContaining([3, 90]));
  });

  it("the judge, fed tick by tick: a call's own signature, another's heard with it (not the ghost pairs of the mix) and when", async () => {
    const own = phonePath(await signedSpeech(3));
    const other = phonePath(await signedSpeech(90));
    const mixed = Int16Array.from(own, (v, i) => Math.max(-32768, Math.min(32767, v + other[i])));
    const gap = new Int16Array(6 * 8000);
    const heard = Int16Array.from([...own, ...gap, ...mixed]);
    // The first tick is 1 s into the call (the carrier's clock reads 2 s; the call started at 1 s).
    const listener = new CrossTalkListener(3, () => 2_000_000);
    for (let n = 0; n * 160 < heard.length; n++) listener.onFrame({ n, outboundPcm8k: heard.subarray(n * 160, (n + 1) * 160) });
    const found = listener.finding(1_000_000);
    expect(found).toMatchObject({ own: 3, ownHeard: true, foreign: [{ signature: 90 }] });
    const toneAt = (detectSignatures(own, 8000, SIGNATURES)[0].atSample / 8000) * 1000;
    const expected = 1000 + ((own.length + gap.length) / 8000) * 1000 + toneAt;
    expect(Math.abs(found.foreign[0].atMs - expected)).toBeLessThanOrEqual(60);
    // Silence only: nothing heard, nothing foreign.
    const quiet = new CrossTalkListener(3, () => 0);
    for (let n = 0; n < 100; n++) quiet.onFrame({ n, outboundPcm8k: new Int16Array(160) });
    expect(quiet.finding(0)).toEqual({ own: 3, ownHeard: false, foreign: [] });
  });

  it("the book: calls up at once hold distinct signatures; a freed one is reused; a past holder is found by time", () => {
    const book = new SignatureBook();
    const held = Array.from({ length: SIGNATURE_COUNT }, (_, i) => book.acquire(i, 1000 + i));
    expect(new Set(held).size).toBe(SIGNATURE_COUNT);
    expect(book.shared).toBe(0);
    book.release(7, 5000, "c-7");
    expect(book.acquire(200, 6000)).toBe(held[7]);
    expect(book.holderAt(held[7], 4000)).toEqual(expect.objectContaining({ index: 7, callId: "c-7" }));
    expect(book.holderAt(held[7], 7000)).toEqual(expect.objectContaining({ index: 200 }));
    // Every signature taken: the next call shares one, and says so.
    expect(held).toContain(book.acquire(201, 8000));
    expect(book.shared).toBe(1);
    // The whole set, when a run is given it.
    const all = new SignatureBook(SIGNATURE_COUNT);
    expect(new Set(Array.from({ length: SIGNATURE_COUNT }, (_, i) => all.acquire(i, 0))).size).toBe(SIGNATURE_COUNT);
    expect(all.shared).toBe(0);
    // A book starting elsewhere in the set (another Artillery worker's) hands out its own stretch, wrapping round.
    const other = new SignatureBook(3, SIGNATURE_COUNT - 1);
    expect([0, 1, 2].map((i) => other.acquire(i, 0))).toEqual([SIGNATURE_COUNT - 1, 0, 1]);
    expect(other.holderAt(0, 10)).toEqual(expect.objectContaining({ index: 1 }));
  });

  it("signed caller audio: the speech is resolved once and shared by every signature; a signature adds only its clip, every utterance opens with it", async () => {
    const base = conversation(2);
    const shared = await loadCallerAudio(base, PCMU_8K);
    const signed = (k: number) => withPrefixes(shared, callerPrefixes(signedCaller(base, k)).prefixes, PCMU_8K);
    const [a, b] = [signed(4), signed(9)];
    expect(callerPrefixes(signedCaller(base, 4)).shared).toEqual(base);
    expect(signatureClip(4)).toBe(signatureClip(4));
    for (const [i, u] of shared.entries()) {
      // The same samples and the same μ-law bytes (so the same wire frames): no copy per signature.
      expect(a[i].pcm).toBe(u.pcm);
      expect(a[i].encoded).toBe(u.encoded);
      expect(b[i].pcm).toBe(u.pcm);
      expect(a[i].insert!.pcm).toHaveLength(2720);
      expect(b[i].insert!.pcm).not.toBe(a[i].insert!.pcm);
      // Speech starts on the clip and ends where it did, 340 ms later.
      expect(a[i].firstSpeechFrame).toBe(a[i].insert!.atFrame);
      expect(a[i].lastSpeechFrame).toBe(u.lastSpeechFrame + 17);
      expect(a[i].speechEndSample).toBe(u.speechEndSample! + 2720);
    }
    const hits = detectSignatures(await played(signedCaller(base, 4)), 8000, SIGNATURES);
    expect(hits.map((h) => h.signature)).toEqual([4, 4]);
  });
});

describe("a load call's failure reason", () => {
  const closedWith = (code: number) =>
    ({ callId: "c-1", documents: [{ url: "u", text: "<Response/>" }], streams: [{ closedBy: "app", closeCode: code }], disconnectCause: "hangup", timeline: { events: [] } }) as unknown as CallResult;
  const spec = (settings: LoadOptions["settings"]) => ({ index: 0, conversation: false, settings });

  it("a stream closed by the app is a reset unless its code is one of the carrier settings' clean close codes", () => {
    expect(classify(spec({}), closedWith(1000), undefined, undefined, false)).toBeUndefined();
    expect(classify(spec({}), closedWith(4000), undefined, undefined, false)).toMatchObject({ reason: "stream-reset" });
    expect(classify(spec({ cleanCloseCodes: [1000, 4000] }), closedWith(4000), undefined, undefined, false)).toBeUndefined();
    expect(classify(spec({ cleanCloseCodes: [4000] }), closedWith(1000), undefined, undefined, false)).toMatchObject({ reason: "stream-reset" });
  });

  it("cross-talk comes before every other reason the call also had, naming the call and when", () => {
    const found = { own: 0, ownHeard: true, foreign: [{ signature: 18, atMs: 4200 }] };
    expect(classify(spec({}), closedWith(4000), undefined, undefined, false, found)).toEqual({
      reason: "cross-talk",
      detail: `call #0 (c-1, signature ${SIGNATURES[0].join("+")} Hz) heard an unknown call's signature ${SIGNATURES[18].join("+")} Hz at 4.2 s into the call`,
    });
  });
});

function options(o: Partial<LoadOptions> & { appUrl: string }): LoadOptions {
  return { calls: 2, caller: conversation(1), maxCallMs: 30_000, conversation: true, hangupAfterCallerMs: 1500, settings: { pacing: "realtime" }, workers: 0, windowMs: 500, ...o };
}

describe("bwemu load cross-talk on loopback", () => {
  // Real calls in real time: the timeouts are limits for a busy box, not timed assertions.
  it("the reference bridge with the stub: every call hears its own signature back and none another's", { timeout: 180_000 }, async () => {
    const target = await startLoadTarget({ bridge: { kind: "reference" }, stubPort: 0, echo: true });
    cleanup.push(() => target.close());
    const seen: CallOutcome[] = [];
    const r = await runLoad(options({ appUrl: target.appUrl, calls: 3, ratePerS: 20, workers: 2, crossTalk: "echo" }), { stubTurns: target.stubTurns, outcome: (o) => seen.push(o) });
    expect(r.examples).toEqual([]);
    expect(r.totals.failed["cross-talk"]).toBe(0);
    expect(r.crossTalk).toMatchObject({ mode: "echo", judged: 3, ownHeard: 3, crossed: 0, shared: 0, evidence: [] });
    // Calls up together held different signatures.
    expect(new Set(seen.map((o) => o.crossTalk!.own)).size).toBe(3);
    expect(r.crossTalk.note).toMatch(/3 heard their own back/);
  });

  it("a bridge that swaps two calls' audio: each call fails `cross-talk`, naming the other call and when", { timeout: 120_000 }, async () => {
    const app = await startCrossedApp();
    cleanup.push(() => app.close());
    const seen: CallOutcome[] = [];
    const r = await runLoad(options({ appUrl: app.url, calls: 2, ratePerS: 20, crossTalk: "caller-only" }), { outcome: (o) => seen.push(o) });
    expect(r.totals.failed["cross-talk"]).toBe(2);
    expect(r.verdict.exitCode).toBe(1);
    const [a, b] = [0, 1].map((i) => seen.find((o) => o.index === i)!);
    expect(a.crossTalk!.foreign.map((f) => f.signature)).toEqual([b.crossTalk!.own]);
    expect(b.crossTalk!.foreign.map((f) => f.signature)).toEqual([a.crossTalk!.own]);
    // The evidence names both calls (by index, and by call id once both are in) and the time heard.
    expect(r.crossTalk).toMatchObject({ mode: "caller-only", crossed: 2 });
    const ev = r.crossTalk.evidence.find((e) => e.index === 0)!;
    expect(ev).toMatchObject({ callId: a.callId, heardIndex: 1, heardCallId: b.callId });
    expect(ev.atMs).toBeGreaterThan(0);
    expect(ev.atMs).toBeLessThan(a.endedUs / 1000 - a.startedUs / 1000);
    const detailOf = (callId: string) => r.examples.find((e) => e.reason === "cross-talk" && e.callId === callId)!.detail;
    expect(detailOf(b.callId)).toMatch(new RegExp(`^call #1 \\(${b.callId}, signature \\d+\\+\\d+ Hz\\) heard call #0 \\(${a.callId}\\)'s signature \\d+\\+\\d+ Hz at \\d+\\.\\d s into the call$`));
    expect(detailOf(a.callId)).toMatch(new RegExp(`^call #0 \\(${a.callId}, signature \\d+\\+\\d+ Hz\\) heard call #1 \\(${b.callId}\\)'s signature`));
    expect(r.crossTalk.note).toMatch(/a reply delivered to the wrong call carries no signature and is NOT checked/);
    // The HTML report counts the reason, shows the evidence and says what was not checked.
    const page = renderLoadHtml({ ...r, appUrl: app.url });
    expect(page).toMatch(/<td>cross-talk<\/td><td class="n">2<\/td>/);
    expect(page).toContain(`heard call #0 (${a.callId})`);
    expect(page).toContain(`heard call #1 (${b.callId})`);
    expect(page).toContain("a reply delivered to the wrong call carries no signature and is NOT checked");
  });
});

describe("artillery-engine-bwemu counts cross-talk by reason", () => {
  it("two virtual users on a bridge that swaps their audio: bwemu.failed.cross-talk 2, errors bwemu.cross-talk", { timeout: 120_000 }, async () => {
    const app = await startCrossedApp();
    cleanup.push(() => app.close());
    // The engine as Artillery drives it (one per worker): the same object, events into a recording emitter.
    const Engine = createRequire(import.meta.url)("../../packages/artillery-engine-bwemu/index.js") as new (script: unknown, ee: unknown, helpers: unknown) => {
      createScenario(spec: unknown, ee: unknown): (context: object, done: (e: Error | null) => void) => void;
      start(): Promise<{ close(): Promise<void> }>;
    };
    const counters = new Map<string, number>();
    const errors: string[] = [];
    const ee = new EventEmitter();
    ee.on("counter", (name: string, v: number) => counters.set(name, (counters.get(name) ?? 0) + v));
    ee.on("error", (code: string) => errors.push(code));
    const engine = new Engine({ config: { target: app.url, engines: { bwemu: { hangupAfter: "1500ms" } } } }, ee, {});
    cleanup.push(async () => (await engine.start()).close());
    const scenario = engine.createScenario({ engine: "bwemu", bwemu: { turns: 1 } }, ee);
    const results = await Promise.all([0, 1].map(() => new Promise<Error | null>((resolve) => scenario({}, (e) => resolve(e)))));
    expect(results.map((e) => e?.message)).toEqual([expect.stringMatching(/^cross-talk: call #\d .* heard call #\d/), expect.stringMatching(/^cross-talk: /)]);
    expect(counters.get("bwemu.failed.cross-talk")).toBe(2);
    expect(counters.get("bwemu.calls.failed")).toBe(2);
    expect(errors).toEqual(["bwemu.cross-talk", "bwemu.cross-talk"]);
  });
});
