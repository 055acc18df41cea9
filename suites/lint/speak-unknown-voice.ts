// OPEN-4: an unknown SpeakSentence voice or locale may fail the call (Bandwidth's migration code);
// the emulator uses the default voice and the linter warns. Known = the documented voices and
// locales of §2.16 plus the Java SDK's enum (the catalogue's TTS_VOICES / TTS_LOCALES).
// Compared case-insensitively: Bandwidth's own docs write both `en_US` and `en_us`.
import { attr, pitfallRule, walk } from "./util.js";
import { TTS_LOCALES, TTS_VOICES } from "../../emulator/bxml/catalogue/index.js";

const VOICES: readonly string[] = TTS_VOICES.map((v) => v.name);
const LOCALES: readonly string[] = TTS_LOCALES;

const known = (list: readonly string[], v: string) => list.some((x) => x.toLowerCase() === v.trim().toLowerCase());

export default pitfallRule({
  id: "speak/unknown-voice",
  level: "warning",
  // bandwidth.md §2.16, §8 #32, OPEN-4
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/speakSentence", "https://dev.bandwidth.com/docs/voice/bxml"],
  description: "SpeakSentence voice or locale not in Bandwidth's voice list.",
  find(root, emit) {
    walk(root, (el) => {
      if (el.name !== "SpeakSentence") return;
      const voice = attr(el, "voice");
      if (voice && voice.value.trim() !== "" && !known(VOICES, voice.value)) {
        emit(voice.valuePos, `voice "${voice.value}" is not a Bandwidth voice: the call may fail (the emulator falls back to the default voice). Use a documented voice, e.g. susan, paul (en_US), bridget (en_UK), jorge (es), or drop voice and set gender/locale.`);
      }
      const locale = attr(el, "locale");
      if (locale && locale.value.trim() !== "" && !known(LOCALES, locale.value)) {
        const hint = voice ? " (it is ignored anyway, because voice is set)" : "";
        emit(locale.valuePos, `locale "${locale.value}" is not a Bandwidth TTS locale${hint}: use one of ${LOCALES.join(", ")}.`);
      }
    });
  },
});
