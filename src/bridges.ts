// Bundled bridge names (`--bridge`) for `bwemu test`, `bwemu call`, `bwemu load` and its virtual users: an unknown one is a usage error
// listing the valid names. The registry of faulty bridges loads only when a name is checked.
import { UsageError } from "./exit.js";

export interface BundledBridge {
  kind: "reference" | "passthrough";
  /** A faulty bridge: the reference bridge with this bug. */
  fault?: string;
}

/** `passthrough` (the measurement bridge) exists for `bwemu call` only. */
export async function checkBridgeName(name: string, opts: { passthrough: boolean }): Promise<BundledBridge> {
  if (name === "reference" || (name === "passthrough" && opts.passthrough)) return { kind: name };
  const { FAULTY_BRIDGES } = await import("../fixtures/bridges/faulty/index.js");
  if (FAULTY_BRIDGES.some((f) => f.name === name)) return { kind: "reference", fault: name };
  const known = ["reference", ...(opts.passthrough ? ["passthrough"] : []), ...FAULTY_BRIDGES.map((f) => f.name)];
  throw new UsageError(`--bridge: unknown bundled bridge "${name}"; one of: ${known.join(", ")}`);
}
