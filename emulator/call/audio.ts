// The call's audio engine, started on first use (the first prompt, stream or recording; at answer
// with callerStartsAt "answer"). By default the caller waits for a stream or a recording (ED-12).
// A caller fixture that fails to load ends the call with cause `error`.

import type { VerbHost } from "./host.js";
import { createCallAudio, type CallAudio } from "./media.js";
import type { CallerAudio, EndedBy } from "./types.js";

/** What the audio engine needs of its call. */
export type AudioOwner = Pick<VerbHost, "id" | "settings" | "timeline" | "clock" | "ended" | "signal" | "options" | "record" | "finish" | "sleep"> & {
  hangup(reason: string, by: EndedBy): void;
};

export class CallAudioSlot {
  /** Set once the engine runs. */
  audio?: CallAudio;
  private ready?: Promise<CallAudio>;

  constructor(
    private readonly call: AudioOwner,
    private readonly caller: CallerAudio,
  ) {}

  /** The engine, started now if it is not yet running. */
  async get(): Promise<CallAudio> {
    if (!this.audio) await this.start();
    if (!this.audio) throw new Error("the call has no audio (caller audio failed to load)");
    return this.audio;
  }

  /** Decode the caller's fixture (once). */
  load(): Promise<CallAudio> {
    if (!this.ready) {
      const { call } = this;
      this.ready = createCallAudio({
        callId: call.id,
        caller: this.caller,
        format: call.settings.mediaFormat,
        pacing: call.settings.pacing,
        timeline: call.timeline,
        clock: call.clock,
        callerWaits: call.settings.callerStartsAt !== "answer",
        recordAudio: call.settings.recordAudio,
        onFrame: call.options.onAudioFrame,
      });
      const release = call.clock.hold?.(); // virtual time (--fast) waits for the caller's WAVs
      void this.ready.finally(release).catch(() => undefined);
      this.ready.catch((e) => {
        const msg = `caller audio could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
        call.record("note", { message: msg });
        void call.finish("error", msg, "carrier");
      });
    }
    return this.ready;
  }

  private async start(): Promise<void> {
    let a: CallAudio;
    try {
      a = await this.load();
    } catch {
      return;
    }
    const { call } = this;
    if (this.audio || call.ended) return;
    this.audio = a;
    a.start();
    const linger = call.options.hangupAfterCallerMs;
    if (linger !== undefined) {
      void a.callerDone
        .then(() => call.sleep(linger, call.signal))
        .then(() => call.hangup("the caller's audio ended", "caller-audio-done"))
        .catch(() => undefined);
    }
  }
}
