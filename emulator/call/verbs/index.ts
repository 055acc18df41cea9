// Verb name → executor (bandwidth.md §2.0), keyed by the catalogue's verb names: a verb without an
// executor does not compile. Nouns have no executor of their own.
import type { VerbName } from "../../bxml/catalogue/index.js";
import type { VerbExecutor } from "../executor.js";
import { Bridge } from "./Bridge.js";
import { Conference } from "./Conference.js";
import { Connect } from "./Connect.js";
import { Forward } from "./Forward.js";
import { Gather } from "./Gather.js";
import { Hangup } from "./Hangup.js";
import { Pause } from "./Pause.js";
import { PlayAudio } from "./PlayAudio.js";
import { Record } from "./Record.js";
import { Redirect } from "./Redirect.js";
import { Refer } from "./Refer.js";
import { Ring } from "./Ring.js";
import { SendDtmf } from "./SendDtmf.js";
import { SpeakSentence } from "./SpeakSentence.js";
import { StartGather, StopGather } from "./StartGather.js";
import { PauseRecording, ResumeRecording, StartRecording, StopRecording } from "./StartRecording.js";
import { StartStream } from "./StartStream.js";
import { StartTranscription, StopTranscription } from "./StartTranscription.js";
import { StopStream } from "./StopStream.js";
import { Tag } from "./Tag.js";
import { Transfer } from "./Transfer.js";

export const EXECUTORS: Readonly<Record<VerbName, VerbExecutor>> = {
  Bridge,
  Conference,
  Connect,
  Forward,
  Gather,
  Hangup,
  Pause,
  PauseRecording,
  PlayAudio,
  Record,
  Redirect,
  Refer,
  ResumeRecording,
  Ring,
  SendDtmf,
  SpeakSentence,
  StartGather,
  StartRecording,
  StartStream,
  StartTranscription,
  StopGather,
  StopRecording,
  StopStream,
  StopTranscription,
  Tag,
  Transfer,
};

export function executorFor(name: string): VerbExecutor | undefined {
  return Object.hasOwn(EXECUTORS, name) ? EXECUTORS[name as VerbName] : undefined;
}
