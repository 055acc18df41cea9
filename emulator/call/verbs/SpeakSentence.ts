// <SpeakSentence> (bandwidth.md §2.16): text-to-speech, emulated as a deterministic speech-like
// signal of the duration real TTS would take; the caller hears it on the outbound track.
import { speechLike, ttsDurationMs } from "../../media/synth.js";
import { speechText } from "../../bxml/values.js";
import type { VerbHost } from "../host.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import type { BxmlElement } from "../../bxml/model.js";

export function speechFor(el: BxmlElement): Int16Array {
  const t = speechText(el);
  return speechLike(ttsDurationMs(t), 8000, seedOf(t));
}

export async function speak(call: VerbHost, el: BxmlElement, signal: AbortSignal): Promise<void> {
  const audio = await call.getAudio();
  await audio.play(speechFor(el), signal);
}

/** Same text → same audio (FNV-1a). */
function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const SpeakSentence: VerbExecutor = async ({ call, el, signal }) => {
  await speak(call, el, signal);
  return NEXT;
};
