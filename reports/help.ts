// Where each case's and rule's documentation page lives. The pages are generated into docs/ from the
// case and rule files (`npm run docs`; src/docs.ts) and ship in the package; reports, lint output and
// SARIF link them through these functions, so a link and its page cannot disagree.

import { splitDirected } from "../suites/direction.js";
import { DOCS_BASE } from "../emulator/references.js";

export { DOCS_BASE };

/** A path segment safe in a URL and inside a Markdown link (ids in a results file are data: escape them). */
function segment(s: string): string {
  return encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Path of a conformance case's page inside docs/, e.g. `cases/answer.bxml.has-stream.md` (an outbound verdict's id, `…@outbound`, links its case's). */
export function casePage(id: string): string {
  return `cases/${segment(splitDirected(id).id)}.md`;
}

/** Path of a lint rule's page inside docs/, e.g. `rules/stream/no-keepalive.md`. */
export function rulePage(ruleId: string): string {
  return `rules/${ruleId.split("/").map(segment).join("/")}.md`;
}

/** The published URL of a case's page. */
export function caseHelpUrl(id: string): string {
  return DOCS_BASE + casePage(id);
}

/** The published URL of a rule's page. */
export function ruleHelpUrl(ruleId: string): string {
  return DOCS_BASE + rulePage(ruleId);
}
