// Preset tours on a PTZ tile: behind "Tours", the camera's tours, Start (or resume), Pause and
// Stop, and the state the camera reports (which tour runs, at which spot), re-read every POLL_MS
// while the list is open. The tours are made on the camera's Configure page (Preset tours).
import { element } from "./dom.js";

const POLL_MS = 1000;
const WORDS = { Idle: "idle", Touring: "touring", Paused: "paused" };

// `control`: the tile's PtzControl (its bar, socket, device and send()).
export function buildTours(control) {
  const id = `ptz-tours-${control.tile.dataset.cell}`;
  const panel = element("span", { class: "ptz-tours", id, hidden: "" });
  const toggle = element("button", { type: "button", "data-testid": "ptz-tours", "aria-expanded": "false", "aria-controls": id }, "Tours");
  const select = element("select", { "aria-label": "Preset tour", "data-testid": "ptz-tour" });
  const state = element("span", { class: "ptz-tour-state", role: "status", "data-testid": "ptz-tour-state" });
  let tours = [];
  let timer = null;

  const list = () => {
    if (!control.tile.isConnected) return clearInterval(timer); // the tile left the grid
    if (control.socket.open && !document.hidden) control.send({ type: "tour", action: "list" });
  };
  const operate = (action) => {
    const tour = tours.find((t) => t.token === select.value);
    if (!tour) return control.say("This camera has no preset tour yet: an admin makes them on its Configure page.");
    control.send({ type: "tour", action, token: tour.token, name: tour.name });
  };
  panel.append(select);
  for (const [label, action] of [["Start", "start"], ["Pause", "pause"], ["Stop", "stop"]]) {
    const b = element("button", { type: "button", "data-testid": `ptz-tour-${action}` }, label);
    b.addEventListener("click", () => operate(action));
    panel.append(b);
  }
  panel.append(state);
  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    clearInterval(timer);
    if (!panel.hidden) {
      list();
      timer = setInterval(list, POLL_MS);
    }
  });

  function show(fresh) {
    tours = fresh;
    const chosen = select.value;
    select.replaceChildren(...tours.map((t) => element("option", { value: t.token }, t.name)));
    const running = tours.find((t) => t.state !== "Idle");
    if (tours.some((t) => t.token === chosen)) select.value = chosen;
    else if (running) select.value = running.token;
    const shown = running || tours.find((t) => t.token === select.value);
    if (!shown) return (state.textContent = "No tours.");
    const where = shown.spot ? ` at ${shown.spot}` : "";
    state.textContent = `${shown.name}: ${WORDS[shown.state] || shown.state}${where}`;
    state.dataset.state = shown.state;
  }
  control.socket.addEventListener("tours", (e) => e.detail.device === control.device && show(e.detail.tours));
  control.bar.append(toggle, panel);
}
