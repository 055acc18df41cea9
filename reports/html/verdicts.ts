// Verdict and level presentation shared by the HTML sections.

import type { Verdict } from "../model.js";

export const VERDICT_LABEL: Record<Verdict, string> = {
  pass: "pass",
  fail: "fail",
  "non-strict": "non-strict",
  info: "info",
  unimplemented: "unimplemented",
  skipped: "skipped",
  error: "harness error",
};

/** A glyph per verdict so colour is never the only signal. */
export const VERDICT_GLYPH: Record<Verdict, string> = {
  pass: "✓",
  fail: "✗",
  "non-strict": "!",
  info: "i",
  unimplemented: "∅",
  skipped: "–",
  error: "⚠",
};

export const VERDICT_MEANING: Record<Verdict, string> = {
  pass: "the bridge did what the case expects",
  fail: "a MUST was broken",
  "non-strict": "a SHOULD was broken (fails only with --strict)",
  info: "measured, no judgement",
  unimplemented: "the bridge does not support the feature",
  skipped: "excluded or not applicable",
  error: "the harness could not run the case (not the bridge's fault)",
};
