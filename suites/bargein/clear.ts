import { fail, ms, pass, pick } from "../observe.js";
import { interruptionCase } from "./observe.js";

export default interruptionCase(
  {
    id: "bargein.clear",
    title: "The bridge stops the agent when the caller talks",
    expectation: "when the caller speaks over agent audio, the bridge sends clear within 300 ms of the model's speech_started",
    // bandwidth.md §4.6 (clear); openai-realtime.md §8.3
    outcomes: "a clear ≤ 300 ms after speech_started (measured from the caller's onset against the live service)",
  },
  (b) => {
    if (!b.clear) return fail("clear within 300 ms of speech_started", "no clear: the agent keeps talking over the caller", pick(b.replyStart, b.onset));
    const from = b.turn?.sStartedUs ?? b.onset.t;
    const dt = b.clear.t - from;
    if (dt > 300_000) return fail("clear within 300 ms", `${ms(dt)} ms after ${b.turn?.sStartedUs ? "speech_started" : "the caller's onset"}`, pick(b.onset, b.clear));
    return pass(`clear ${ms(dt)} ms after speech_started`, { clearMs: ms(dt) });
  },
);
