import { agentPlays, events, fail, ms, pass, pick } from "../observe.js";
import { interruptionCase } from "./observe.js";

export default interruptionCase(
  {
    id: "bargein.no-stale-audio",
    title: "Interrupted audio stays interrupted",
    expectation: "after clear, no audio of the interrupted response reaches the carrier",
    // bandwidth.md §4.6; openai-realtime.md §8.3
    outcomes: "no playAudio between clear and the first audio of the next response",
  },
  (b, c) => {
    if (!b.clear) {
      const heard = events(c.call, "audio.play").filter((e) => e.t > b.onset.t).reduce((n, e) => n + e.data.durationMs, 0);
      return fail("the interrupted reply stops", `no clear: ${Math.round(heard)} ms of agent audio played after the caller started talking`, pick(b.onset));
    }
    // Speech arriving after clear but before the model's next response began cannot belong to it. Without
    // the stub's records the next response can begin no earlier than the barge-in utterance's end.
    const end = events(c.call, "caller.utterance").find((e) => e.data.phase === "end" && e.data.index === b.index);
    const nextFirst = b.turn?.sFirstUs ?? end?.t ?? Number.POSITIVE_INFINITY;
    const stale = agentPlays(c.call).filter((e) => e.t > b.clear!.t && e.t < nextFirst);
    if (stale.length) return fail("no playAudio after clear until the next response", `${stale.length} playAudio message(s) of the old reply, first ${ms(stale[0].t - b.clear.t)} ms after clear`, pick(b.clear, ...stale.slice(0, 3)));
    return pass("no stale audio");
  },
);
