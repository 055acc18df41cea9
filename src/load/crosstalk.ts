// Cross-talk under load: every call's caller utterances open with the call's own signature (a tone
// pair, 300 ms, ending 40–60 ms before the speech so the stub's VAD keeps both in one turn), the Realtime stub's
// echo reply carries back what it heard, and each call's judge listens for signatures in what
// its caller hears (the downlink, tick by tick, no recording needed). Another call's signature there is a `cross-talk` failure
// naming both calls and when it was heard. The run hands out signatures so calls up at the same time
// never share one while no more than SIGNATURE_COUNT are up; detection is suites/signatures.ts (the
// same detector as the concurrency conformance case). A signature is an in-memory prefix of each
// utterance (CallerUtterance.prefix): a thread resolves and encodes the speech once for every call,
// and only the 340 ms clip is a signature's own.

import type { CallerAudio, CallerSamples } from "../../emulator/call/types.js";
import { SignatureDetector, type Signature, type SignatureHit } from "../../suites/signatures.js";

/** Low tones: 300–1160 Hz, ≥ 70 Hz apart, ≥ 49 Hz off the DTMF rows (697, 770, 852, 941). */
const LOW = [320, 400, 480, 560, 630, 1010, 1090, 1160];
/** High tones: 1700–3300 Hz every 100 Hz, above the DTMF columns (≤ 1633) and inside the 3.4 kHz phone band. */
const HIGH = Array.from({ length: 17 }, (_, i) => 1700 + 100 * i);

/** Every load signature: one low and one high tone (25 Goertzel bins tell 136 calls apart). */
export const SIGNATURES: readonly Signature[] = LOW.flatMap((l) => HIGH.map((h) => [l, h]));
/**
 * Every signature is handed out: beyond this many calls up at once, calls share signatures and the
 * results count them. A signature in use costs a shard only its clip (~32 KB decoded and encoded,
 * bench/crosstalk-memory.bench.ts), not a copy of the speech.
 */
export const SIGNATURE_COUNT = SIGNATURES.length;

const TONE_MS = 300;
/** Silence after the tone (the clip is spliced in at a frame start, so the speech follows 40–60 ms after it): short enough that the stub's VAD keeps both in one turn. */
const GAP_MS = 40;
/** The clip's rate (the bundled speech's); the carrier converts it to the stream's. */
const CLIP_RATE = 8000;
const AMP = 0.15;
const RAMP_MS = 10;

export const signatureLabel = (k: number): string => `${SIGNATURES[k].join("+")} Hz`;

/**
 * How a run checks cross-talk. `echo`: the stub echoes each caller, so a call must hear only its own
 * signature; `caller-only`: replies come from an upstream that does not echo (a real model, an opaque
 * bot), so only caller audio that reaches another call can be caught, not a reply sent to the wrong call.
 */
export type CrossTalkMode = "echo" | "caller-only";

/** What a call's judge found (carried in the CallOutcome). */
export interface CrossTalkFinding {
  /** The call's own signature. */
  own: number;
  /** Its own signature came back in what its caller heard. */
  ownHeard: boolean;
  /** Other signatures its caller heard, and when (ms after the call started). */
  foreign: { signature: number; atMs: number }[];
}

/** The detector's 50 ms block at the 8 kHz the caller hears. */
const BLOCK_8K = 400;
/** 8 kHz samples per 20 ms tick. */
const TICK_8K = 160;

/**
 * A call's judge, fed live: every tick's audio as the caller heard it (8 kHz, every stream mixed:
 * `PlaceCallOptions.onAudioFrame`), so it needs no recording and keeps only the detector's state.
 * Detection costs one energy pass per silent 50 ms block and a few Goertzel bins per loud one.
 */
export class CrossTalkListener {
  private readonly d = new SignatureDetector(8000, SIGNATURES);
  /** Tick index and carrier time (µs) of the first tick heard. */
  private first?: { n: number; us: number };

  constructor(
    readonly own: number,
    private readonly nowUs: () => number,
  ) {}

  /** One tick's audio (the arrays are the carrier's, valid during the call only: the detector copies). */
  readonly onFrame = (f: { readonly n: number; readonly outboundPcm8k: Int16Array }): void => {
    this.first ??= { n: f.n, us: this.nowUs() };
    this.d.push(f.outboundPcm8k);
  };

  /** What the caller heard: its own signature back, and any other's with when (ms after `startedUs`). */
  finding(startedUs: number): CrossTalkFinding {
    const own = this.own;
    const hits = this.d.runs();
    const mine = hits.filter((h) => h.signature === own);
    const foreign = new Map<number, number>();
    for (const h of hits) {
      if (h.signature === own || mixedWithOwn(h, mine, own)) continue;
      // Ticks are 20 ms apart on the carrier's clock: a sample's time follows from the first tick's.
      const atUs = this.first ? this.first.us + (h.atSample / TICK_8K) * 20_000 : startedUs;
      const atMs = Math.max(0, Math.round((atUs - startedUs) / 1000));
      if (!foreign.has(h.signature) || atMs < foreign.get(h.signature)!) foreign.set(h.signature, atMs);
    }
    return { own, ownHeard: mine.length > 0, foreign: [...foreign].map(([signature, atMs]) => ({ signature, atMs })).sort((x, y) => x.atMs - y.atMs) };
  }
}

/**
 * Two pairs sounding at once (own L1+H1 with another's L2+H2) also hold the cross pairs L1+H2 and
 * L2+H1: a pair sharing a tone with the call's own, heard while its own was, is that ghost.
 */
function mixedWithOwn(h: SignatureHit, mine: readonly SignatureHit[], own: number): boolean {
  const [l, hi] = SIGNATURES[h.signature];
  const [ol, oh] = SIGNATURES[own];
  if (l !== ol && hi !== oh) return false;
  return mine.some((m) => h.atSample < m.atSample + m.blocks * BLOCK_8K && m.atSample < h.atSample + h.blocks * BLOCK_8K);
}

/** A tone pair with short ramps (no click, no splatter into neighbouring bins). */
function signatureTone(k: number, rate: number): Int16Array {
  const n = Math.round((rate * TONE_MS) / 1000);
  const ramp = Math.round((rate * RAMP_MS) / 1000);
  const w = SIGNATURES[k].map((f) => (2 * Math.PI * f) / rate);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.min(1, i / ramp, (n - 1 - i) / ramp);
    out[i] = Math.round(g * AMP * 32767 * (Math.sin(w[0] * i) + Math.sin(w[1] * i)));
  }
  return out;
}

/** Each signature's clip, made once per thread (the carrier keeps its frames by the clip's identity). */
const clips = new Map<number, CallerSamples>();

/** Signature `k` as a caller prefix: the tone pair, then GAP_MS of silence (340 ms: 17 whole frames). */
export function signatureClip(k: number): CallerSamples {
  let c = clips.get(k);
  if (!c) {
    const tone = signatureTone(k, CLIP_RATE);
    const pcm = new Int16Array(tone.length + Math.round((CLIP_RATE * GAP_MS) / 1000));
    pcm.set(tone);
    clips.set(k, (c = { pcm, sampleRate: CLIP_RATE }));
  }
  return c;
}

/**
 * `caller` with every utterance opening with signature `k`: the clip is spliced in just before the
 * utterance's speech (its leading silence kept), so the stub's echo of the turn opens with the
 * signature and the caller hears it early in the reply, never in a tail a hang-up could cut.
 */
export function signedCaller(caller: Exclude<CallerAudio, { silence: true }>, k: number): CallerAudio {
  const prefix = signatureClip(k);
  return "wav" in caller ? { script: [{ wav: caller.wav, prefix }] } : { ...caller, script: caller.script.map((u) => ({ ...u, prefix })) };
}

interface Holder {
  index: number;
  fromUs: number;
  toUs?: number;
  callId?: string;
}

/** Evidence of one cross-talk: call `index` heard call `heardIndex`'s signature `atMs` into the call. */
export interface CrossTalkEvidence {
  index: number;
  callId: string;
  heardIndex?: number;
  heardCallId?: string;
  signature: string;
  atMs: number;
}

/**
 * Which call holds which signature, and held it when: a free signature (the lowest) for every call
 * that starts, back in the pool when its outcome is in. Past holders are kept (a few per signature),
 * so a signature heard late is still traced to the call that had it at that time.
 */
export class SignatureBook {
  private readonly free: number[];
  private readonly holders = new Map<number, Holder[]>();
  /** Each call up: its slot in this book (signature = first + slot) and its holder record. */
  private readonly byIndex = new Map<number, { k: number; holder: Holder }>();
  private next = 0;
  /** Calls that started while every signature was taken (they share one with a call still up). */
  shared = 0;

  /** `first`: where this book's signatures start in the set (books in separate processes, e.g. Artillery workers, start apart). */
  constructor(
    limit = SIGNATURE_COUNT,
    private readonly first = 0,
  ) {
    this.limit = Math.min(limit, SIGNATURE_COUNT);
    this.free = Array.from({ length: this.limit }, (_, i) => i);
  }

  private readonly limit: number;

  acquire(index: number, atUs: number): number {
    let k = this.free.shift();
    if (k === undefined) {
      k = this.next++ % this.limit;
      this.shared++;
    }
    const signature = (this.first + k) % SIGNATURE_COUNT;
    const holder: Holder = { index, fromUs: atUs };
    const list = this.holders.get(signature) ?? [];
    list.push(holder);
    if (list.length > 8) list.shift();
    this.holders.set(signature, list);
    this.byIndex.set(index, { k, holder });
    return signature;
  }

  release(index: number, atUs: number, callId: string): void {
    const h = this.byIndex.get(index);
    if (!h) return;
    this.byIndex.delete(index);
    h.holder.toUs = atUs;
    h.holder.callId = callId || undefined;
    if (!this.free.includes(h.k) && ![...this.byIndex.values()].some((o) => o.k === h.k)) {
      this.free.push(h.k);
      this.free.sort((a, b) => a - b);
    }
  }

  /** The call that held signature `k` at `tUs` (the latest to take it by then). */
  holderAt(k: number, tUs: number): { index: number; callId?: string } | undefined {
    const list = this.holders.get(k) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].fromUs <= tUs && (list[i].toUs ?? Infinity) >= tUs - 1_000_000) return list[i];
    return undefined;
  }

  /** Evidence of a call's finding, the other calls named where the book knows them. */
  evidence(o: { index: number; callId: string; startedUs: number }, f: CrossTalkFinding): CrossTalkEvidence[] {
    return f.foreign.map((x) => {
      const h = this.holderAt(x.signature, o.startedUs + x.atMs * 1000);
      return { index: o.index, callId: o.callId, ...(h ? { heardIndex: h.index, ...(h.callId ? { heardCallId: h.callId } : {}) } : {}), signature: signatureLabel(x.signature), atMs: x.atMs };
    });
  }

  /** A call id learnt later (the other call's outcome came in after the evidence). */
  callIdOf(index: number): string | undefined {
    for (const list of this.holders.values()) for (const h of list) if (h.index === index && h.callId) return h.callId;
    return undefined;
  }
}

/** One line of evidence, e.g. `heard call #3 (c-…)'s signature 480+2100 Hz at 7.4 s`. */
export function evidenceLine(e: CrossTalkEvidence): string {
  const who = e.heardIndex !== undefined ? `call #${e.heardIndex}${e.heardCallId ? ` (${e.heardCallId})` : ""}` : "an unknown call";
  return `heard ${who}'s signature ${e.signature} at ${(e.atMs / 1000).toFixed(1)} s into the call`;
}

/** The detail of a cross-talk failure, naming the call that heard and every call it heard. */
export function crossTalkDetail(own: number, evidence: readonly CrossTalkEvidence[]): string {
  const e0 = evidence[0];
  return `call #${e0.index} (${e0.callId || "no call id"}, signature ${signatureLabel(own)}) ${evidence.map(evidenceLine).join("; ")}`;
}

/** What a run says about cross-talk (load.json `crossTalk`, the summary). */
export interface CrossTalkSummary {
  mode: CrossTalkMode | "off";
  /** What was checked and what could not be, in a sentence. */
  note: string;
  /** Signatures handed out at once: calls up at once beyond this share one (`shared`), and crossing between those is not told. */
  signatures: number;
  /** Calls judged (placed with a signature and reported). */
  judged: number;
  /** Calls whose own signature came back (echo mode: the stub's reply reached them). */
  ownHeard: number;
  /** Calls that heard another call's signature. */
  crossed: number;
  /** Calls started while every signature was held. */
  shared: number;
  /** The first cross-talk evidence (at most 20): who heard whom, when. */
  evidence: CrossTalkEvidence[];
}

const MAX_EVIDENCE = 20;

/** Why a run has no cross-talk check, for its summary. */
export const crossTalkOff = (why: string): CrossTalkSummary => ({ mode: "off", note: `cross-talk not checked: ${why}`, signatures: 0, judged: 0, ownHeard: 0, crossed: 0, shared: 0, evidence: [] });

/**
 * A run's (or a set of virtual users') cross-talk bookkeeping on the thread that starts calls: a
 * signature and its caller audio for each call, the outcome's detail naming the other call, the tally.
 */
export class CrossTalkRun {
  private readonly book: SignatureBook;
  private readonly evidence: CrossTalkEvidence[] = [];
  private readonly details = new Map<string, { own: number; evidence: CrossTalkEvidence[] }>();
  private judged = 0;
  private ownHeard = 0;
  private crossed = 0;

  /** `first`: where its signatures start in the set (see SignatureBook). */
  constructor(
    readonly mode: CrossTalkMode,
    first = 0,
  ) {
    this.book = new SignatureBook(SIGNATURE_COUNT, first);
  }

  /** Call `index` starts now: its signature (the shard signs its caller audio with it: signedCaller). */
  assign(index: number, nowUs: number): { signature: number } {
    return { signature: this.book.acquire(index, nowUs) };
  }

  /** A call's outcome: its signature freed, a cross-talk detail rewritten to name the other call(s). */
  outcome<O extends { index: number; callId: string; startedUs: number; endedUs: number; reason?: string; detail?: string; crossTalk?: CrossTalkFinding }>(o: O): O {
    this.book.release(o.index, o.endedUs, o.callId);
    const f = o.crossTalk;
    if (!f) return o;
    this.judged++;
    if (f.ownHeard) this.ownHeard++;
    if (!f.foreign.length) return o;
    this.crossed++;
    const ev = this.book.evidence(o, f);
    for (const e of ev) if (this.evidence.length < MAX_EVIDENCE) this.evidence.push(e);
    if (this.details.size < MAX_EVIDENCE) this.details.set(o.callId, { own: f.own, evidence: ev });
    return o.reason === "cross-talk" ? { ...o, detail: crossTalkDetail(f.own, ev) } : o;
  }

  /** A cross-talk detail again, naming by call id the calls whose outcome came in after it (the run's examples). */
  detailOf(callId: string): string | undefined {
    const d = this.details.get(callId);
    if (!d) return undefined;
    for (const e of d.evidence) if (e.heardIndex !== undefined) e.heardCallId ??= this.book.callIdOf(e.heardIndex);
    return crossTalkDetail(d.own, d.evidence);
  }

  summary(): CrossTalkSummary {
    // Calls heard before their own outcome came in are named now.
    for (const e of this.evidence) if (e.heardIndex !== undefined && !e.heardCallId) e.heardCallId = this.book.callIdOf(e.heardIndex);
    const shared = this.book.shared ? ` ${this.book.shared} call(s) started while all ${SIGNATURE_COUNT} signatures in use were held and shared one: crossing between calls sharing a signature is not told.` : "";
    const found = `${this.judged} call(s) judged, ${this.crossed} heard another call's signature`;
    const note =
      this.mode === "echo"
        ? `cross-talk: each caller utterance opens with the call's own signature (a tone pair; up to ${SIGNATURE_COUNT} calls at once each have their own) and the Realtime stub echoes it: ${found}; ${this.ownHeard} heard their own back${this.ownHeard < this.judged ? " (the others heard no echo of their own: a reply cut short, or a bridge not pointed at the stub)" : ""}.${shared}`
        : `cross-talk: replies come from an upstream that does not echo (not bwemu's stub), so only caller audio reaching another call is caught; a reply delivered to the wrong call carries no signature and is NOT checked: ${found}.${shared}`;
    return { mode: this.mode, note, signatures: SIGNATURE_COUNT, judged: this.judged, ownHeard: this.ownHeard, crossed: this.crossed, shared: this.book.shared, evidence: this.evidence.map((e) => ({ ...e })) };
  }
}
