// Importing a module of the user's project (bwemu.config.*). JavaScript is imported as it is.
// TypeScript runs where Node can run it: natively where Node strips types (22.18+), through tsx when
// the call already runs under it (bwemu's own sources), else through the tsx of the user's project,
// which is not a dependency of bwemu: a project without it gets a usage error that says what to do.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "./exit.js";

export async function importUserModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (!/\.[cm]?ts$/.test(file)) return import(url);
  try {
    return await import(url);
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
  }
  let apiPath: string;
  try {
    // tsx's ESM entry as its exports map names it (require.resolve would pick its CommonJS build).
    const manifest = createRequire(file).resolve("tsx/package.json");
    const entry = (JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports["./esm/api"].import.default;
    apiPath = resolve(dirname(manifest), entry);
  } catch {
    throw new UsageError(`${file}: Node ${process.version} cannot load TypeScript by itself: add tsx to your project (npm i -D tsx), use Node 22.18 or newer, or write the config as bwemu.config.mjs`);
  }
  const { tsImport } = (await import(pathToFileURL(apiPath).href)) as { tsImport(specifier: string, parent: string): Promise<unknown> };
  const m = (await tsImport(url, import.meta.url)) as { default?: { default?: unknown } };
  // A .ts file outside a "type": "module" package loads as CommonJS: its default export is nested.
  const inner = m.default && typeof m.default === "object" && Object.keys(m.default).every((k) => k === "default" || k === "__esModule") ? m.default.default : undefined;
  return inner === undefined ? m : { default: inner };
}
