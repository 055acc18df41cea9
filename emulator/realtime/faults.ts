// Optional fault injection (spec §13 "Optional fault injection"; §8.3 LiveKit note): the stub
// misbehaves on purpose so suites can check how a bridge copes with upstream trouble.
// `session` (1-based, in connection order) limits a fault to one session; default: every session.
// `atTurn` n triggers right after utterance n was committed (speech end heard, before its response);
// `atMs` triggers that long after the session opened (stub clock).

export type StubFault =
  /** An `error` event (default `server_error`); the socket stays open unless `close` is set. */
  | { kind: "error"; atMs?: number; atTurn?: number; session?: number; errorType?: string; code?: string; message?: string }
  /** The stub drops the upstream connection: close frame with `code` (default 1011) or, with `abrupt`, a TCP reset without one. */
  | { kind: "close"; atMs?: number; atTurn?: number; session?: number; code?: number; reason?: string; abrupt?: boolean }
  /** `session.created` is sent this late; client frames queue meanwhile (§2.4). */
  | { kind: "delay-session-created"; delayMs: number; session?: number }
  /** The response answering utterance `atTurn` (default: every response) has no `response.created` (§8.3). */
  | { kind: "response-done-without-created"; atTurn?: number; session?: number };

const KINDS = ["error", "close", "delay-session-created", "response-done-without-created"];

/** Validate fault options; throws with the index and field of the first problem. */
export function checkFaults(faults: unknown): StubFault[] {
  if (faults === undefined) return [];
  if (!Array.isArray(faults)) throw new TypeError("faults: expected an array");
  faults.forEach((f, i) => {
    const at = `faults[${i}]`;
    if (typeof f !== "object" || f === null) throw new TypeError(`${at}: expected an object`);
    if (!KINDS.includes(f.kind)) throw new TypeError(`${at}.kind: expected one of ${KINDS.join(", ")}`);
    for (const k of ["atMs", "atTurn", "session", "delayMs", "code"] as const) {
      if (f[k] !== undefined && !(typeof f[k] === "number" && f[k] >= 0)) throw new TypeError(`${at}.${k}: expected a non-negative number`);
    }
    if ((f.kind === "error" || f.kind === "close") && f.atMs === undefined && f.atTurn === undefined)
      throw new TypeError(`${at}: needs atMs or atTurn`);
    if (f.kind === "delay-session-created" && typeof f.delayMs !== "number") throw new TypeError(`${at}.delayMs: required`);
  });
  return faults as StubFault[];
}

export const appliesTo = (f: StubFault, sessionIndex: number): boolean => f.session === undefined || f.session === sessionIndex;
