// The Configure pages hear of changes made on the camera (by this VMS or another client):
// Media2 ProfileChanged/ConfigurationChanged and Media1 Configuration/* events of this camera,
// over /ws/events/, put up a notice with a reload button. The VMS resyncs the camera itself.
import { followEvents } from "./common.js";

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

if (nav && notice) {
  notice.querySelector("button").addEventListener("click", () => location.reload());
  followEvents(Number(nav.dataset.configureDevice), (event) => { if (changed(event.topic)) tell(event); });
}
