// Latency measured at the carrier (openai-realtime.md §12.3): pure functions over recordings.
export type * from "./types.js";
export { aggregate, nearestRank } from "./percentiles.js";
export { computeCallLatency, aggregateCalls, describePoints, DEFAULT_LATENCY_OPTIONS } from "./compute.js";
export { jitterDown } from "./jitter.js";
export { callEvents, carrierPoints, playAudioDurationFromText } from "./points.js";
export type { CarrierPoints, PlayAudioPoint, UtterancePoints } from "./points.js";
export { formatCallLatency, formatSummary } from "./format.js";
export { LatencyHistogram } from "./histogram.js";
export type { HdrSummary } from "./histogram.js";
export { checkCalibration } from "./calibration.js";
export type { CalibrationTurn, LatencyCalibration } from "./calibration.js";
export { matchBoundary } from "./boundary.js";
export type { BoundaryMatch, CarrierBoundary, StubBoundary } from "./boundary.js";
