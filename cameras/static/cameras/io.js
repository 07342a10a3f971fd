// The inputs and outputs page (cameras/io.html): relay and input states follow the camera's
// tns1:Device/Trigger/Relay and .../DigitalInput events as they arrive on /ws/events/.
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

function connect(delay) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/events/`);
  socket.addEventListener("open", () => { delay = 500; });
  socket.addEventListener("message", (message) => {
    let data;
    try { data = JSON.parse(message.data); } catch { return; }
    if (data.type !== "events") return;
    for (const event of data.events) if (event.device === Number(root.dataset.device)) update(event);
  });
  socket.addEventListener("close", (close) => {
    if (close.code >= 4400 && close.code < 4500) return; // signed out or refused: no retry
    setTimeout(() => connect(Math.min(delay * 2, 10_000)), delay);
  });
}

if (root) connect(500);
