import type { ConformanceCase } from "../types.js";
import { agentPlays, events, fail, frames, ms, pass, pick, stepMissed } from "../observe.js";

export default {
  id: "resilience.upstream-error",
  level: "SHOULD",
  title: "A model error does not end the call",
  expectation: "an `error` event from the model does not end the call",
  // openai-realtime.md §9.5 (most errors leave the session usable)
  docs: ["https://platform.openai.com/docs/api-reference/realtime-server-events/error"],
  outcomes: "the carrier stream stays open after the error and the conversation goes on",
  scenarios: ["upstream-error"],
  requires: ["bidirectional", "session"],
  check(c) {
    const err = c.sessions[0].serverEvents.find((e) => e.type === "error");
    if (!err) return stepMissed(c, "the model's error event");
    const close = events(c.call, "ws.close").find((e) => e.t >= err.t && e.data.by === "app");
    const stop = frames(c.call, "out", "stop")[0];
    if (close && (!stop || close.t < stop.t)) return fail("the call goes on", `the bridge closed the stream ${ms(close.t - err.t)} ms after the error (${close.data.code})`, pick(close));
    // The conversation goes on: an utterance that ends after the error gets a reply.
    const end = events(c.call, "caller.utterance").find((e) => e.data.phase === "end" && e.t > err.t);
    if (!end) return { verdict: "error", message: "no caller utterance ended after the injected error" };
    const reply = agentPlays(c.call).find((e) => e.t > end.t);
    if (!reply) return fail("a reply to the caller after the error", "no audio after the error: the bridge stopped relaying", pick(end, close));
    return pass("the conversation continued");
  },
} satisfies ConformanceCase;
