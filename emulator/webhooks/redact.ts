// Secrets in bodies never reach the timeline or reports (helpers rules; redactHeaders does headers):
// BXML attributes and JSON fields whose name contains "password" keep their name, lose their value.

const XML_ATTR = /(\b[\w:-]*password\s*=\s*)(["'])([^"']*)\2/gi;
const JSON_FIELD = /("[\w-]*password"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const QUERY_PARAM = /([?&][\w-]*password=)[^&#]*/gi;

export function redactSecrets(text: string): string;
export function redactSecrets(text: string | undefined): string | undefined;
export function redactSecrets(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/password/i.test(text)) return text;
  return text.replace(XML_ATTR, "$1$2[redacted]$2").replace(JSON_FIELD, '$1"[redacted]"').replace(QUERY_PARAM, "$1[redacted]");
}
