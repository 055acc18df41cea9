// <Gather> (bandwidth.md §2.6): plays its prompts (stopped by the first digit), collects DTMF until
// a terminating digit, maxDigits, interDigitTimeout after a digit, or firstDigitTimeout after the
// prompts with no digit; `repeatCount` replays the prompts. With `gatherUrl` the `gather` webhook's
// reply replaces the document; without it the digits are discarded and execution continues.

import { childElements } from "../../bxml/model.js";
import { gatherPayload } from "../../protocol/webhooks.js";
import { num, str } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { Aborted } from "../sleep.js";
import { playFile } from "./PlayAudio.js";
import { speak } from "./SpeakSentence.js";

export const Gather: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  const terminating = str(el, "terminatingDigits") ?? "";
  const maxDigits = num(el, "maxDigits", 50);
  const interMs = num(el, "interDigitTimeout", 5) * 1000;
  const firstMs = num(el, "firstDigitTimeout", 5) * 1000;
  const repeat = Math.max(1, Math.floor(num(el, "repeatCount", 1)));
  const prompts = childElements(el).filter((c) => c.name === "SpeakSentence" || c.name === "PlayAudio");

  let digits = "";
  let terminatingDigit = "";
  let done = false;
  let wake: (() => void) | undefined;
  const firstDigit = new AbortController();
  const detach = call.keypad.attach({
    kind: "gather",
    onDigit(d) {
      if (done) return;
      firstDigit.abort();
      if (terminating.includes(d)) {
        terminatingDigit = d;
        done = true;
      } else {
        digits += d;
        if (digits.length >= maxDigits) done = true;
      }
      wake?.();
    },
  });
  /** Wait up to `ms` for a digit or the end; returns true when a digit arrived. */
  const waitDigit = (ms: number) =>
    new Promise<boolean>((resolve, reject) => {
      const before = digits.length + terminatingDigit.length;
      const ac = new AbortController();
      const onAbort = () => {
        ac.abort();
        reject(new Aborted());
      };
      signal.addEventListener("abort", onAbort, { once: true });
      wake = () => {
        signal.removeEventListener("abort", onAbort);
        ac.abort();
        resolve(true);
      };
      call.sleep(ms, ac.signal).then(
        () => {
          signal.removeEventListener("abort", onAbort);
          resolve(digits.length + terminatingDigit.length > before);
        },
        () => undefined,
      );
    });
  try {
    for (let round = 0; round < repeat && !done && digits === ""; round++) {
      const promptSignal = AbortSignal.any([signal, firstDigit.signal]);
      for (const p of prompts) {
        if (promptSignal.aborted) break;
        try {
          if (p.name === "SpeakSentence") await speak(call, p, promptSignal);
          else await playFile(call, p, baseUrl, promptSignal);
        } catch (e) {
          if (signal.aborted) throw e;
          if (!firstDigit.signal.aborted) throw e; // a real failure, not the first digit cutting audio
        }
      }
      if (done || digits !== "") break;
      // firstDigitTimeout counts after the prompts end; it is also the gap between repeats.
      await waitDigit(firstMs);
    }
    while (!done && digits !== "") {
      const got = await waitDigit(interMs);
      if (!got) break;
    }
  } finally {
    detach();
    wake = undefined;
  }
  call.record("note", { message: `Gather collected "${digits}"${terminatingDigit ? ` terminated by ${terminatingDigit}` : ""}` });
  const t = call.targets(el, "gather", baseUrl);
  if (!t) return NEXT;
  return { kind: "fetch", request: call.bxmlRequest("gather", gatherPayload(call.snapshot(), call.now(), digits, terminatingDigit), t) };
};
