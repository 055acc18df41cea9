// Types for the untyped `wav-decoder` package (only what wav.ts uses).
declare module "wav-decoder" {
  export interface AudioData {
    sampleRate: number;
    numberOfChannels: number;
    length: number;
    channelData: Float32Array[];
  }
  export interface DecodeOptions {
    /** Divide by 2^(bits-1) for both signs instead of 2^(bits-1) / 2^(bits-1)-1. */
    symmetric?: boolean;
  }
  export function decode(src: ArrayBuffer, opts?: DecodeOptions): Promise<AudioData>;
  const _default: { decode: typeof decode };
  export default _default;
}
