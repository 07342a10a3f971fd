// The per-user notification socket: keeps one WebSocket open, shows its state in the top bar
// and re-dispatches every message as a DOM event ("vms:<type>") for the page's modules.
const indicator = document.getElementById("socket-state");
const MAX_DELAY_MS = 30000;
let delay = 1000;

function setState(state, title) {
  if (!indicator) return;
  indicator.dataset.state = state;
  indicator.title = `Live connection: ${title}`;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/notifications/`);
  setState("connecting", "connecting");
  socket.addEventListener("open", () => {
    delay = 1000;
    setState("open", "connected");
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    document.dispatchEvent(new CustomEvent(`vms:${message.type}`, { detail: message }));
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) {
      setState("closed", "signed out; reload the page to sign in again");
      return;
    }
    setState("closed", `lost; retrying in ${Math.round(delay / 1000)} s`);
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  });
}

connect();
