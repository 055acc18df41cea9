import type { ElementSpec } from "../spec.js";
import { bool, CALL_ONLY, credentials, fallbackCredentials, method, num, ROOT, str, tag, url } from "./common.js";

/** Joins the call to a named conference. */
const Conference: ElementSpec = {
  name: "Conference",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_ONLY,
  text: { required: true, kind: "conference-name", maxLength: 100, trim: true },
  attributes: {
    mute: bool("false", "the member hears others; others do not hear it"),
    hold: bool("false", "the member neither hears nor is heard"),
    callIdsToCoach: str("comma-separated callIds this member coaches"),
    conferenceEventUrl: url("conference events; replies are conference BXML"),
    conferenceEventMethod: method,
    conferenceEventFallbackUrl: url(),
    conferenceEventFallbackMethod: method,
    ...credentials,
    ...fallbackCredentials,
    tag,
    callbackTimeout: num(1, 25, undefined, "1–25 s; default: the creating call's webhook timeout"),
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: ["conferenceCreated", "conferenceMemberJoin", "conferenceMemberExit", "conferenceRedirect"],
  notificationWebhooks: ["conferenceCompleted", "conferenceRecordingAvailable"],
  misspellings: { calbackTimeout: "callbackTimeout" },
  ignoredAttributes: {
    name: "the Python SDK writes the conference name as a `name` attribute; Bandwidth reads the name from the element text",
  },
  // bandwidth.md §2.3, §10.2
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/conference"],
};
export default Conference;
