import type { ConformanceCase } from "../types.js";
import { attrValue } from "../../emulator/bxml/model.js";
import { events, fail, firstCall, pass, pick, skipped, startStream } from "../observe.js";

export default {
  id: "stream.connect.auth",
  level: "MUST",
  title: "Destination credentials are sent and enforced",
  expectation: "with destinationUsername/Password the upgrade carries Basic auth, and the bridge refuses an upgrade without it",
  // bandwidth.md §2.20, §4.1 (Basic on the upgrade; Bandwidth's migration server answers 401 without it)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://www.rfc-editor.org/rfc/rfc7617"],
  outcomes: "upgrade with Basic accepted; upgrade without credentials refused (401/403); skipped when the BXML sets none",
  scenarios: ["basic", "stream-no-auth"],
  requires: ["startStream"],
  check(c, ctx) {
    const s = startStream(c.call)!;
    if (!attrValue(s, "destinationUsername") && !attrValue(s, "destinationPassword")) return skipped("the BXML sets no destination credentials");
    const ok = events(c.call, "stream.connect")[0];
    if (!ok?.data.ok || ok.data.authorization !== "basic") return fail("an authenticated upgrade is accepted", ok ? `ok=${ok.data.ok} auth=${ok.data.authorization}` : "no connect", pick(ok));
    const n = firstCall(ctx, "stream-no-auth");
    if ("verdict" in n) return n;
    const bare = events(n.call, "stream.connect")[0];
    if (!bare) return fail("an unauthenticated upgrade is refused", "no connection attempt recorded");
    if (bare.data.ok) return fail("401 or 403 without credentials", "the upgrade was accepted without credentials: anyone can inject audio into the bridge", pick(bare));
    return pass(`refused without credentials (${bare.data.status ?? bare.data.error})`);
  },
} satisfies ConformanceCase;
