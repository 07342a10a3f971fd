// The Configure pages hear of changes made on the camera (by this VMS or another client):
// Media2 ProfileChanged/ConfigurationChanged and Media1 Configuration/* events of this camera,
// over /ws/events/, put up a notice with a reload button. The VMS resyncs the camera itself.
const nav = document.querySelector("[data-configure-device]");
const notice = document.getElementById("camera-changed");

function changed(topic) {
  return topic === "tns1:Media/ProfileChanged" || topic === "tns1:Media/ConfigurationChanged"
    || topic.startsWith("tns1:Configuration/");
}

function tell(event) {
  const what = event.topic.replace(/^tns1:/, "");
  const when = new Date(event.received).toLocaleTimeString();
  notice.querySelector("[data-what]").textContent = `${what} at ${when}`;
  notice.hidden = false;
}

function connect(delay) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/events/`);
  socket.addEventListener("open", () => { delay = 500; });
  socket.addEventListener("message", (message) => {
    let data;
    try { data = JSON.parse(message.data); } catch { return; }
    if (data.type !== "events") return;
    const device = Number(nav.dataset.configureDevice);
    for (const event of data.events) {
      if (event.device === device && changed(event.topic)) tell(event);
    }
  });
  socket.addEventListener("close", (close) => {
    if (close.code >= 4400 && close.code < 4500) return;  // signed out or refused: no retry
    setTimeout(() => connect(Math.min(delay * 2, 10_000)), delay);
  });
}

if (nav && notice) {
  notice.querySelector("button").addEventListener("click", () => location.reload());
  connect(500);
}
