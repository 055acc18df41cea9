// The speech boundary both sides of B(n) are computed from (openai-realtime.md §12.3.2, §12.3.3).
// Pure arithmetic, no clock: the carrier says which frame held the last speech sample, where in it
// speech ended and when each frame around it was sent; the stub says where on its input timeline its
// VAD found the end, when the append holding it arrived, and when the append that completed the
// hangover arrived. Stub's input timeline and carrier's stream differ by whole frames (a bridge drops
// or forwards whole carrier frames), so the two ends are compared modulo a frame: a pass-through names
// the very same sample; a transcoding hop may move it by a fraction of a ms, possibly across a frame
// edge, and then C_end is the send instant of the frame that carried the *stub's* last speech sample,
// so that C_end and S_end always stamp the same audio.

/** The carrier's side: from the `caller.speech-end` event. */
export interface CarrierBoundary {
  /** Frame (tick) holding the last speech sample, frame length and where speech ends in it (ms). */
  frame: number;
  frameMs: number;
  endOffsetMs: number;
  /** Send instants (µs) of consecutive frames from `fromFrame`. */
  fromFrame: number;
  sentUs: readonly number[];
}

/** The stub's side: from its turn record. */
export interface StubBoundary {
  /** Just after the last speech sample, on the input timeline (ms). */
  endMs: number;
  /** End of the append holding it (ms), received at S_end. */
  endAppendToMs: number;
  /** End of the append that completed the hangover (ms); absent when not recorded. */
  hangAppendToMs?: number;
}

export type BoundaryMatch =
  | {
      ok: true;
      /** Carrier frame that carried the stub's last speech sample (carrier frame ± 1 at most). */
      frame: number;
      /** Its send instant: C_end. */
      cEndUs: number;
      /** The carrier's frame that carried the end of the hangover audio, and its send instant (when tracked). */
      hangFrame?: number;
      cHangUs?: number;
      /** Speech end in carrier stream ms (frame·frameMs + offset) and the stub's, mapped onto the stream. */
      carrierEndMs: number;
      stubEndMs: number;
      /** stubEndMs − carrierEndMs. */
      deltaMs: number;
    }
  | { ok: false; reason: string; carrierEndMs: number; stubEndMs: number; deltaMs: number };

const EPS = 1e-6;

export function sentAt(c: CarrierBoundary, frame: number): number | undefined {
  const i = frame - c.fromFrame;
  return i >= 0 && i < c.sentUs.length ? c.sentUs[i] : undefined;
}

/** The frame holding the sample just before stream position `ms`. */
const frameBefore = (ms: number, frameMs: number): number => Math.ceil(ms / frameMs - EPS) - 1;

/**
 * Match the stub's speech end to the carrier's. `toleranceMs`: how far apart (modulo whole frames) the
 * two may be and still name the same sample; farther means the two sides did not find the same end
 * (a different level, a bridge that reshapes audio) and no figure can be computed from them.
 */
export function matchBoundary(c: CarrierBoundary, s: StubBoundary, toleranceMs: number): BoundaryMatch {
  const carrierEndMs = c.frame * c.frameMs + c.endOffsetMs;
  const shift = Math.round((carrierEndMs - s.endMs) / c.frameMs) * c.frameMs;
  const stubEndMs = s.endMs + shift;
  const deltaMs = stubEndMs - carrierEndMs;
  const fail = (reason: string): BoundaryMatch => ({ ok: false, reason, carrierEndMs, stubEndMs, deltaMs });
  if (Math.abs(deltaMs) > toleranceMs + EPS) {
    return fail(`the stub's speech end is ${deltaMs.toFixed(3)} ms from the carrier's (tolerance ±${toleranceMs} ms): they do not name the same sample`);
  }
  const frame = frameBefore(stubEndMs, c.frameMs);
  const cEndUs = sentAt(c, frame);
  if (cEndUs === undefined) return fail(`frame ${frame}, which carried the stub's last speech sample, has no recorded send instant`);
  const out: BoundaryMatch = { ok: true, frame, cEndUs, carrierEndMs, stubEndMs, deltaMs };
  if (s.hangAppendToMs !== undefined) {
    // The hangover audio travelled from the frame after C_end's to the frame holding the end of the
    // append that completed it (same mapping; the stub's append boundaries are the bridge's choice).
    const hangFrame = frameBefore(s.hangAppendToMs + shift, c.frameMs);
    const cHangUs = sentAt(c, hangFrame);
    if (cHangUs !== undefined) Object.assign(out, { hangFrame, cHangUs });
  }
  return out;
}
