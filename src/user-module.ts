// Importing a module of the user's project (bwemu.config.*). JavaScript is imported as it is.
// TypeScript runs where Node can run it: natively where Node strips types (22.18+), through tsx when
// the call already runs under it (bwemu's own sources), else through the tsx of the user's project,
// which is not a dependency of bwemu: a project without it gets a usage error that says what to do.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { UsageError } from "./cli/exit.js";

export async function importUserModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (!/\.[cm]?ts$/.test(file)) return import(url);
  try {
    return await import(url);
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
  }
  let api: { tsImport(specifier: string, parent: string): Promise<unknown> };
  try {
    api = (await import(pathToFileURL(createRequire(file).resolve("tsx/esm/api")).href)) as typeof api;
  } catch {
    throw new UsageError(`${file}: Node ${process.version} cannot load TypeScript by itself: add tsx to your project (npm i -D tsx), use Node 22.18 or newer, or write the config as bwemu.config.mjs`);
  }
  return api.tsImport(url, import.meta.url);
}
