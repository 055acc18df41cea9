// The shape of one catalogue entry: a verb or noun of spec §2 as data. One file per element under
// `catalogue/`; `catalogue/index.ts` collects them. The linter's platform rules and the carrier's
// executor both read these entries, so an attribute's default or range is written exactly once.

import type { BxmlContext } from "./model.js";

/** Attribute types of spec §2.1, plus the WebSocket URI of StartStream/StartTranscription. */
export type AttrType =
  | "URL" // absolute http(s) or relative reference (§1.5)
  | "METHOD" // GET | POST
  | "BOOL" // true | false
  | "NUM" // decimal
  | "INT" // whole number
  | "TAG" // ≤ 256 chars, "" clears
  | "E164"
  | "CALLERID"
  | "UUI"
  | "STR"
  | "ENUM" // one of `values`
  | "WSURI" // ws:// or wss://
  | "E164_OR_SIP"
  | "SIPURI";

export interface AttributeSpec {
  type: AttrType;
  required?: boolean;
  /** Default as the spec writes it (string form, as it would appear in XML). */
  default?: string;
  /** Inclusive numeric range. */
  min?: number;
  max?: number;
  maxLength?: number;
  /** Canonical enumeration values (ENUM). */
  values?: readonly string[];
  /** Short note shown in diagnostics when useful. */
  note?: string;
  /**
   * `values` is a list of known values, not a closed enumeration: an unknown value is not a
   * platform error (SpeakSentence voice/locale, OPEN-4). Added by the catalogue owner.
   */
  open?: boolean;
  /** Extra syntax a STR value must match (SSML `time`, `pitch`…); `note` says it in words. */
  pattern?: RegExp;
  /** Required only when another attribute has this value (case-insensitive), e.g. say-as `format`. */
  requiredWhen?: { attribute: string; equals: string };
  /** A secret (an HTTP Basic password): its value never reaches logs, files or reports (webhooks/redact.ts). */
  credential?: true;
}

export type TextKind = "url" | "digits" | "ssml" | "id" | "e164" | "sip" | "tag" | "conference-name" | "endpoint-id";

export interface TextSpec {
  required: boolean;
  kind: TextKind;
  maxLength?: number;
  /** Leading/trailing whitespace is trimmed before use (§1.2). */
  trim: boolean;
}

export type ExecutionKind =
  | "blocking" // next verb waits until this one ends
  | "immediate" // returns at once
  | "terminal" // ends the call or the app's control of it
  | "document-terminal" // ends the document (Redirect)
  | "stream-start" // returns once the stream is established or rejected (§3)
  | "noun"; // not executed on its own

export interface ElementSpec {
  name: string;
  kind: "verb" | "noun";
  /** Parent element names where it may stand; root-level verbs list `Response` and `Bxml`. */
  parents: readonly string[];
  /** Documents in which the verb may run (§2.30). Nouns inherit their parent's. */
  contexts: readonly BxmlContext[];
  text: TextSpec | null;
  attributes: Readonly<Record<string, AttributeSpec>>;
  children: {
    allowed: readonly string[];
    min?: number;
    max?: number;
  };
  execution: ExecutionKind;
  /** BXML-returning webhooks the verb triggers (§2.0). */
  bxmlWebhooks: readonly string[];
  /** Notification webhooks the verb triggers. */
  notificationWebhooks: readonly string[];
  /** Attributes whose presence makes the verbs after this one unreachable (§1.4 "BXML-requesting URLs"). */
  replacesDocumentVia?: readonly string[];
  /** Known misspellings → the documented name (ED-6b suggestions; §10). */
  misspellings?: Readonly<Record<string, string>>;
  /** Bandwidth's public pages for the element (verbs: their own page; nouns: their parent's). */
  docs: readonly string[];
  /**
   * Attributes that apply instead of `attributes` under a given parent (SipUri inside Refer takes
   * none, §2.13). Added by the catalogue owner; read it through `attributesFor()`.
   */
  attributesUnder?: Readonly<Record<string, Readonly<Record<string, AttributeSpec>>>>;
  /** Attributes real producers emit that the platform ignores, with the reason (ED-6b). */
  ignoredAttributes?: Readonly<Record<string, string>>;
}
