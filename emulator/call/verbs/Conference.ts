// <Conference> (bandwidth.md §2.3): joins the named conference (created on first use with the
// creator's event URL, credentials, tag and callbackTimeout) and blocks while a member. Leaving
// (hang-up, REST redirect) sends conferenceMemberExit; the last member out completes it.

import { conferencePayload } from "../../protocol/webhooks.js";
import { num, str, text } from "../attrs.js";
import { MAX_CONFERENCE_MEMBERS, type Conference as Conf } from "../conference.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { Aborted } from "../sleep.js";

export const Conference: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  const name = text(el);
  const cs = call.conferences;
  let c = cs.byName.get(name);
  if (!c) {
    const t = call.targets(el, "conferenceEvent", baseUrl);
    const cb = str(el, "callbackTimeout");
    c = {
      id: call.ids.conferenceId(),
      name,
      creator: call,
      tag: call.tag,
      event: t,
      timeoutMs: cb !== undefined ? num(el, "callbackTimeout", 15) * 1000 : call.callbackTimeoutMs,
      members: new Map(),
      queue: Promise.resolve(),
      baseUrl,
    } satisfies Conf;
    cs.byName.set(name, c);
    cs.event(c, "conferenceCreated", conferencePayload("conferenceCreated", cs.info(c, call.settings.accountId), call.now()));
  }
  if (c.members.size >= MAX_CONFERENCE_MEMBERS) {
    call.record("note", { message: `conference ${name} is full (${MAX_CONFERENCE_MEMBERS} members); continuing` });
    return NEXT;
  }
  const conf = c;
  conf.members.set(call.id, call);
  cs.event(conf, "conferenceMemberJoin", cs.memberPayload(conf, "conferenceMemberJoin", call));
  call.peer = { kind: "conference", leave: () => cs.leave(conf, call) };
  try {
    await new Promise<void>((_, reject) => {
      if (signal.aborted) return reject(new Aborted());
      signal.addEventListener("abort", () => reject(new Aborted()), { once: true });
    });
  } finally {
    call.peer = undefined;
    cs.leave(conf, call);
  }
  return NEXT;
};
