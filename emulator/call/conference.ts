// Conferences (bandwidth.md §2.3, §2.30, §6.5): created on first use, deleted when the last member
// leaves. Only the creator's event URL/method/credentials/tag count. Replies to conference webhooks
// are conference BXML: validated as a whole (context `conference`), queued and run in the order
// received, never overlapping; a verb that fails is skipped.

import { MAX_DOCUMENT_BYTES, parseBxml } from "../bxml/parse.js";
import { checkAcceptance } from "../bxml/acceptance/index.js";
import { childElements, type BxmlElement } from "../bxml/model.js";
import {
  conferenceMemberPayload,
  conferencePayload,
  conferenceRecordingAvailablePayload,
  type ConferenceInfo,
  type Payload,
} from "../protocol/webhooks.js";
import type { WebhookTarget } from "../webhooks/client.js";
import { redactSecrets } from "../webhooks/redact.js";
import { enumOf } from "./attrs.js";
import type { VerbHost } from "./host.js";
import { beginRecording, endRecording, pauseRecording, resumeRecording, type ActiveRecording } from "./recorder.js";
import { fetchAudio } from "./verbs/PlayAudio.js";
import { speechFor } from "./verbs/SpeakSentence.js";

export const MAX_CONFERENCE_MEMBERS = 20;

export interface Conference {
  id: string;
  name: string;
  creator: VerbHost;
  tag?: string;
  event?: { primary: WebhookTarget; fallback?: WebhookTarget };
  timeoutMs?: number;
  members: Map<string, VerbHost>;
  /** Conference BXML runs strictly one document after another. */
  queue: Promise<void>;
  recording?: { rec: ActiveRecording; target?: WebhookTarget };
  baseUrl?: string;
}

export class Conferences {
  readonly byName = new Map<string, Conference>();

  info(c: Conference, accountId: string): ConferenceInfo {
    return { accountId, conferenceId: c.id, name: c.name, tag: c.tag };
  }

  /** A conference BXML webhook: deliver, validate as a whole, queue the document. */
  event(c: Conference, eventType: string, payload: Payload): void {
    const call = c.creator;
    if (!c.event) return;
    const spec = { eventType, payload, primary: c.event.primary, fallback: c.event.fallback, timeoutMs: c.timeoutMs, callId: call.id };
    c.queue = c.queue.then(async () => {
      const d = await call.deliverBxml(spec);
      if (!d.ok) {
        call.finding("conference.callback-error", d.errorMessage, d.evidence);
        return;
      }
      const diags = validateConferenceBxml(d.bytes, d.url);
      const errors = diags.filter((x) => x.level === "error");
      call.record("bxml.received", {
        url: d.url,
        text: redactSecrets(d.text.slice(0, MAX_DOCUMENT_BYTES)),
        accepted: errors.length === 0,
        diagnostics: diags.map((x) => ({ ruleId: x.ruleId, level: x.level, line: x.line, col: x.col, message: x.message })),
      });
      if (errors.length) {
        // §2.30: the whole document is rejected; the conference and its members are unaffected.
        call.finding("conference.invalid-bxml", `conference BXML from ${d.url} rejected: ${errors[0].message} (line ${errors[0].line})`);
        return;
      }
      const root = parseBxml(d.text).root!;
      for (const verb of childElements(root)) {
        try {
          await runConferenceVerb(this, c, verb, d.url);
        } catch (e) {
          call.record("note", { message: `conference verb <${verb.name}> skipped: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
    });
  }

  notify(c: Conference, eventType: string, payload: Payload): void {
    if (!c.event) return;
    c.creator.notify(eventType, payload, c.event.primary);
  }

  memberPayload(c: Conference, eventType: "conferenceMemberJoin" | "conferenceMemberExit", m: VerbHost): Payload {
    return conferenceMemberPayload(eventType, this.info(c, m.settings.accountId), { callId: m.id, from: m.from, to: m.to }, m.now());
  }

  /** A member leaves: MemberExit; the last one out completes the conference. */
  leave(c: Conference, m: VerbHost): void {
    if (!c.members.delete(m.id)) return;
    this.event(c, "conferenceMemberExit", this.memberPayload(c, "conferenceMemberExit", m));
    if (c.members.size === 0) {
      this.byName.delete(c.name);
      c.queue = c.queue.then(() => {
        if (c.recording) stopConferenceRecording(c);
        this.notify(c, "conferenceCompleted", conferencePayload("conferenceCompleted", this.info(c, m.settings.accountId), m.now()));
      });
    }
  }
}

function validateConferenceBxml(text: Uint8Array, url: string) {
  const parsed = parseBxml(text, { file: url });
  return [...parsed.diagnostics, ...(parsed.root ? checkAcceptance(parsed, { context: "conference", baseUrl: url }) : [])];
}

/** The six conference verbs (§2.30): audio plays to every member; one conference recording. */
async function runConferenceVerb(_cs: Conferences, c: Conference, el: BxmlElement, baseUrl: string): Promise<void> {
  const members = [...c.members.values()];
  const creator = c.creator;
  switch (el.name) {
    case "SpeakSentence": {
      const pcm = speechFor(el);
      await Promise.all(members.map(async (m) => (await m.getAudio()).play(pcm, m.signal)));
      return;
    }
    case "PlayAudio": {
      const pcm = await fetchAudio(creator, el, baseUrl, creator.signal);
      await Promise.all(members.map(async (m) => (await m.getAudio()).play(pcm, m.signal)));
      return;
    }
    case "StartRecording": {
      if (c.recording) return;
      const u = el.attrs.find((a) => a.name === "recordingAvailableUrl")?.value;
      c.recording = {
        rec: await beginRecording(creator, { channels: 1, bothSides: true, fileFormat: enumOf(el, "fileFormat", ["wav", "mp3"] as const, "wav") }),
        target: u !== undefined ? { url: creator.resolve(u, baseUrl) } : undefined,
      };
      return;
    }
    case "StopRecording":
      stopConferenceRecording(c);
      return;
    case "PauseRecording":
    case "ResumeRecording": {
      if (!c.recording) return;
      (el.name === "PauseRecording" ? pauseRecording : resumeRecording)(creator, c.recording.rec);
      return;
    }
  }
}

function stopConferenceRecording(c: Conference): void {
  const r = c.recording;
  if (!r) return;
  c.recording = undefined;
  const info = endRecording(c.creator, r.rec);
  if (r.target) {
    const conf: ConferenceInfo = { accountId: c.creator.settings.accountId, conferenceId: c.id, name: c.name, tag: c.tag };
    c.creator.notify("conferenceRecordingAvailable", conferenceRecordingAvailablePayload(conf, c.creator.now(), info), r.target);
  }
}
