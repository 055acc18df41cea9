// JSON bodies of the control API, parsed with the position of the first problem: Node 20's
// JSON.parse says what is wrong but not where, and a request body typed by hand deserves a line and
// a column. The locator is an iterative scanner (no recursion, so a hostile nesting cannot overflow
// the stack); it runs before JSON.parse, so nesting past MAX_DEPTH is refused before parsing.

export interface JsonProblem {
  message: string;
  /** 1-based. */
  line: number;
  col: number;
  offset: number;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; problem: JsonProblem };

/** Most nesting accepted in a control request (they are flat objects). */
const MAX_DEPTH = 64;

export function parseJsonLocated(text: string): JsonParse {
  const problem = locateJsonError(text);
  if (problem) return { ok: false, problem };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    // The scanner accepted what JSON.parse refused: report JSON.parse's words at the start.
    return { ok: false, problem: at(text, 0, e instanceof Error ? e.message : String(e)) };
  }
}

function at(text: string, offset: number, message: string): JsonProblem {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) ((line += 1), (last = i));
  return { message, line, col: offset - last, offset };
}

const LITERAL = /true|false|null/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WS = /[ \t\n\r]*/y;

/** The first syntax error of `text` as JSON, or undefined when it is well-formed. */
export function locateJsonError(text: string): JsonProblem | undefined {
  let i = 0;
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.exec(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const what = () => (i >= text.length ? "end of input" : `'${text[i]}'`);
  const stack: ("{" | "[")[] = [];
  let state: "value" | "first-value" | "key" | "first-key" | "colon" | "after" = "value";
  /** The innermost object or array ends here. */
  const end = (): void => {
    stack.pop();
    i++;
    state = "after";
  };
  for (;;) {
    match(WS);
    const c = text[i];
    switch (state) {
      case "first-value":
      case "value":
        if (state === "first-value" && c === "]") end();
        else if (c === "{" || c === "[") {
          if (stack.length >= MAX_DEPTH) return at(text, i, `nesting deeper than ${MAX_DEPTH} levels`);
          stack.push(c);
          i++;
          state = c === "{" ? "first-key" : "first-value";
        } else if (c === '"') {
          if (!match(STRING)) return at(text, i, "unterminated string or invalid escape");
          state = "after";
        } else if (match(LITERAL) || match(NUMBER)) state = "after";
        else return at(text, i, `expected a value, found ${what()}`);
        break;
      case "first-key":
      case "key":
        if (state === "first-key" && c === "}") end();
        else if (c !== '"') return at(text, i, `expected a property name in double quotes, found ${what()}`);
        else if (!match(STRING)) return at(text, i, "unterminated string or invalid escape");
        else state = "colon";
        break;
      case "colon":
        if (c !== ":") return at(text, i, `expected ':' after the property name, found ${what()}`);
        i++;
        state = "value";
        break;
      case "after": {
        const top = stack[stack.length - 1];
        if (top === undefined) return i < text.length ? at(text, i, `unexpected ${what()} after the JSON value`) : undefined;
        const close = top === "{" ? "}" : "]";
        if (c === ",") {
          i++;
          state = top === "{" ? "key" : "value";
        } else if (c === close) end();
        else return at(text, i, `expected ',' or '${close}', found ${what()}`);
      }
    }
  }
}
