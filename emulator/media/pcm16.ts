// Signed 16-bit little-endian PCM <-> Int16Array, independent of host endianness and byte alignment.
// Used for L16 frames (bandwidth.md §4.9) and `audio/pcm;…;bit-depth=16;endian=little` playAudio (§4.6).

/** Decode LE PCM16 bytes. Throws RangeError on an odd byte count (half a sample is never valid). */
export function pcm16FromBytesLE(bytes: Uint8Array): Int16Array {
  if (bytes.length % 2 !== 0) {
    throw new RangeError(
      `PCM16 data has an odd byte count (${bytes.length}): 16-bit samples need 2 bytes each`,
    );
  }
  const n = bytes.length >> 1;
  const out = new Int16Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = (bytes[j] | (bytes[j + 1] << 8)) << 16 >> 16;
  return out;
}

/** Encode PCM16 as little-endian bytes. */
export function pcm16ToBytesLE(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 2);
  writePcm16LE(pcm, out, 0);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Write PCM16 as little-endian bytes into `out` at byte offset `at`: one block copy on a little-endian host. */
export function writePcm16LE(pcm: Int16Array, out: Uint8Array, at: number): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), at);
    return;
  }
  for (let i = 0, j = at; i < pcm.length; i++, j += 2) {
    const v = pcm[i];
    out[j] = v & 0xff;
    out[j + 1] = (v >> 8) & 0xff;
  }
}
