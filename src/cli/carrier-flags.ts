// The flags of `bwemu call` that are carrier settings (ED-11 document cap, ED-12 caller start, `--fast`
// virtual time): checked here and returned as settings, so the command only spreads them.
import type { CarrierSettings } from "../../emulator/call/types.js";
import { UsageError } from "../exit.js";
import { parseInt10 } from "../parse.js";

export interface CarrierFlags {
  fast?: boolean;
  callerStartsAt?: string;
  maxDocuments?: string;
}

export const CALLER_STARTS_AT = ["stream-start", "answer"] as const;

/** ED-12 value of a flag or config key; a bad one is a usage error naming where it came from. */
export function callerStartsAt(v: string | undefined, where: string): CarrierSettings["callerStartsAt"] {
  if (v === undefined) return undefined;
  if (!(CALLER_STARTS_AT as readonly string[]).includes(v)) throw new UsageError(`${where}: "${v}" is not one of ${CALLER_STARTS_AT.join(", ")}`);
  return v as CarrierSettings["callerStartsAt"];
}

export function carrierFlagSettings(f: CarrierFlags): Partial<CarrierSettings> {
  const s: Partial<CarrierSettings> = {};
  if (f.fast) s.virtualTime = true;
  const when = callerStartsAt(f.callerStartsAt, "--caller-starts-at");
  if (when) s.callerStartsAt = when;
  if (f.maxDocuments !== undefined) s.bxmlRequestCap = parseInt10(f.maxDocuments, "--max-documents", 1, 100_000);
  return s;
}
