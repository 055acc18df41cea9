// <Ring> (bandwidth.md §2.14): ringing for `duration` seconds (default 5). `answerCall="false"`
// keeps an inbound call unanswered (the answering itself is decided before the verb, OPEN-1).
import { ringback } from "../../media/synth.js";
import { num } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";

export const Ring: VerbExecutor = async ({ call, el, signal }) => {
  const ms = num(el, "duration", 5) * 1000;
  if (call.state === "answered") {
    // The caller hears ringback on an answered call.
    const audio = await call.getAudio();
    await Promise.all([audio.play(ringback(Math.min(ms, 60_000), 8000), signal).catch(() => undefined), call.sleep(ms, signal)]);
  } else {
    await call.sleep(ms, signal);
  }
  return NEXT;
};
