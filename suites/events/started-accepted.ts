import { streamEventAck } from "./ack.js";
export default streamEventAck("events.started.accepted", "mediaStreamStarted", "basic");
