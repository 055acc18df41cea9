// <SendDtmf> (bandwidth.md §2.15): tones of `toneDuration` ms, `toneInterval` ms apart; `w`/`,`
// pause 0.5 s and `W` 1 s instead of the interval. Played on the outbound track.
import { concat, dtmfTone, silence } from "../../media/synth.js";
import { num, text } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";

export function dtmfSignal(digits: string, toneMs: number, gapMs: number): Int16Array {
  const parts: Int16Array[] = [];
  for (const ch of digits) {
    if (ch === "w" || ch === ",") parts.push(silence(500, 8000));
    else if (ch === "W") parts.push(silence(1000, 8000));
    else {
      parts.push(dtmfTone(ch, toneMs, 8000));
      parts.push(silence(gapMs, 8000));
    }
  }
  return concat(...parts);
}

export const SendDtmf: VerbExecutor = async ({ call, el, signal }) => {
  const pcm = dtmfSignal(text(el), num(el, "toneDuration", 200), num(el, "toneInterval", 400));
  const audio = await call.getAudio();
  await audio.play(pcm, signal);
  return NEXT;
};
