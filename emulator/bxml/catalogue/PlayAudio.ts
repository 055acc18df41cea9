import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, ROOT, str } from "./common.js";

/** Plays a WAV or MP3 file; text = its URL (may be relative, §1.5). */
const PlayAudio: ElementSpec = {
  name: "PlayAudio",
  kind: "verb",
  parents: [...ROOT, "Gather"],
  contexts: ALL_CONTEXTS,
  text: { required: true, kind: "url", trim: true },
  attributes: {
    username: str("HTTP Basic user name for retrieving the audio"),
    password: str("HTTP Basic password for retrieving the audio", { credential: true }),
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.10
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/playAudio"],
};
export default PlayAudio;
