// The inputs and outputs page (cameras/io.html): relay and input states follow the camera's
// tns1:Device/Trigger/Relay and .../DigitalInput events as they arrive on /ws/events/.
import { followEvents } from "./common.js";

const root = document.querySelector("[data-io]");
const TOPICS = {
  "tns1:Device/Trigger/Relay": ["RelayToken", "data-relay-state"],
  "tns1:Device/Trigger/DigitalInput": ["InputToken", "data-input-state"],
};

function update(event) {
  const [item, attribute] = TOPICS[event.topic] || [];
  const token = item && event.source?.[item];
  if (!token || event.state === null || event.state === undefined) return;
  for (const chip of root.querySelectorAll(`[${attribute}]`)) {
    if (chip.getAttribute(attribute) === token) chip.textContent = event.state ? "active" : "inactive";
  }
}

if (root) followEvents(Number(root.dataset.device), update);
