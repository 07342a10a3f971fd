// What the camera pages share: JSON calls to the VMS API (CSRF, errors in words), a message
// line, a live video player, and the events socket.
import { Player } from "../frontend/js/player.js";

// Call the API; answers the JSON, or throws an Error whose message says what went wrong.
export async function request(method, url, body) {
  const token = document.cookie.match(/csrftoken=([^;]+)/)?.[1] || "";
  const options = { method, headers: { "X-CSRFToken": token } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new Error("The VMS did not answer: check the connection and try again.");
  }
  let data = {};
  try { data = await response.json(); } catch { /* an empty or non-JSON answer */ }
  if (!response.ok) {
    throw new Error(typeof data.detail === "string" ? data.detail : `The VMS answered ${response.status}.`);
  }
  return data;
}

// A function that shows a message in `element` (kind: error, info, ok).
export function messenger(element) {
  return (text, kind = "error") => {
    element.textContent = text;
    element.dataset.kind = kind;
  };
}

// Play `video` (data-device, data-profile) with the live player; `root` gets data-state and
// its [data-state] element the state in words. Stopped when the page goes.
export function playVideo(video, root) {
  const label = root.querySelector("[data-state]");
  const player = new Player(video, {
    device: Number(video.dataset.device),
    profile: video.dataset.profile,
    iceServers: JSON.parse(document.getElementById("ice-servers")?.textContent || "[]"),
    onState: (state, detail) => {
      root.dataset.state = state;
      if (label) label.textContent = detail;
    },
  });
  player.start();
  window.addEventListener("pagehide", () => player.stop());
  return player;
}

// Every event of camera `device` from /ws/events/, to `onEvent`; reconnects with back-off.
export function followEvents(device, onEvent, delay = 500) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/events/`);
  socket.addEventListener("open", () => { delay = 500; });
  socket.addEventListener("message", (message) => {
    let data;
    try { data = JSON.parse(message.data); } catch { return; }
    if (data.type !== "events") return;
    for (const event of data.events) if (event.device === device) onEvent(event);
  });
  socket.addEventListener("close", (close) => {
    if (close.code >= 4400 && close.code < 4500) return; // signed out or refused: no retry
    setTimeout(() => followEvents(device, onEvent, Math.min(delay * 2, 10_000)), delay);
  });
}
