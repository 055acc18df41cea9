// Attributes shared by the two Transfer targets, PhoneNumber and SipUri (§2.28, §2.29).
import type { AttributeSpec } from "../spec.js";
import { credentials, fallbackCredentials, method, tag, url } from "./common.js";

export const transferTargetAttributes: Readonly<Record<string, AttributeSpec>> = {
  transferAnswerUrl: url("receives transferAnswer when this party answers; the reply runs on the B-leg only"),
  transferAnswerMethod: method,
  transferAnswerFallbackUrl: url(),
  transferAnswerFallbackMethod: method,
  transferDisconnectUrl: url("receives transferDisconnect whenever this leg ends (no BXML)"),
  transferDisconnectMethod: method,
  ...credentials,
  ...fallbackCredentials,
  tag,
};
