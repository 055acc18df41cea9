// Band-limited sample-rate conversion: a Kaiser-windowed sinc evaluated as a polyphase filter for the
// exact rational ratio to/from. Centred (zero-phase) kernel, so output sample k sits exactly at input
// time k·from/to: speech-frame annotations keep their position across rates. Used for caller WAVs of
// any rate (→ 8/16 kHz stream rate) and for 16/24 kHz `playAudio` PCM (bandwidth.md §4.6: "Bandwidth
// resamples PCM to the call").
//
// Design: cutoff = 0.9 × the lower Nyquist, 24 zero crossings, Kaiser β = 7 (≈ 70 dB stopband). The
// transition band ends at the new Nyquist, so content above it is removed, not aliased.

const ZERO_CROSSINGS = 24;
const ROLLOFF = 0.9;
const KAISER_BETA = 7;
/** Above this many phases the coefficients are computed per sample instead of tabulated. */
const MAX_TABLE_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (series; converges fast for β ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function checkRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate <= 0 || rate > 1_000_000) {
    throw new RangeError(`resample: ${name} must be a positive integer sample rate in Hz, got ${rate}`);
  }
}

interface Kernel {
  up: number; // L: output samples per `down` input samples
  down: number; // M
  half: number; // taps each side: the output at input time i + p/L uses x[i-half+1 … i+half]
  taps: number; // 2·half
  table: Float64Array | null; // [phase][tap], each phase normalised to unit DC gain
  coeffs(phase: number, into: Float64Array): void;
}

const kernelCache = new Map<string, Kernel>();

function kernelFor(fromRate: number, toRate: number): Kernel {
  const key = `${fromRate}>${toRate}`;
  const cached = kernelCache.get(key);
  if (cached) return cached;
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const ratio = Math.min(1, toRate / fromRate); // cutoff relative to the input Nyquist
  const fc = ROLLOFF * ratio;
  const half = Math.ceil(ZERO_CROSSINGS / ratio);
  const taps = 2 * half;
  const i0Beta = besselI0(KAISER_BETA);
  const coeffs = (phase: number, into: Float64Array): void => {
    const frac = phase / up;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      // input sample x[i - half + 1 + t] sits at distance τ from the output time i + frac
      const tau = frac - (t - half + 1);
      const r = tau / half;
      let v = 0;
      if (Math.abs(r) < 1) {
        const arg = Math.PI * fc * tau;
        const sinc = tau === 0 ? 1 : Math.sin(arg) / arg;
        v = fc * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta);
      }
      into[t] = v;
      sum += v;
    }
    for (let t = 0; t < taps; t++) into[t] /= sum;
  };
  let table: Float64Array | null = null;
  if (up <= MAX_TABLE_PHASES) {
    table = new Float64Array(up * taps);
    for (let p = 0; p < up; p++) coeffs(p, table.subarray(p * taps, (p + 1) * taps));
  }
  const k: Kernel = { up, down, half, taps, table, coeffs };
  if (kernelCache.size > 64) kernelCache.clear();
  kernelCache.set(key, k);
  return k;
}

function toInt16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/**
 * Chunked resampling whose concatenated output equals the one-shot `resample` of the concatenated
 * input, sample for sample. Latency: `half` input samples (≈ 1–3 ms), released by `flush()`.
 */
export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  private readonly k: Kernel | null;
  /** Input history: absolute input index of buf[0] is `bufStart`. */
  private buf = new Float64Array(0);
  private bufLen = 0;
  private bufStart = 0;
  private received = 0;
  /** Next output sample: input position i + phase/up. */
  private outIndex = 0;
  private i = 0;
  private phase = 0;
  private flushed = false;
  private readonly scratch: Float64Array;

  constructor(fromRate: number, toRate: number) {
    checkRate("fromRate", fromRate);
    checkRate("toRate", toRate);
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.k = fromRate === toRate ? null : kernelFor(fromRate, toRate);
    this.scratch = new Float64Array(this.k?.taps ?? 0);
  }

  /** Feed samples; returns every output sample whose filter window is now complete. */
  push(pcm: Int16Array): Int16Array {
    if (this.flushed) throw new Error("StreamingResampler: push() after flush()");
    if (!this.k) {
      this.received += pcm.length;
      return pcm.slice();
    }
    this.append(pcm);
    return this.produce(false);
  }

  /** End of input: returns the remaining output (the input is treated as followed by silence). */
  flush(): Int16Array {
    if (this.flushed) return new Int16Array(0);
    this.flushed = true;
    if (!this.k) return new Int16Array(0);
    return this.produce(true);
  }

  private append(pcm: Int16Array): void {
    const k = this.k!;
    // Drop history no output can need any more: the next output uses input from i - half + 1.
    const keepFrom = Math.max(this.bufStart, this.i - k.half + 1);
    const drop = Math.min(this.bufLen, keepFrom - this.bufStart);
    if (drop > 0) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart += drop;
    }
    if (this.bufLen + pcm.length > this.buf.length) {
      const grown = new Float64Array(Math.max(1024, (this.bufLen + pcm.length) * 2));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    for (let j = 0; j < pcm.length; j++) this.buf[this.bufLen + j] = pcm[j];
    this.bufLen += pcm.length;
    this.received += pcm.length;
  }

  private produce(final: boolean): Int16Array {
    const k = this.k!;
    // Total output length of the one-shot conversion: ceil(n · up / down).
    const total = final ? Math.ceil((this.received * k.up) / k.down) : Infinity;
    // Upper bound on what this call can emit: every remaining input position, plus one.
    const bound = Math.ceil(((this.received - this.i + 1) * k.up) / k.down) + 1;
    const out = new Int16Array(Math.max(0, Math.min(bound, total - this.outIndex)));
    let n = 0;
    const coef = this.scratch;
    while (this.outIndex < total) {
      const lastNeeded = this.i + k.half; // input index of the right-most tap
      if (!final && lastNeeded >= this.received) break;
      let c: Float64Array;
      let off = 0;
      if (k.table) {
        c = k.table;
        off = this.phase * k.taps;
      } else {
        k.coeffs(this.phase, coef);
        c = coef;
      }
      const first = this.i - k.half + 1; // input index of tap 0
      let acc = 0;
      const t0 = Math.max(0, -first, this.bufStart - first);
      const t1 = Math.min(k.taps, this.received - first);
      const buf = this.buf;
      for (let t = t0 + off, b = first + t0 - this.bufStart, end = t1 + off; t < end; t++, b++) acc += c[t] * buf[b];
      out[n++] = toInt16(acc);
      this.outIndex++;
      this.phase += k.down;
      if (this.phase >= k.up) {
        this.i += Math.floor(this.phase / k.up);
        this.phase %= k.up;
      }
    }
    return n === out.length ? out : out.slice(0, n);
  }
}

/** Convert `pcm` from `fromRate` to `toRate` (Hz). Output length is ceil(n · toRate / fromRate). */
export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  const r = new StreamingResampler(fromRate, toRate);
  const a = r.push(pcm);
  const b = r.flush();
  if (b.length === 0) return a;
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
