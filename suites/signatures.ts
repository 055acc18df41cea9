// Distinct caller tones for the concurrency scenario: far apart, below 3.4 kHz, off DTMF rows/columns.
export function signatureHz(i: number): number {
  return 330 + 230 * i;
}
