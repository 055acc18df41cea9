// <Connect> (Beta, bandwidth.md §2.4): OPEN-17 — the emulator does not support BRTC endpoints; it
// reports that and continues with the next verb.
import { NEXT, type VerbExecutor } from "../executor.js";

export const Connect: VerbExecutor = async ({ call, el }) => {
  call.finding("call.connect-unsupported", "info", `<Connect> at line ${el.pos.line} is not supported by the emulator (OPEN-17); continuing with the next verb`);
  return NEXT;
};
