// Colour on the terminal, decided the same way for every command and every stream:
// FORCE_COLOR (set, not empty, not "0"/"false") turns it on; otherwise NO_COLOR (set, not empty,
// https://no-color.org) or TERM=dumb turns it off; otherwise colour only when the stream is a TTY.
// picocolors paints; the decision is ours because its own looks at fd 1 only and turns colour on
// whenever CI is set, which would put escapes into files written by `bwemu … > log`.
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/** The painter for text written to `stream` (identity functions when colour is off). */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  return pc.createColors(colorEnabled(stream, env));
}
