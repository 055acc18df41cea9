// `bwemu/schema`: the JSON Schema (2020-12) of results.json, which names it in its `$schema`. The
// object for validators that take one, the file's path for those that take a path, and the checks
// bwemu itself applies (the schema plus what a schema cannot say: unique ids, matching counts).
import { fileURLToPath } from "node:url";
import { RUN_RESULT_SCHEMA } from "./validate.js";

/** The schema as parsed from run-result.schema.json. */
const schema: Readonly<Record<string, unknown>> = RUN_RESULT_SCHEMA;
export default schema;

/** The schema's `$id`, also the `$schema` of every results.json. */
export const schemaId = RUN_RESULT_SCHEMA.$id as string;

/** Absolute path of run-result.schema.json inside the installed package. */
export const schemaPath = fileURLToPath(new URL("./run-result.schema.json", import.meta.url));

export { validateRunResult, assertRunResult, parseRunResult, RunResultError, type ValidationError } from "./validate.js";
