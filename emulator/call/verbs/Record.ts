// <Record> (bandwidth.md §2.11): records the party until a terminating digit (default `#`),
// `maxDuration` (60 s), `silenceTimeout` (off) or hang-up. `recordComplete` (BXML) is not sent when
// the call hung up; `recordingAvailable` / `transcriptionAvailable` are notifications.

import { recordCompletePayload } from "../../protocol/webhooks.js";
import { enumOf, num, str } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { beginRecording, endRecording, recentLevel, recordingNotifications, type ActiveRecording } from "../recorder.js";
import { Aborted } from "../sleep.js";

/** Level under which the party counts as silent (mean |sample|). */
const SILENCE_LEVEL = 150;

export const Record: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  const terminating = str(el, "terminatingDigits") ?? "#";
  const maxMs = num(el, "maxDuration", 60) * 1000;
  const silenceMs = num(el, "silenceTimeout", 0) * 1000;
  const fileFormat = enumOf(el, "fileFormat", ["wav", "mp3"] as const, "wav");
  const rec: ActiveRecording = await beginRecording(call, { channels: 1, bothSides: false, fileFormat });
  let finished = false;
  const finalize = () => {
    if (finished) return undefined;
    finished = true;
    const info = endRecording(call, rec);
    recordingNotifications(call, el, baseUrl, info);
    return info;
  };
  // Hang-up mid-recording: the recording is still kept and announced, without recordComplete.
  call.teardownHooks.push(() => void finalize());
  const stop = new AbortController();
  const detach = call.keypad.attach({
    kind: "record",
    onDigit(d) {
      if (!terminating.includes(d) || stop.signal.aborted) return;
      call.record("note", { message: `<Record> ended by the caller's ${d} (terminatingDigits "${terminating}")` });
      stop.abort();
    },
  });
  const until = AbortSignal.any([signal, stop.signal]);
  try {
    const started = call.clock.nowUs();
    for (;;) {
      const elapsed = (call.clock.nowUs() - started) / 1000;
      if (elapsed >= maxMs) break;
      if (silenceMs > 0 && elapsed >= silenceMs && recentLevel(call, silenceMs) < SILENCE_LEVEL) break;
      await call.sleep(Math.min(100, maxMs - elapsed), until);
    }
  } catch (e) {
    if (!(e instanceof Aborted) || signal.aborted) throw e;
  } finally {
    detach();
  }
  const info = finalize();
  if (!info) return NEXT;
  const t = call.targets(el, "recordComplete", baseUrl);
  if (!t) return NEXT;
  return { kind: "fetch", request: call.bxmlRequest("recordComplete", recordCompletePayload(call.snapshot(), call.now(), info), t) };
};
