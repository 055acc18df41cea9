// The public documentation pages bwemu's cases, rules and verbs cite, with the title the generated
// docs show for each. Data (cases, rules, the verb catalogue) holds these URLs in its `docs` field;
// a test insists every URL it holds is one of these, so a typo cannot ship a dead link.

/** bwemu's own published docs folder (the repository's docs/ on GitHub). One constant: change it here only. */
export const DOCS_BASE = "https://github.com/bwemu/bwemu/blob/main/docs/";

const BW = "https://dev.bandwidth.com/docs/voice";
const OAI = "https://platform.openai.com/docs";

/** Bandwidth's page for a BXML verb or noun, by element name (`StartStream` → …/bxml/startStream). */
export function bxmlVerbPage(name: string): string {
  return `${BW}/bxml/${name[0].toLowerCase()}${name.slice(1)}`;
}

const VERBS = [
  "Bridge", "Conference", "Connect", "Forward", "Gather", "Hangup", "Pause", "PauseRecording", "PlayAudio", "Record",
  "Redirect", "Refer", "ResumeRecording", "Ring", "SendDtmf", "SpeakSentence", "StartGather", "StartRecording",
  "StartStream", "StartTranscription", "StopGather", "StopRecording", "StopStream", "StopTranscription", "StreamParam",
  "Tag", "Transfer",
] as const;

export const BANDWIDTH = {
  voice: `${BW}/`,
  bxml: `${BW}/bxml`,
  startStream: bxmlVerbPage("StartStream"),
  stopStream: bxmlVerbPage("StopStream"),
  streamParam: bxmlVerbPage("StreamParam"),
  mediaStreaming: `${BW}/guides/mediaStreaming`,
  webhooks: `${BW}/webhooks`,
  initiate: `${BW}/webhooks/initiate`,
  disconnect: `${BW}/webhooks/disconnect`,
  mediaStreamStarted: `${BW}/webhooks/mediaStreamStarted`,
  mediaStreamRejected: `${BW}/webhooks/mediaStreamRejected`,
  mediaStreamStopped: `${BW}/webhooks/mediaStreamStopped`,
  voiceApi: "https://dev.bandwidth.com/apis/voice/",
  updateCall: "https://dev.bandwidth.com/apis/voice/#operation/updateCall",
} as const;

export const OPENAI = {
  realtime: `${OAI}/guides/realtime`,
  conversations: `${OAI}/guides/realtime-conversations`,
  vad: `${OAI}/guides/realtime-vad`,
  truncate: `${OAI}/api-reference/realtime-client-events/conversation/item/truncate`,
  error: `${OAI}/api-reference/realtime-server-events/error`,
} as const;

export const STANDARDS = {
  xml: "https://www.w3.org/TR/xml/",
  uri: "https://www.rfc-editor.org/rfc/rfc3986#section-5",
  websocket: "https://www.rfc-editor.org/rfc/rfc6455",
  basicAuth: "https://www.rfc-editor.org/rfc/rfc7617",
} as const;

/** Every public page bwemu links, URL → title. */
export const PUBLIC_PAGES: ReadonlyMap<string, string> = new Map<string, string>([
  [BANDWIDTH.voice, "Bandwidth: Voice API overview"],
  [BANDWIDTH.bxml, "Bandwidth: BXML"],
  ...VERBS.map((v): [string, string] => [bxmlVerbPage(v), `Bandwidth: <${v}> verb`]),
  [BANDWIDTH.mediaStreaming, "Bandwidth: media streaming guide"],
  [BANDWIDTH.webhooks, "Bandwidth: voice webhooks"],
  [BANDWIDTH.initiate, "Bandwidth: initiate webhook"],
  [BANDWIDTH.disconnect, "Bandwidth: disconnect webhook"],
  [BANDWIDTH.mediaStreamStarted, "Bandwidth: mediaStreamStarted webhook"],
  [BANDWIDTH.mediaStreamRejected, "Bandwidth: mediaStreamRejected webhook"],
  [BANDWIDTH.mediaStreamStopped, "Bandwidth: mediaStreamStopped webhook"],
  [BANDWIDTH.voiceApi, "Bandwidth: Voice API reference"],
  [BANDWIDTH.updateCall, "Bandwidth: Voice API, update a call"],
  [OPENAI.realtime, "OpenAI: Realtime API guide"],
  [OPENAI.conversations, "OpenAI: Realtime conversations"],
  [OPENAI.vad, "OpenAI: voice activity detection"],
  [OPENAI.truncate, "OpenAI: conversation.item.truncate"],
  [OPENAI.error, "OpenAI: Realtime error event"],
  [STANDARDS.xml, "W3C: XML 1.0"],
  [STANDARDS.uri, "RFC 3986 §5: resolving relative references"],
  [STANDARDS.websocket, "RFC 6455: the WebSocket protocol"],
  [STANDARDS.basicAuth, "RFC 7617: HTTP Basic authentication"],
]);
