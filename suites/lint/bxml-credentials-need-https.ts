// §1.7: Record, StartRecording, StartStream (streamEventUrl) and StartTranscription require their
// webhook URLs to be https when Basic credentials are set; the consequence is undocumented, so warn.
// A relative URL is judged only when the base URL is known.
import { attr, pitfallRule, resolveUrl, schemeOf, walk } from "./util.js";

/** Credential attribute → the URLs it protects, per verb (§2.11, §2.19, §2.20, §2.23). */
const PROTECTED: Record<string, Record<string, readonly string[]>> = {
  Record: {
    username: ["recordCompleteUrl", "recordingAvailableUrl", "transcriptionAvailableUrl"],
    fallbackUsername: ["recordCompleteFallbackUrl"],
  },
  StartRecording: { username: ["recordingAvailableUrl", "transcriptionAvailableUrl"] },
  StartStream: { username: ["streamEventUrl"] },
  StartTranscription: { username: ["transcriptionEventUrl"] },
};

export default pitfallRule({
  id: "bxml/credentials-need-https",
  level: "warning",
  // bandwidth.md §1.7 (Credentials), §2.11, §2.19, §2.20, §2.23
  docs: ["https://dev.bandwidth.com/docs/voice/bxml", "https://dev.bandwidth.com/docs/voice/bxml/record", "https://dev.bandwidth.com/docs/voice/bxml/startRecording", "https://dev.bandwidth.com/docs/voice/bxml/startStream", "https://dev.bandwidth.com/docs/voice/bxml/startTranscription"],
  description: "username set on Record/StartRecording/StartStream/StartTranscription whose webhook URL is not https.",
  find(root, emit, ctx) {
    walk(root, (el) => {
      const table = PROTECTED[el.name];
      if (!table) return;
      for (const [cred, urls] of Object.entries(table)) {
        const c = attr(el, cred);
        if (!c || c.value === "") continue;
        for (const u of urls) {
          const a = attr(el, u);
          if (!a || a.value.trim() === "") continue;
          const abs = schemeOf(a.value) ? a.value.trim() : ctx.baseUrl ? resolveUrl(a.value, ctx.baseUrl) : undefined;
          if (abs === undefined || schemeOf(abs) === "https") continue;
          emit(a.valuePos, `${cred} is set, so Bandwidth requires ${u} to be https, but it resolves to ${abs}: serve it over https (otherwise the credentials travel in clear and the webhook may not be sent).`);
        }
      }
    });
  },
});
