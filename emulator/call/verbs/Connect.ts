// <Connect> (Beta, bandwidth.md §2.4): the real platform connects the call to the BRTC endpoint and
// the call stays there, so Connect holds the call like Bridge (emulator/bxml/keepalive.ts). The
// emulator has no BRTC endpoints (OPEN-17): it reports that and holds the call, silent, until a
// party hangs up, a REST request redirects it (ED-5) or the maximum duration (ED-4) ends it.
import type { VerbExecutor } from "../executor.js";
import { raceAbort } from "../sleep.js";
import { decided } from "../../decisions.js";

export const Connect: VerbExecutor = async ({ call, el, signal }) => {
  call.finding("call.connect-unsupported", `<Connect> at line ${el.pos.line}: the emulator has no BRTC endpoints ${decided("connect")}; the call stays connected, silent, until it ends or is redirected`);
  return raceAbort(new Promise<never>(() => undefined), signal);
};
