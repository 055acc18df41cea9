import type { ConformanceCase } from "../types.js";
import { dominantFrequency } from "../../emulator/media/analysis.js";
import { audibleFrames } from "../../emulator/media/speech-level.js";
import type { CallResult } from "../../emulator/call/types.js";
import { events, fail, pass, skipped } from "../observe.js";
import { signatureHz } from "../signatures.js";

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
  const ends = events(call, "audio.drained").filter((e) => e.data.streamId === s.streamId);
  const parts: Int16Array[] = [];
  let at = 0;
  for (const [i, run] of events(call, "audio.play").filter((e) => e.data.streamId === s.streamId).entries()) {
    const len = ends[i] ? Math.round(ends[i].data.playedMs * 8) : s.playedPcm.length - at;
    const skip = Math.min(len, Math.max(0, Math.round(((fromUs - run.t) / 1000) * 8)));
    parts.push(s.playedPcm.subarray(at + skip, at + len));
    at += len;
  }
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
    "the dominant frequency of the audio each call heard once its caller spoke (the frames where something was played, not a greeting or the silence between) is its own caller's signature (the stub echoes each caller); against another upstream, calls whose bot does not echo cannot be judged, and no call may carry another's signature",
  scenarios: ["concurrent"],
  requires: ["bidirectional"],
  check(_c, ctx) {
    const calls = ctx.run("concurrent")!.calls;
    const echoes = ctx.settings.realtime === "stub";
    const near = (f: number, i: number) => Math.abs(f - signatureHz(i)) <= 25;
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
      const f = dominantFrequency(heard, 8000);
      const other = calls.findIndex((_, j) => j !== i && near(f, j));
      if (near(f, i)) checked++;
      else if (echoes || other >= 0) wrong.push(`call ${i} (${signatureHz(i)} Hz) heard ${Math.round(f)} Hz${other >= 0 ? ` = call ${other}'s audio` : ""}`);
    });
    if (wrong.length) return fail(`each of ${calls.length} calls hears its own conversation`, wrong.join("\n"));
    if (!checked) return skipped(`the bridge's upstream does not echo the caller (${silent} of ${calls.length} calls heard nothing back): isolation cannot be told by signature`);
    return pass(`${checked} calls isolated${checked < calls.length ? ` (${calls.length - checked} not echoed, none heard another call)` : ""}`, { calls: checked });
  },
} satisfies ConformanceCase;
