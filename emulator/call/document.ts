// Where a call's next document comes from (bandwidth.md §1.3, §1.4; ED-8, ED-11): fetched from the
// app, put by REST, or withheld while the call is held as a Bridge target; validated before it runs.
// Recorded copies lose credential values (the executed text keeps them).

import { MAX_DOCUMENT_BYTES, parseBxml } from "../bxml/parse.js";
import { checkAcceptance } from "../bxml/acceptance/index.js";
import { walkDocumentedAttributes } from "../bxml/acceptance/walk.js";
import type { BxmlContext, BxmlElement, Diagnostic } from "../bxml/model.js";
import type { BxmlDelivery } from "../webhooks/client.js";
import { redactBxml } from "../webhooks/redact.js";
import type { DocSource, VerbHost } from "./host.js";
import type { CallResult, CarrierSettings } from "./types.js";
import { decided } from "../decisions.js";

export interface LoadedDocument {
  root: BxmlElement;
  url?: string;
  context: BxmlContext;
}

/** What obtaining a document needs of its call. */
export type DocumentOwner = Pick<VerbHost, "settings" | "timeline" | "ended" | "signal" | "record" | "finding" | "finish" | "interrupt" | "deliverBxml"> & {
  /** Fires when the current document run is interrupted. */
  readonly runSignal: AbortSignal;
  /** A REST request or a Bridge release is waiting to replace the document. */
  readonly interruptPending: boolean;
};

export class DocumentSource {
  /** ED-11: BXML requests so far, retries and fallbacks counted once with theirs. */
  private requests = 0;
  private readonly requestedUrls: string[] = [];
  /** Every document received, redacted. */
  readonly documents: CallResult["documents"] = [];
  /** The URL that served the most recent document (OPEN-5 base for PUT / REST). */
  lastDocUrl?: string;

  constructor(private readonly call: DocumentOwner) {}

  /** Fetch (ED-8, ED-11), take an inline document or wait out a hold, then validate (§1.3, §1.4). */
  async obtain(source: DocSource): Promise<LoadedDocument | undefined> {
    const call = this.call;
    if (source.kind === "hold") {
      await this.hold(source);
      return undefined;
    }
    let text: string;
    let bytes: Uint8Array | undefined;
    let url: string | undefined;
    let contentType: string | undefined;
    let exchangeSeq: number | undefined;
    if (source.kind === "fetch") {
      const d = await this.fetch(source.spec);
      if (!d) return undefined;
      ({ text, bytes, url, contentType, exchangeSeq } = d);
    } else {
      text = source.text;
      url = source.baseUrl;
    }
    // Redacted on the parsed document; its secret values are learnt, so the timeline scrubs any echo.
    const redacted = redactBxml(text, call.timeline.secrets);
    this.documents.push({ url: url ?? "(PUT …/bxml)", text: redacted, contentType });
    const diagnostics = validateDocument(call.settings, bytes ?? text, url, source.context);
    const errors = diagnostics.filter((d) => d.level === "error");
    const parsed = errors.length ? undefined : parseBxml(text);
    const ev = call.record("bxml.received", {
      url: url ?? "(PUT …/bxml)",
      text: redacted.length > MAX_DOCUMENT_BYTES ? redacted.slice(0, MAX_DOCUMENT_BYTES) : redacted,
      accepted: errors.length === 0,
      diagnostics: diagnostics.map((d) => ({ ruleId: d.ruleId, level: d.level, line: d.line, col: d.col, message: d.message })),
    });
    if (errors.length || !parsed?.root) {
      const first = errors[0];
      const msg = first
        ? `invalid BXML from ${url ?? "PUT …/bxml"}: ${first.message} (line ${first.line}, col ${first.col}, ${first.ruleId})${errors.length > 1 ? ` and ${errors.length - 1} more` : ""}`
        : `invalid BXML from ${url ?? "PUT …/bxml"}`;
      call.finding("bxml.invalid", msg, exchangeSeq !== undefined ? [exchangeSeq, ev.seq] : [ev.seq]);
      await call.finish("invalid-bxml", msg);
      return undefined;
    }
    if (url) this.lastDocUrl = url;
    return { root: parsed.root, url, context: source.context };
  }

  /** Bridged as a target: wait for what comes next; an interruption or the call's end lets go. */
  private async hold(source: Extract<DocSource, { kind: "hold" }>): Promise<void> {
    const call = this.call;
    const left = await new Promise<DocSource | undefined | "interrupted" | "ended">((resolve) => {
      const onInt = () => resolve(call.ended ? "ended" : "interrupted");
      call.runSignal.addEventListener("abort", onInt, { once: true });
      call.signal.addEventListener("abort", onInt, { once: true });
      source.until.then(resolve, () => resolve(undefined));
    });
    if (left === "interrupted" || left === "ended") {
      source.onLeave(left);
      return; // the loop picks up the interruption, or stops at the end
    }
    if (left === undefined) {
      if (!call.ended) await call.finish("hangup");
      return;
    }
    call.interrupt(left);
  }

  /** One BXML request (ED-11 cap); undefined when the call ends, is interrupted or the app failed. */
  private async fetch(spec: Extract<DocSource, { kind: "fetch" }>["spec"]): Promise<Extract<BxmlDelivery, { ok: true }> | undefined> {
    const call = this.call;
    const cap = call.settings.bxmlRequestCap;
    if (this.requests >= cap) {
      const urls = [...new Set([...this.requestedUrls, spec.primary.url])];
      call.finding("call.bxml-loop", `BXML request cap of ${cap} documents reached ${decided("document-cap")}; the call kept requesting BXML from: ${urls.join(", ")}`);
      // The app is told in Bandwidth's manner: short, the URL it asked for last, no link to bwemu's docs.
      await call.finish("application-error", `BXML request cap of ${cap} documents reached requesting ${spec.primary.url}`);
      return undefined;
    }
    this.requests++;
    this.requestedUrls.push(spec.primary.url);
    const d = await call.deliverBxml(spec);
    if (call.interruptPending) return undefined; // a REST interruption wins over the pending fetch
    if (call.ended) return undefined;
    if (!d.ok) {
      call.finding("webhook.callback-error", d.errorMessage, d.evidence);
      await call.finish("callback-error", d.errorMessage);
      return undefined;
    }
    return d;
  }
}

/** Size cap (the parser's, §1.3), well-formedness and platform acceptance; strictness per ED-6a. */
export function validateDocument(settings: Pick<CarrierSettings, "strictUnknownElements">, text: string | Uint8Array, url: string | undefined, context: BxmlContext): Diagnostic[] {
  const parsed = parseBxml(text, { file: url });
  const diags: Diagnostic[] = [...parsed.diagnostics];
  if (parsed.root) diags.push(...checkAcceptance(parsed, { context, baseUrl: url }));
  // OPEN-6 is more specific than OPEN-3: a relative or non-ws(s) `destination` does not invalidate the
  // document; the StartStream is rejected with connection-error when it runs.
  const atRunTime = parsed.root ? webSocketUrlPositions(parsed.root) : new Set<string>();
  for (let i = 0; i < diags.length; i++) {
    const d = diags[i];
    if (d.level === "error" && d.ruleId === "bxml/attribute-type" && atRunTime.has(`${d.line}:${d.col}`)) diags[i] = { ...d, level: "warning" };
  }
  if (!settings.strictUnknownElements) {
    // ED-6a lenient: unknown or misplaced elements are skipped at execution instead.
    return diags.map((d) => (/unknown-element|misplaced/.test(d.ruleId) && d.level === "error" ? { ...d, level: "warning" as const } : d));
  }
  return diags;
}

/** Where the document's WebSocket URL attribute values (`destination`) start, as `line:col`. */
function webSocketUrlPositions(root: BxmlElement): Set<string> {
  const out = new Set<string>();
  walkDocumentedAttributes(root, ({ attr, spec }) => {
    if (spec.type === "WSURI") out.add(`${attr.valuePos.line}:${attr.valuePos.col}`);
  });
  return out;
}
