import type { ConformanceCase } from "../types.js";
import { dominantFrequency } from "../../emulator/media/analysis.js";
import { audibleFrames } from "../../emulator/media/speech-level.js";
import type { CallResult } from "../../emulator/call/types.js";
import { events, fail, pass, skipped } from "../observe.js";
import { detectSignatures, playedRuns, signatureHz } from "../signatures.js";

/** 20 ms at the 8 kHz of the played recording. */
const FRAME = 160;

/**
 * What the caller heard once it started speaking: the played runs (`audio.play` … `audio.drained`, in
 * play order, paced in real time) from the caller's first speech on, so a greeting is not judged as
 * the reply; then only the frames where something was audible, not the silence a bot may stream.
 */
function heardReply(call: CallResult): Int16Array {
  const s = call.streams[0];
  if (!s) return new Int16Array(0);
  const fromUs = events(call, "caller.utterance").find((e) => e.data.phase === "start")?.t ?? 0;
  const parts = playedRuns(call.timeline.events, s.streamId, s.playedPcm.length).map((run) => {
    const skip = Math.min(run.len, Math.max(0, Math.round(((fromUs - run.t) / 1000) * 8)));
    return s.playedPcm.subarray(run.from + skip, run.from + run.len);
  });
  const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (all.set(p, o), o + p.length), 0);
  return audibleFrames(all, FRAME);
}

export default {
  id: "resilience.concurrent-isolation",
  level: "MUST",
  title: "Simultaneous calls do not hear each other",
  expectation: "with N simultaneous calls, each call's returned audio belongs to its own conversation",
  // pitfall (shared state between calls in a bridge process)
  docs: [],
  outcomes:
    "in the audio each call heard once its caller spoke (the frames where something was played, not a greeting or the silence between), its own caller's signature tone sounds and no other call's (a tone counts when it holds for 100 ms; the stub echoes each caller); against another upstream, calls whose bot does not echo cannot be judged, and no call may carry another's signature",
  scenarios: ["concurrent"],
  requires: ["bidirectional"],
  check(_c, ctx) {
    const calls = ctx.run("concurrent")!.calls;
    const echoes = ctx.settings.realtime === "stub";
    // Each call's own tone and every other call's: the detector shared with `bwemu load`'s cross-talk judge.
    const tones = calls.map((_, j) => [signatureHz(j)]);
    const wrong: string[] = [];
    let checked = 0;
    let silent = 0;
    calls.forEach((o, i) => {
      // Only where audio was played: a bridge that streams silence must not leave a window of nothing but silence to judge.
      const heard = heardReply(o.call);
      if (heard.length < 1600) {
        if (echoes) wrong.push(`call ${i}: no audio back`);
        else silent++;
        return;
      }
      const hits = detectSignatures(heard, 8000, tones).map((h) => h.signature);
      const other = hits.find((j) => j !== i) ?? -1;
      if (other < 0 && hits.includes(i)) checked++;
      else if (echoes || other >= 0) wrong.push(`call ${i} (${signatureHz(i)} Hz) heard ${other >= 0 ? `${signatureHz(other)} Hz = call ${other}'s audio` : `${Math.round(dominantFrequency(heard, 8000))} Hz, not its own tone`}`);
    });
    if (wrong.length) return fail(`each of ${calls.length} calls hears its own conversation`, wrong.join("\n"));
    if (!checked) return skipped(`the bridge's upstream does not echo the caller (${silent} of ${calls.length} calls heard nothing back): isolation cannot be told by signature`);
    return pass(`${checked} calls isolated${checked < calls.length ? ` (${calls.length - checked} not echoed, none heard another call)` : ""}`, { calls: checked });
  },
} satisfies ConformanceCase;
