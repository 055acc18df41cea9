import type { ConformanceCase } from "../types.js";
import { dominantFrequency } from "../../emulator/media/analysis.js";
import { fail, harnessError, needsBidirectional, pass } from "../observe.js";
import { signatureHz } from "../signatures.js";

export default {
  id: "resilience.concurrent-isolation",
  level: "MUST",
  title: "Simultaneous calls do not hear each other",
  expectation: "with N simultaneous calls, each call's returned audio belongs to its own conversation",
  // pitfall (shared state between calls in a bridge process)
  docs: [],
  outcomes: "the dominant frequency of each call's returned audio is its own caller's signature (the stub echoes each caller)",
  scenarios: ["concurrent"],
  check(ctx) {
    const run = ctx.run("concurrent");
    if (!run) return harnessError("scenario concurrent was not run");
    if (run.harnessError) return harnessError(run.harnessError);
    if (!run.calls.length) return harnessError("no calls placed");
    const no = needsBidirectional(run.calls[0]);
    if (no) return no;
    const wrong: string[] = [];
    let checked = 0;
    run.calls.forEach((o, i) => {
      const heard = o.call.streams[0]?.playedPcm;
      if (!heard || heard.length < 1600) { wrong.push(`call ${i}: no audio back`); return; }
      const f = dominantFrequency(heard, 8000);
      const own = signatureHz(i);
      checked++;
      if (Math.abs(f - own) > 25) {
        const other = run.calls.findIndex((_, j) => Math.abs(signatureHz(j) - f) <= 25);
        wrong.push(`call ${i} (${own} Hz) heard ${Math.round(f)} Hz${other >= 0 ? ` = call ${other}'s audio` : ""}`);
      }
    });
    if (wrong.length) return fail(`each of ${run.calls.length} calls hears its own conversation`, wrong.join("\n"));
    return pass(`${checked} calls isolated`, { calls: checked });
  },
} satisfies ConformanceCase;
