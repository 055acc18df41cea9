// Paths a command reads or writes, checked before anything starts: a user's wrong path is exit 2 with
// the path, not a failure after a whole run.
import { access, constants, mkdir, stat } from "node:fs/promises";
import { UsageError } from "../exit.js";

export async function checkReadable(path: string, flag: string): Promise<void> {
  const why = await stat(path).then(
    (s) => (s.isDirectory() ? "is a directory" : access(path, constants.R_OK).then(() => undefined, () => "permission denied")),
    (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? "no such file" : (e.code ?? e.message)),
  );
  if (why) throw new UsageError(`${flag} ${path}: ${why}`);
}

/** Creates the directory (and its parents) now, so reports can be written at the end. */
export async function checkWritableDir(path: string, flag: string): Promise<void> {
  const why = await mkdir(path, { recursive: true }).then(
    () => access(path, constants.W_OK).then(() => undefined, () => "permission denied"),
    (e: NodeJS.ErrnoException) => (e.code === "EEXIST" || e.code === "ENOTDIR" ? "not a directory" : (e.code ?? e.message)),
  );
  if (why) throw new UsageError(`${flag} ${path}: cannot write there (${why})`);
}
