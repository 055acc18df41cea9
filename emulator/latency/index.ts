// Latency measured at the carrier (openai-realtime.md §12.3): pure functions over recordings.
export type * from "./types.js";
export { aggregate, nearestRank } from "./percentiles.js";
export { computeCallLatency, aggregateCalls, describePoints } from "./compute.js";
export { playAudioDurationFromText } from "./points.js";
export { formatCallLatency } from "./format.js";
export { checkCalibration } from "./calibration.js";
export type { LatencyCalibration } from "./calibration.js";
