// OPEN-14: only one of destinationUsername/destinationPassword set → the emulator sends Basic with
// the other part empty, which no server will accept. Generalised to every credential pair of §1.7
// (username/password, fallbackUsername/fallbackPassword): half a pair is always a mistake.
import { attr, getSpec, pitfallRule, walk } from "./util.js";

const PAIRS: readonly [string, string][] = [
  ["destinationUsername", "destinationPassword"],
  ["username", "password"],
  ["fallbackUsername", "fallbackPassword"],
];

export default pitfallRule({
  id: "bxml/partial-credentials",
  level: "warning",
  // bandwidth.md §1.7 (Credentials), §4.1, OPEN-14
  docs: ["https://dev.bandwidth.com/docs/voice/bxml", "https://dev.bandwidth.com/docs/voice/guides/mediaStreaming"],
  description: "Only one half of a username/password pair is set.",
  find(root, emit) {
    walk(root, (el, parent) => {
      if (!parent || !getSpec(el.name)) return;
      for (const [u, p] of PAIRS) {
        const ua = attr(el, u);
        const pa = attr(el, p);
        if (!ua === !pa) continue;
        const present = (ua ?? pa)!;
        const missing = ua ? p : u;
        emit(present.pos, `${present.name} is set without ${missing}: Basic authentication is sent with an empty ${ua ? "password" : "username"}, which your server will refuse. Set both, or neither.`);
      }
    });
  },
});
