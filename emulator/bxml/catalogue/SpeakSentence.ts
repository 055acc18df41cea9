import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, enumOf, ROOT } from "./common.js";
import { SSML_ELEMENT_NAMES } from "./ssml.js";

export interface TtsVoice {
  name: string;
  locale: string;
  gender: "female" | "male";
  /** Where the voice is listed (§2.16). */
  origin: "documented" | "enhanced" | "java-sdk";
}

const v = (name: string, locale: string, gender: "female" | "male", origin: TtsVoice["origin"]): TtsVoice => ({ name, locale, gender, origin });

/**
 * Named TTS voices (§2.16). Documented and "enhanced" voices come from the docs; the rest only from
 * the Java SDK's TtsVoice enum (SDK only), whose order also decides which voice a gender+locale
 * picks. Locale and gender of every voice are the Java SDK's.
 */
export const TTS_VOICES: readonly TtsVoice[] = [
  v("susan", "en_US", "female", "documented"),
  v("paul", "en_US", "male", "documented"),
  v("julie", "en_US", "female", "documented"),
  v("kate", "en_US", "female", "documented"),
  v("ruth", "en_US", "female", "enhanced"),
  v("bridget", "en_UK", "female", "documented"),
  v("katrin", "de", "female", "documented"),
  v("esperanza", "es", "female", "documented"),
  v("violeta", "es", "female", "documented"),
  v("rosa", "es_MX", "female", "documented"),
  v("lupe", "es_US", "female", "enhanced"),
  v("jolie", "fr", "female", "documented"),
  v("gabrielle", "fr_CA", "female", "enhanced"),
  v("paola", "it", "female", "documented"),
  v("nadiya", "ru", "female", "documented"),
  v("masako", "ja", "female", "documented"),
  v("zeina", "arb", "female", "documented"),
  v("zhiyu", "cmn-CN", "female", "documented"),
  v("dave", "en_US", "male", "documented"),
  v("stephen", "en_US", "male", "enhanced"),
  v("simon", "en_UK", "male", "documented"),
  v("stefan", "de", "male", "documented"),
  v("jorge", "es", "male", "documented"),
  v("pedro", "es_US", "male", "enhanced"),
  v("bernard", "fr", "male", "documented"),
  v("liam", "fr_CA", "male", "enhanced"),
  v("luca", "it", "male", "documented"),
  v("anatoli", "ru", "male", "documented"),
  v("kenji", "ja", "male", "documented"),
  v("salli", "en_US", "female", "java-sdk"),
  v("salli_enh", "en_US", "female", "java-sdk"),
  v("chantal", "fr_CA", "female", "java-sdk"),
  v("miguel", "es_US", "male", "java-sdk"),
  v("joey", "en_US", "male", "java-sdk"),
  v("joey_enh", "en_US", "male", "java-sdk"),
  v("penelope", "es_US", "female", "java-sdk"),
  v("russell", "en_AU", "male", "java-sdk"),
  v("emma", "en_GB", "female", "java-sdk"),
  v("emma_enh", "en_GB", "female", "java-sdk"),
  v("nicole", "en_AU", "female", "java-sdk"),
  v("raveena", "en_IN", "female", "java-sdk"),
  v("mads", "da_DK", "male", "java-sdk"),
  v("justin", "en_US", "male", "java-sdk"),
  v("ivy", "en_US", "female", "java-sdk"),
  v("ivy_enh", "en_US", "female", "java-sdk"),
  v("carmen", "ro_RO", "female", "java-sdk"),
  v("naja", "da_DK", "female", "java-sdk"),
  v("ruben", "nl_NL", "male", "java-sdk"),
  v("geraint", "en_GB_WLS", "male", "java-sdk"),
];

/** Locales: those of the documented voices, then the Java SDK's extras (§2.16). */
export const TTS_LOCALES: readonly string[] = [
  "en_US", "en_UK", "de", "es", "es_MX", "es_US", "fr", "fr_CA", "it", "ru", "ja", "arb", "cmn-CN",
  "en_AU", "en_IN", "da_DK", "ro_RO", "nl_NL", "en_GB", "en_GB_WLS",
];

/** Voice used when none is named and for unknown voices (OPEN-4): `susan` per the Java resolver. */
export const DEFAULT_TTS_VOICE = "susan";

/** Text-to-speech of plain text mixed with SSML (§2.17). */
const SpeakSentence: ElementSpec = {
  name: "SpeakSentence",
  kind: "verb",
  parents: [...ROOT, "Gather"],
  contexts: ALL_CONTEXTS,
  text: { required: true, kind: "ssml", trim: false },
  attributes: {
    voice: {
      ...enumOf(TTS_VOICES.map((x) => x.name), undefined, "named voice; when present, gender and locale are ignored"),
      open: true,
    },
    gender: enumOf(["female", "male"], "female"),
    locale: { ...enumOf(TTS_LOCALES, "en_US"), open: true },
  },
  children: { allowed: SSML_ELEMENT_NAMES },
  execution: "blocking",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.16, OPEN-4; Java SDK TtsVoice/TtsLocale (SDK only)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/speakSentence"],
};
export default SpeakSentence;
