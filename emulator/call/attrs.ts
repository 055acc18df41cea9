// Reading verb attributes for execution, through the catalogue (emulator/bxml/values.ts) so a
// documented default is written once, in the catalogue. Validation already happened (acceptance,
// §1.4); the `def` each executor passes is only a fallback for elements the catalogue lacks.
// Enum values match case-insensitively (ED-6c), methods are upper-cased.

import { attrValue, type BxmlElement } from "../bxml/model.js";
import { boolAttr, elementText, enumAttr, methodAttr, numberAttr } from "../bxml/values.js";
import type { Credentials } from "./types.js";
import { CREDENTIAL_ATTRIBUTES, REDACTED, redactUrl } from "../webhooks/redact.js";
import { credentials } from "../webhooks/request.js";

export function str(el: BxmlElement, name: string): string | undefined {
  return attrValue(el, name);
}

export function num(el: BxmlElement, name: string, def: number): number {
  return numberAttr(el, name) ?? def;
}

export function bool(el: BxmlElement, name: string, def: boolean): boolean {
  return boolAttr(el, name) ?? def;
}

export function method(el: BxmlElement, name: string): "GET" | "POST" {
  return methodAttr(el, name);
}

export function enumOf<T extends string>(el: BxmlElement, name: string, values: readonly T[], def: T): T {
  const v = enumAttr(el, name)?.toLowerCase();
  return (values.find((x) => x.toLowerCase() === v) ?? def) as T;
}

/** `username`/`password` (or the fallback pair) as Basic credentials; absent when neither is set. */
export function creds(el: BxmlElement, user = "username", pass = "password"): Credentials | undefined {
  return credentials(attrValue(el, user), attrValue(el, pass));
}

/** The element's text as the carrier uses it (trimmed per §1.2). */
export function text(el: BxmlElement): string {
  return elementText(el);
}

export function attrsRecord(el: BxmlElement): Record<string, string> {
  const r: Record<string, string> = {};
  for (const a of el.attrs) {
    r[a.name] = CREDENTIAL_ATTRIBUTES.has(a.name.toLowerCase()) ? REDACTED : redactUrl(a.value);
  }
  return r;
}
