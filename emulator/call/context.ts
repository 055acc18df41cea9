// What a call needs from the carrier that owns it (kept as an interface so call.ts does not import
// carrier.ts).

import type { Clock } from "../clock.js";
import type { IdFactory } from "../ids.js";
import type { Timeline } from "../timeline.js";
import type { WebhookClient } from "../webhooks/client.js";
import type { VerbHost } from "./host.js";
import type { Conferences } from "./conference.js";
import type { RecordingStore } from "./recordings.js";
import type { CarrierSettings } from "./types.js";

/** How a simulated far end (Transfer target, Forward target) behaves (bandwidth.md §2.27, §6.6). */
export interface FarEnd {
  /** What happens when it is called. Default `answer`. */
  outcome?: "answer" | "busy" | "no-answer" | "rejected";
  /** Ringing before it answers / rejects, ms. Default 1000. */
  ringMs?: number;
  /** After answering, the far end hangs up after this long (ms). Default: never (the A-leg decides). */
  hangupAfterMs?: number;
  /** What answering-machine detection concludes about it (createCall machineDetection). Default `human`. */
  machineDetection?: "human" | "answering-machine" | "tone-detected" | "silence" | "timeout" | "error";
}

export interface CarrierContext {
  settings: CarrierSettings;
  timeline: Timeline;
  clock: Clock;
  ids: IdFactory;
  webhooks: WebhookClient;
  calls: Map<string, VerbHost>;
  recordings: RecordingStore;
  conferences: Conferences;
  /** Far ends by number / SIP URI; `*` is the default. */
  farEnds: Record<string, FarEnd>;
}
