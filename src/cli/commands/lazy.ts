// A command's action: its code (../<name>.ts) loads only when the command runs, so `bwemu --help` and
// the other commands start fast; a returned number is the process's exit code.

export function lazyAction<A extends unknown[]>(load: () => Promise<(...args: A) => Promise<number | void>>): (...args: A) => Promise<void> {
  return async (...args) => {
    const code = await (await load())(...args);
    if (code !== undefined) process.exitCode = code;
  };
}
