// Document limits (bandwidth.md §1.3).
/** 64 KB document cap (OPEN-2: larger → invalid-bxml). */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
