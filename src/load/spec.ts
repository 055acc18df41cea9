// What a load call is asked to do, from options: one source for `bwemu load`'s flags (src/cli/load.ts),
// the virtual users of the Artillery engine (vu.ts) and the stream format of `bwemu call`. Errors name
// the option as the caller spells it (`--turns` on the command line, `turns` in a YAML scenario).

import { resolve } from "node:path";
import type { CallerAudio } from "../../emulator/call/types.js";
import { L16_16K, PCMU_8K } from "../../emulator/media/format.js";
import { readWavFile, WavError } from "../../emulator/media/wav.js";
import type { MediaFormat } from "../../emulator/protocol/media-stream.js";
import { conversation } from "../speech.js";

/** A bad call option; `code` is stable for programs, the message names the option. */
export class CallOptionError extends Error {
  readonly code = "BWEMU_CALL_OPTION";
}

export const MAX_TURNS = 1000;

/** What the caller says: a WAV (read once here, so a bad file fails before any call), N turns of the fixture speech, or silence (0 turns). */
export async function callerOf(o: { audio?: string; turns: number }, names = { audio: "audio", turns: "turns" }): Promise<{ caller: CallerAudio; turns: number }> {
  if (o.audio !== undefined) {
    try {
      await readWavFile(o.audio);
    } catch (e) {
      if (e instanceof WavError) throw new CallOptionError(`${names.audio}: ${e.message}`);
      throw e;
    }
    return { caller: { wav: resolve(o.audio) }, turns: 0 };
  }
  if (!Number.isInteger(o.turns) || o.turns < 0 || o.turns > MAX_TURNS) throw new CallOptionError(`${names.turns}: expected an integer in 0..${MAX_TURNS}, got ${String(o.turns)}`);
  return { caller: o.turns > 0 ? conversation(o.turns) : { silence: true }, turns: o.turns };
}

/** Digits for Gather/StartGather, with the pauses w W ,. */
export function checkDtmf(dtmf: string | undefined, name = "dtmf"): void {
  if (dtmf !== undefined && !/^[0-9*#A-Da-dwW,]*$/.test(dtmf)) throw new CallOptionError(`${name}: "${dtmf}" may only contain 0-9 * # A-D and the pauses w W ,`);
}

/** The stream format: PCMU 8 kHz (the live default), or L16 16 kHz (ED-10). */
export const mediaFormatOf = (l16?: boolean): MediaFormat => ({ ...(l16 ? L16_16K : PCMU_8K) });
