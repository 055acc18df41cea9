import { streamEventAck } from "./ack.js";
export default streamEventAck("events.rejected.accepted", "mediaStreamRejected", "stream-rejected");
