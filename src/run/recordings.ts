// After a call: every recording written under the output folder, and `--linger`, which keeps the Voice
// REST API up for apps that download a recording only after acknowledging its webhook (a voicemail
// app answers recordComplete / recordingAvailable first, then calls downloadCallRecording).

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RecordingStore } from "../../emulator/call/recordings.js";

/** Writes `recording-<recordingId>.wav|mp3` for every recording kept; returns the file names. */
export async function writeRecordings(store: RecordingStore, outDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const r of store.all()) {
    const m = await store.media(r);
    const name = `recording-${r.recordingId.replace(/[^\w.-]+/g, "_")}.${m.extension}`;
    await writeFile(join(outDir, name), m.bytes);
    names.push(name);
  }
  return names;
}

/** How an interrupt (Ctrl-C) reaches a wait: called with what to do, returns its removal. */
export type Interrupt = (stop: () => void) => () => void;

/** Ctrl-C in a terminal (the default of the commands). */
export const onSigint: Interrupt = (stop) => {
  process.once("SIGINT", stop);
  return () => process.removeListener("SIGINT", stop);
};

export interface LingerOptions {
  /** How long the Voice REST API stays up after the call, in ms. */
  ms: number;
  apiBaseUrl: string;
  /** Where the one line saying so goes (nothing in JSON mode). */
  write?: (s: string) => void;
  /** What ends the wait early (default: Ctrl-C). */
  interrupt?: Interrupt;
}

/** Waits `ms` (or until SIGINT) while the carrier and its Voice REST API stay up. */
export async function lingerAfterCall(o: LingerOptions): Promise<void> {
  if (o.ms <= 0) return;
  o.write?.(`call over; the Voice API at ${o.apiBaseUrl} stays up ${formatMs(o.ms)} for recording downloads (--linger; Ctrl-C ends it)\n`);
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, o.ms);
    const off = (o.interrupt ?? onSigint)(done);
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}
