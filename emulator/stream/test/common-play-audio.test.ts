// The common playAudio recognised by its text gives exactly what the full parse gives, and anything
// it does not recognise (or that would not validate) is left to the full parse.
import { describe, expect, it } from "vitest";
import { parseAppMessage } from "../../protocol/media-stream-codec.js";
import { PLAY_AUDIO_CONTENT_TYPES } from "../../protocol/media-stream.js";
import { parseCommonPlayAudio } from "../common-play-audio.js";

const play = (contentType: string, payload: string) => JSON.stringify({ eventType: "playAudio", media: { contentType, payload } });
const b64 = (n: number, fill = 0x11) => Buffer.alloc(n, fill).toString("base64");

describe("the common playAudio", () => {
  it("every canonical content type, padded or not: the same result as parseAppMessage", () => {
    for (const ct of PLAY_AUDIO_CONTENT_TYPES) {
      for (const n of [160, 161, 162, 320, 4000]) {
        const text = play(ct, b64(n));
        const full = parseAppMessage(text);
        if (!full.ok) continue; // an odd byte count for 16-bit PCM: the full parse reports it
        expect(parseCommonPlayAudio(text), `${ct} ${n}`).toEqual(full);
      }
    }
    const unpadded = play("audio/pcmu", b64(161).replace(/=+$/, ""));
    expect(parseCommonPlayAudio(unpadded, { allowUnpaddedBase64: true })).toEqual(parseAppMessage(unpadded, { allowUnpaddedBase64: true }));
  });

  it("anything else is left to the full parse", () => {
    const pcmu = b64(160);
    const others = [
      play("audio/PCMU", pcmu), // noncanonical spelling (a finding on the full path)
      play("audio/pcm;rate=24000", pcmu), // unknown
      play("audio/pcmu", `${pcmu.slice(0, -4)}\u0001AA=`), // control character: JSON's own escape
      play("audio/pcmu", `${pcmu}=`), // bad padding
      play("audio/pcmu", "a/b\\"), // an escape
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu.slice(0, -4)}\\/w=="}}`, // \/ escape
      `{"media":{"contentType":"audio/pcmu","payload":"${pcmu}"},"eventType":"playAudio"}`, // other key order
      `{"eventType": "playAudio", "media": {"contentType": "audio/pcmu", "payload": "${pcmu}"}}`, // spaces
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}","x":"}}"}}`, // more fields
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}"}} `,
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}"}}}`,
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}"}}{"eventType":"clear"}`,
      '{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"}}',
      '{"eventType":"clear"}',
    ];
    for (const text of others) expect(parseCommonPlayAudio(text), text.slice(0, 120)).toBeUndefined();
  });
});
