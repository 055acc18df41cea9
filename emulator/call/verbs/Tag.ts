// <Tag> (bandwidth.md §1.6, §2.26): sets the call's tag from the trimmed text; empty clears it.
import { text } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";

export const Tag: VerbExecutor = async ({ call, el }) => {
  call.setTag(text(el));
  return NEXT;
};
