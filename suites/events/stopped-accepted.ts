import { streamEventAck } from "./ack.js";
export default streamEventAck("events.stopped.accepted", "mediaStreamStopped", "basic");
