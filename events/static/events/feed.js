// The live alarm feed: events and subscription states of the visible cameras, over /ws/events/.
const feed = document.getElementById("alarm-feed");
const sound = document.getElementById("alarm-sound");
const ackTemplate = document.getElementById("ack-form");
const MAX_ITEMS = 200;
let delay = 1000;

sound.checked = localStorage.getItem("vms.alarmSound") === "on";
sound.addEventListener("change", () => localStorage.setItem("vms.alarmSound", sound.checked ? "on" : "off"));

function beep() {
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  tone.frequency.value = 880;
  tone.connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.15);
}

function item(event) {
  const li = document.createElement("li");
  li.dataset.event = event.id;
  const when = document.createElement("time");
  when.dateTime = event.received;
  when.textContent = new Date(event.received).toLocaleTimeString();
  const name = document.createElement("strong");
  name.textContent = event.name;
  const details = [event.rule, event.state === null ? "" : event.state ? "on" : "off"].filter(Boolean);
  const camera = document.createElement("a");
  camera.href = `${feed.dataset.liveUrl}?camera=${event.device}`;
  camera.textContent = event.device_name;
  li.append(when, " ", name, details.length ? ` · ${details.join(" · ")} ` : " ", camera, " ");
  const form = ackTemplate.content.firstElementChild;
  if (form) {
    const copy = form.cloneNode(true);
    copy.action = feed.dataset.ackUrl.replace("/0/", `/${event.id}/`);
    li.append(copy);
  }
  return li;
}

function show(events) {
  let alarm = false;
  for (const event of events) {
    feed.prepend(item(event));
    alarm ||= event.operation !== "Initialized";
  }
  while (feed.children.length > MAX_ITEMS) feed.lastElementChild.remove();
  if (alarm && sound.checked) beep();
}

function showSubscription(state) {
  const row = document.querySelector(`[data-subscription="${state.device}"]`);
  if (!row) return;
  row.querySelector('[data-field="status"]').textContent = state.status_label;
  row.querySelector('[data-field="status"]').className = `sub-status sub-${state.status}`;
  row.querySelector('[data-field="reason"]').textContent = state.reason;
}

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
    else if (data.type === "subscription") showSubscription(data.state);
  });
  socket.addEventListener("close", (event) => {
    feed.dataset.socket = "closed";
    if (event.code === 4401 || event.code === 4403) return;
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  });
}

connect();
