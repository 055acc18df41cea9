import type { ConformanceCase } from "../types.js";
import { dominantFrequency } from "../../emulator/media/analysis.js";
import { audibleFrames } from "../../emulator/media/speech-level.js";
import { fail, pass, skipped } from "../observe.js";
import { signatureHz } from "../signatures.js";

/** 20 ms at the 8 kHz of the played recording. */
const FRAME = 160;

export default {
  id: "resilience.concurrent-isolation",
  level: "MUST",
  title: "Simultaneous calls do not hear each other",
  expectation: "with N simultaneous calls, each call's returned audio belongs to its own conversation",
  // pitfall (shared state between calls in a bridge process)
  docs: [],
  outcomes:
    "the dominant frequency of the audio each call heard (the frames where something was played, not the silence between) is its own caller's signature (the stub echoes each caller); against another upstream, calls whose bot does not echo cannot be judged, and no call may carry another's signature",
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
      // Only the frames where audio was played: a bridge that streams silence between replies must
      // not leave a window of nothing but silence to be judged.
      const heard = audibleFrames(o.call.streams[0]?.playedPcm ?? new Int16Array(0), FRAME);
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
