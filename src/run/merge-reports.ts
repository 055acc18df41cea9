// `bwemu merge-reports`: find the blob results of a sharded run, merge them (merge.ts) and write
// every report from the merged result, as a single run writes them. Used by the CLI and the library.

import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ReporterName, RunResult } from "../../reports/model.js";
import { writeReports, type WrittenReport } from "../../reports/write.js";
import { BLOB_FILE, BlobError, readBlob } from "./blob.js";
import { mergeBlobs, type ShardInput } from "./merge.js";

export interface MergeReportsOptions {
  /** Folders holding `bwemu-blob-<i>-of-<n>.json` files (one per shard, or all in one), or blob files. */
  inputs: string[];
  outDir: string;
  reporters: ReporterName[];
}

export interface MergeReportsOutcome {
  result: RunResult;
  reports: WrittenReport[];
  exitCode: RunResult["summary"]["exitCode"];
  /** The blob files merged, in shard order. */
  blobs: string[];
}

/** The blob files named by `inputs` (a folder: every blob in it, not recursing), each once. */
export async function findBlobs(inputs: readonly string[]): Promise<string[]> {
  const out = new Map<string, string>();
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch (e) {
      throw new BlobError("BLOB_UNREADABLE", `${input}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (e as Error).message}`);
    }
    const files = st.isDirectory() ? (await readdir(input)).filter((f) => BLOB_FILE.test(f)).sort().map((f) => join(input, f)) : [input];
    if (!files.length) throw new BlobError("BLOB_NONE", `${input}: no blob results in it (bwemu-blob-<i>-of-<n>.json, written by \`bwemu test --shard i/n\`)`);
    for (const f of files) out.set(await realpath(f), f);
  }
  return [...out.values()];
}

export async function mergeReports(o: MergeReportsOptions): Promise<MergeReportsOutcome> {
  const paths = await findBlobs(o.inputs);
  const inputs: ShardInput[] = [];
  for (const path of paths) inputs.push({ path, blob: await readBlob(path) });
  const result = mergeBlobs(inputs);
  const reports = await writeReports(result, { outDir: o.outDir, reporters: o.reporters });
  return { result, reports, exitCode: result.summary.exitCode, blobs: [...inputs].sort((a, b) => a.blob.shard.index - b.blob.shard.index).map((i) => i.path) };
}
