// The common playAudio recognised in its bytes gives exactly the audio the full parse gives, and
// anything it does not recognise (or that would not validate) is left to the full parse.
import { describe, expect, it } from "vitest";
import { parseAppMessage } from "../../protocol/media-stream-codec.js";
import { PLAY_AUDIO_CONTENT_TYPES } from "../../protocol/media-stream.js";
import { commonPlayAudio } from "../common-play-audio.js";

const play = (contentType: string, payload: string) => JSON.stringify({ eventType: "playAudio", media: { contentType, payload } });
const b64 = (n: number, fill = 0x11) => Buffer.alloc(n, fill).toString("base64");
const bytes = (text: string) => Buffer.from(text, "utf8");

describe("the common playAudio", () => {
  it("every canonical content type and padding: the same audio as parseAppMessage", () => {
    for (const ct of PLAY_AUDIO_CONTENT_TYPES) {
      for (const n of [0, 1, 2, 3, 160, 161, 162, 320, 4000]) {
        const text = play(ct, b64(n));
        const full = parseAppMessage(text);
        if (!full.ok) {
          // an odd byte count for 16-bit PCM: the full parse reports it
          expect(commonPlayAudio(bytes(text)), `${ct} ${n}`).toBeUndefined();
          continue;
        }
        expect(commonPlayAudio(bytes(text)), `${ct} ${n}`).toEqual(full.audio);
      }
    }
  });

  it("decodes every byte value and every trailing-bit pattern as Node's decoder does", () => {
    const all = Buffer.from(Array.from({ length: 256 * 3 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
    for (const n of [all.length, all.length - 1, all.length - 2]) {
      const text = play("audio/pcmu", all.subarray(0, n).toString("base64"));
      expect(commonPlayAudio(bytes(text))?.bytes, String(n)).toEqual(new Uint8Array(all.subarray(0, n)));
    }
    // Non-zero bits after the last whole byte ("QR==" is "A" with two stray bits): decoded, as the strict decoder does.
    for (const p of ["QR==", "QUJ=", "QUI="]) expect(commonPlayAudio(bytes(play("audio/pcmu", p)))?.bytes, p).toEqual((parseAppMessage(play("audio/pcmu", p)) as { audio: { bytes: Uint8Array } }).audio.bytes);
  });

  it("audio past the shared scratch (64 KB) is decoded into its own array; the scratch still serves the next message", () => {
    const big = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) & 0xff));
    const large = commonPlayAudio(bytes(play("audio/pcmu", big.toString("base64"))))!.bytes;
    expect(large).toEqual(new Uint8Array(big));
    const small = commonPlayAudio(bytes(play("audio/pcmu", b64(160, 0x42))))!.bytes;
    expect(small).toEqual(new Uint8Array(160).fill(0x42));
    // The large message's audio is its own: the next message did not write over it.
    expect(large.buffer).not.toBe(small.buffer);
    expect(large[1]).toBe(13);
  });

  it("anything else is left to the full parse", () => {
    const pcmu = b64(160);
    const others = [
      play("audio/PCMU", pcmu), // noncanonical spelling (a finding on the full path)
      play("audio/pcm;rate=24000", pcmu), // unknown
      play("audio/pcmu;rate=8000", pcmu), // a canonical type and more
      play("audio/pcm", pcmu), // a canonical type's prefix
      play("audio/pcmu", b64(161).replace(/=+$/, "")), // unpadded (an option of the full parse)
      play("audio/pcmu", `${pcmu.slice(0, -4)}\u0001AA=`), // control character: JSON's own escape
      play("audio/pcmu", `${pcmu}=`), // bad padding
      play("audio/pcmu", `${pcmu.slice(0, -4)}A===`), // three pads
      play("audio/pcmu", `${pcmu.slice(0, -8)}AA==AAAA`), // padding inside
      play("audio/pcmu", `${pcmu.slice(0, -4)}AA-_`), // the URL-safe alphabet
      play("audio/pcmu", `${pcmu.slice(0, -4)}é=`), // non-ASCII
      play("audio/pcmu", "a/b\\"), // an escape
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu.slice(0, -4)}\\/w=="}}`, // \/ escape
      `{"media":{"contentType":"audio/pcmu","payload":"${pcmu}"},"eventType":"playAudio"}`, // other key order
      `{"eventType": "playAudio", "media": {"contentType": "audio/pcmu", "payload": "${pcmu}"}}`, // spaces
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}","x":"}}"}}`, // more fields
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}"}} `,
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}"}}}`,
      `{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"${pcmu}"}}{"eventType":"clear"}`,
      '{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"}}',
      '{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":"',
      '{"eventType":"playAudio","media":{"contentType":"audio/pcmu"',
      '{"eventType":"clear"}',
      "",
    ];
    for (const text of others) expect(commonPlayAudio(bytes(text)), text.slice(0, 120)).toBeUndefined();
  });
});
