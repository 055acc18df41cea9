// Starting a sibling module in another process or worker, the same from sources and from the
// compiled package: in development and tests the modules are TypeScript run through tsx; in the
// installed package they are the compiled .js beside the caller, and tsx is not there at all.

/** `new URL(path, base)`, with a `.ts` path turned into `.js` when `base` itself is compiled JavaScript. */
export function siblingUrl(path: string, base: string): URL {
  const compiled = !/\.ts$/.test(new URL(base).pathname);
  return new URL(compiled ? path.replace(/\.ts$/, ".js") : path, base);
}

/** Node arguments that run `file`: TypeScript through tsx (development only), JavaScript as it is. */
export function nodeArgsFor(file: string): string[] {
  return file.endsWith(".ts") ? ["--import", "tsx", file] : [file];
}
