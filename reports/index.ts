// Public surface of reports/: the run result model, its validator and every renderer.
export * from "./model.js";
export { validateRunResult, assertRunResult, parseRunResult, RunResultError, RUN_RESULT_SCHEMA, type ValidationError } from "./validate.js";
export { renderHtml, CSP, type HtmlOptions } from "./html/render.js";
export { renderJson, renderJsonIndex } from "./json.js";
export { renderJunit } from "./junit.js";
export { renderSarif } from "./sarif.js";
export { renderMarkdown, type MarkdownOptions } from "./markdown.js";
export { renderGithub, emitGithub, annotation, type GithubOptions } from "./github.js";
export { writeReports, inlineAudio, REPORT_FILES, type WriteOptions, type WrittenReport } from "./write.js";
