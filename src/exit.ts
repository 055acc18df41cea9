// Exit codes, documented in the README; CI relies on them. Library code (config, run/) throws
// UsageError too, so this lives outside src/cli/.
export const EXIT = {
  /** Clean: nothing at the failing level. */
  OK: 0,
  /** Findings at the failing level (lint errors, a bridge failure, a misbehaving app). */
  FINDINGS: 1,
  /** Usage, config or input error. */
  USAGE: 2,
  /** The harness itself failed (never blamed on the bridge). */
  HARNESS: 3,
} as const;

/** Thrown for bad flags, bad config or unreadable input; main() prints it and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
