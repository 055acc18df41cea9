// `bwemu/load`: load runs as a library (what `bwemu load` runs), and virtual users for load tools
// that bring their own arrivals (the Artillery engine).
export { runLoad, type LoadResult, type LoadRunIo, type LiveFigures } from "./run.js";
export { startLoadTarget, type LoadTarget, type TargetOptions } from "./target.js";
export { VirtualUsers, type VirtualUserCall, type VirtualUserTarget } from "./vu.js";
export { conversation } from "../speech.js";
export { FAILURE_REASONS, type CallOutcome, type FailureReason, type LoadOptions } from "./types.js";
export { mergeWindows, type TotalFigures, type WindowFigures } from "./windows.js";
export type { CrossTalkEvidence, CrossTalkFinding, CrossTalkMode, CrossTalkSummary } from "./crosstalk.js";
