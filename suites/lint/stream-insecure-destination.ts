// ED-9: every Bandwidth example uses wss://; the emulator connects to ws:// anyway and warns.
// Other schemes (https://, none) are a platform error (OPEN-6), judged by acceptance.
import { attr, pitfallRule, schemeOf, walk } from "./util.js";

export default pitfallRule({
  id: "stream/insecure-destination",
  level: "warning",
  // bandwidth.md §4.1, ED-9; conformance.md answer.bxml.secure-destination
  docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  description: "StartStream/StartTranscription destination uses ws:// instead of wss://.",
  find(root, emit) {
    walk(root, (el) => {
      if (el.name !== "StartStream" && el.name !== "StartTranscription") return;
      const dest = attr(el, "destination");
      if (dest && schemeOf(dest.value) === "ws") {
        emit(dest.valuePos, `destination uses ws:// (unencrypted): Bandwidth's examples all use wss:// and production expects a secure WebSocket. Serve the stream endpoint over TLS and write wss://${dest.value.trim().slice(5)}.`);
      }
    });
  },
});
