// The alarm console over /ws/events/: new events of the visible cameras, acknowledgements made
// by anyone (with the unacknowledged count they leave) and the cameras' subscription states.
import { startSnapshots } from "./snapshot.js";
import { formatTime } from "./time.js";
import { element } from "../frontend/js/dom.js";

const feed = document.getElementById("alarm-feed");
const count = document.getElementById("unacknowledged");
const sound = document.getElementById("alarm-sound");
const ackTemplate = document.getElementById("ack-form");
const bulk = document.getElementById("bulk-ack"); // absent for roles that may not acknowledge
const timeZone = feed.dataset.timeZone;
const title = document.title.replace(/^\(\d+\) /, "");
const MAX_ITEMS = 200;
let delay = 1000;

sound.checked = localStorage.getItem("vms.alarmSound") === "on";
sound.addEventListener("change", () => localStorage.setItem("vms.alarmSound", sound.checked ? "on" : "off"));

// An "off" transition (a property event whose state went false, e.g. motion stopped) is shown
// but is no alarm: no sound, not counted, nothing to acknowledge (as Event.is_alarm).
const isAlarm = (event) => event.state !== false;

function setCount(value) {
  const n = Math.max(0, value);
  count.textContent = String(n);
  document.title = n ? `(${n}) ${title}` : title;
}

function beep() {
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  tone.frequency.value = 880;
  tone.connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.15);
}

// The checkbox ("Acknowledge selected") and the hidden id ("Acknowledge all shown") of an
// unacknowledged alarm, both sent with the bulk form.
function picks(event) {
  return [
    element("input", {
      type: "checkbox", class: "pick", name: "event", value: event.id, form: "bulk-ack",
      "aria-label": `Select ${event.name} on ${event.device_name}`,
    }),
    element("input", { type: "hidden", name: "shown", value: event.id, form: "bulk-ack" }),
  ];
}

function item(event) {
  const alarm = isAlarm(event);
  const li = element("li", { "data-event": event.id, "data-alarm": String(alarm), class: alarm ? "feed-open" : "feed-off" });
  if (alarm && bulk) li.append(...picks(event));
  const when = element("time", { datetime: event.received }, formatTime(event.received, timeZone));
  const details = [event.rule, event.state === null ? "" : event.state ? "on" : "off"].filter(Boolean);
  const camera = element("a", {
    href: `${feed.dataset.liveUrl}?camera=${event.device}`, title: "Open live", "data-testid": "open-live",
  }, event.device_name);
  const slot = element("span", { class: "ack-slot", "data-ack-slot": "" });
  const form = ackTemplate.content.firstElementChild;
  if (alarm && form) {
    const copy = form.cloneNode(true);
    copy.action = feed.dataset.ackUrl.replace("/0/", `/${event.id}/`);
    slot.append(copy);
  }
  li.append(when, " ", element("strong", {}, event.name), details.length ? ` · ${details.join(" · ")} ` : " ", camera, " ", slot);
  return li;
}

function show(events) {
  let alarms = 0;
  let loud = false;
  for (const event of events) {
    feed.prepend(item(event));
    if (!isAlarm(event)) continue;
    alarms += 1;
    loud ||= event.operation !== "Initialized";
  }
  while (feed.children.length > MAX_ITEMS) feed.lastElementChild.remove();
  if (alarms) setCount(Number(count.textContent) + alarms);
  if (loud && sound.checked) beep();
}

// Someone (this operator or another) acknowledged events: wherever they are shown, in the feed
// or the timeline, they say by whom, when and why, and can no longer be ticked.
function showAcknowledged(message) {
  for (const id of message.events) {
    for (const row of document.querySelectorAll(`[data-event="${id}"]`)) {
      row.querySelectorAll('input[form="bulk-ack"]').forEach((input) => input.remove());
      row.classList.remove("feed-open");
      const note = element("span", { class: "muted", "data-testid": "acknowledged" }, `Acknowledged by ${message.by} at `);
      note.append(element("time", { datetime: message.at }, formatTime(message.at, timeZone)));
      if (message.comment) note.append(`: “${message.comment}”`);
      row.querySelector("[data-ack-slot]")?.replaceChildren(note);
    }
  }
  setCount(message.unacknowledged);
}

function showSubscription(state) {
  const row = document.querySelector(`[data-subscription="${state.device}"]`);
  if (!row) return;
  row.querySelector('[data-field="status"]').textContent = state.status_label;
  row.querySelector('[data-field="status"]').className = `sub-status sub-${state.status}`;
  row.querySelector('[data-field="reason"]').textContent = state.reason;
}

// "Acknowledge all shown" says how many it is about to acknowledge, and asks.
bulk?.querySelector('button[value="shown"]').addEventListener("click", (event) => {
  const shown = new Set([...document.querySelectorAll('input[name="shown"][form="bulk-ack"]')].map((i) => i.value));
  const n = shown.size;
  if (n && !confirm(`Acknowledge all ${n} unacknowledged alarm${n === 1 ? "" : "s"} shown?`)) event.preventDefault();
});

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/events/`);
  socket.addEventListener("open", () => {
    delay = 1000;
    feed.dataset.socket = "open";
  });
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "events") show(data.events);
    else if (data.type === "acknowledged") showAcknowledged(data);
    else if (data.type === "unacknowledged") setCount(data.count);
    else if (data.type === "subscription") showSubscription(data.state);
  });
  socket.addEventListener("close", (event) => {
    feed.dataset.socket = "closed";
    if (event.code === 4401 || event.code === 4403) return;
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  });
}

startSnapshots();
connect();
