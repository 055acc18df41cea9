export { renderHtml, CSP, CSP_SCRIPT_HASH, type HtmlOptions } from "./render.js";
