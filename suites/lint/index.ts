// The pitfall rules (conformance.md "Lint rules → Pitfall rules"), in the order they are listed there.
// Each file holds one rule; add a rule by adding a file and a line here (and a failing fixture in
// fixtures/bxml/invalid — a test insists).
import type { PitfallRule } from "./types.js";
import noKeepalive from "./stream-no-keepalive.js";
import eventUrlDistinct from "./stream-event-url-distinct.js";
import insecureDestination from "./stream-insecure-destination.js";
import unknownAttribute from "./bxml-unknown-attribute.js";
import enumCase from "./bxml-enum-case.js";
import unreachableVerb from "./bxml-unreachable-verb.js";
import stopUnknownName from "./stream-stop-unknown-name.js";
import streamDuplicateName from "./stream-duplicate-name.js";
import streamTrackLimit from "./stream-track-limit.js";
import transcriptionDuplicateName from "./transcription-duplicate-name.js";
import transcriptionTrackLimit from "./transcription-track-limit.js";
import credentialsNeedHttps from "./bxml-credentials-need-https.js";
import relativeUrl from "./bxml-relative-url.js";
import duplicateParam from "./bxml-duplicate-param.js";
import partialCredentials from "./bxml-partial-credentials.js";
import unknownVoice from "./speak-unknown-voice.js";
import conferenceNameAttribute from "./conference-name-attribute.js";
import forwardAnsweredCall from "./forward-answered-call.js";
import redirectLoop from "./redirect-loop.js";


export const pitfallRules: readonly PitfallRule[] = [
  noKeepalive,
  eventUrlDistinct,
  insecureDestination,
  unknownAttribute,
  enumCase,
  unreachableVerb,
  stopUnknownName,
  streamDuplicateName,
  streamTrackLimit,
  transcriptionDuplicateName,
  transcriptionTrackLimit,
  credentialsNeedHttps,
  relativeUrl,
  duplicateParam,
  partialCredentials,
  unknownVoice,
  conferenceNameAttribute,
  forwardAnsweredCall,
  redirectLoop,
];
