// "Move to" on a PTZ tile: a dialog that sends an absolute position or a relative step in any
// coordinate space the camera's PTZ node offers (with the space's ranges on the fields), or a
// place on the earth (GeoMove) where the node offers it. The server checks the values again
// (ptz/positions.py) and the camera's answer is shown in the dialog.
import { element } from "./dom.js";

const KINDS = {
  absolute: { label: "Position", pt: "AbsolutePanTiltPositionSpace", zoom: "AbsoluteZoomPositionSpace" },
  relative: { label: "Step", pt: "RelativePanTiltTranslationSpace", zoom: "RelativeZoomTranslationSpace" },
};
const GEO_FIELDS = [
  ["latitude", "Latitude (°)", -90, 90], ["longitude", "Longitude (°)", -180, 180],
  ["elevation", "Elevation (m)"], ["area_width", "Area width (m)", 0], ["area_height", "Area height (m)", 0],
];
let nextId = 1;

function field(label, attributes) {
  const wrap = element("label", {}, label);
  const input = element("input", { type: "number", step: "any", ...attributes });
  wrap.append(input);
  return [wrap, input];
}

const rangeText = (span) => (Array.isArray(span) ? `${span[0]} to ${span[1]}` : "");

// `control`: the tile's PtzControl (socket, device, send, say).
export function buildMoveDialog(control) {
  const spaces = control.options.spaces || {};
  const kinds = Object.keys(KINDS).filter((k) => spaces[KINDS[k].pt] || spaces[KINDS[k].zoom]);
  if (!kinds.length && !control.options.geo) return;
  const name = control.tile.querySelector("figcaption a")?.textContent?.trim() || "the camera";
  const dialog = element("dialog", { class: "ptz-dialog", "data-testid": "ptz-move-dialog", "aria-label": `Move ${name}` });
  const form = element("form", { method: "dialog", novalidate: "" }); // the server says what is wrong
  const kindSelect = element("select", { "data-testid": "move-kind", id: `move-kind-${control.tile.dataset.cell}` });
  for (const k of kinds) kindSelect.append(element("option", { value: k }, KINDS[k].label));
  if (control.options.geo) kindSelect.append(element("option", { value: "geo" }, "Place (latitude, longitude)"));
  const kindLabel = element("label", { for: kindSelect.id }, "Move to a");

  const vector = element("div", { class: "ptz-dialog-fields" });
  const ptSpace = element("select", { "data-testid": "move-pt-space" });
  const zoomSpace = element("select", { "data-testid": "move-zoom-space" });
  const [panLabel, pan] = field("Pan", { "data-testid": "move-pan" });
  const [tiltLabel, tilt] = field("Tilt", { "data-testid": "move-tilt" });
  const [zoomLabel, zoom] = field("Zoom", { "data-testid": "move-zoom" });
  const [speedLabel, speed] = field("Speed (0–1, optional)", { min: "0", max: "1", "data-testid": "move-speed" });
  const ptRow = element("div", { class: "inline-form" });
  ptRow.append(panLabel, tiltLabel);
  const ptSpaceLabel = element("label", {}, "Pan/tilt space");
  const zoomSpaceLabel = element("label", {}, "Zoom space");
  ptSpaceLabel.append(ptSpace);
  zoomSpaceLabel.append(zoomSpace);
  vector.append(ptSpaceLabel, ptRow, zoomSpaceLabel, zoomLabel, speedLabel);

  const geo = element("div", { class: "ptz-dialog-fields", hidden: "" });
  const geoInputs = {};
  for (const [key, label, min, max] of GEO_FIELDS) {
    const [wrap, input] = field(label, { "data-testid": `move-${key.replace("_", "-")}`, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
    geoInputs[key] = input;
    geo.append(wrap);
  }
  const message = element("p", { class: "overlay-message", role: "alert", "data-testid": "move-message" });
  const actions = element("div", { class: "actions" });
  const go = element("button", { class: "primary", value: "go", "data-testid": "move-go" }, "Move");
  const close = element("button", { type: "button", value: "close" }, "Close");
  actions.append(go, close);
  form.append(element("h2", {}, `Move ${name}`), kindLabel, kindSelect, vector, geo, message, actions);
  dialog.append(form);
  document.body.append(dialog);

  function fillSpaces() {
    const kind = KINDS[kindSelect.value];
    geo.hidden = kindSelect.value !== "geo";
    vector.hidden = !geo.hidden;
    if (!kind) return;
    for (const [select, group] of [[ptSpace, kind.pt], [zoomSpace, kind.zoom]]) {
      select.replaceChildren(...(spaces[group] || []).map((s) => element("option", { value: s.uri }, s.name)));
      select.parentElement.hidden = !spaces[group];
    }
    ptRow.hidden = !spaces[kind.pt];
    zoomLabel.hidden = !spaces[kind.zoom];
    showRanges();
  }
  function showRanges() {
    const kind = KINDS[kindSelect.value];
    if (!kind) return;
    const pt = (spaces[kind.pt] || []).find((s) => s.uri === ptSpace.value);
    const z = (spaces[kind.zoom] || []).find((s) => s.uri === zoomSpace.value);
    for (const [input, span] of [[pan, pt?.x], [tilt, pt?.y], [zoom, z?.x]]) {
      input.placeholder = rangeText(span);
      input.min = Array.isArray(span) ? span[0] : "";
      input.max = Array.isArray(span) ? span[1] : "";
    }
  }
  kindSelect.addEventListener("change", fillSpaces);
  ptSpace.addEventListener("change", showRanges);
  zoomSpace.addEventListener("change", showRanges);
  close.addEventListener("click", () => dialog.close());

  const value = (input) => (input.value.trim() === "" ? null : Number(input.value));
  let waiting = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let body;
    if (kindSelect.value === "geo") {
      body = { type: "geo" };
      for (const [key, input] of Object.entries(geoInputs)) body[key] = value(input);
    } else {
      body = { type: "goto", mode: kindSelect.value, pan: value(pan), tilt: value(tilt), zoom: value(zoom), speed: value(speed) };
      if (body.pan !== null || body.tilt !== null) body.pan_tilt_space = ptSpace.value;
      if (body.zoom !== null) body.zoom_space = zoomSpace.value;
    }
    waiting = `move-${nextId++}`;
    message.dataset.kind = "info";
    message.textContent = "Sent; waiting for the camera…";
    if (!control.socket.send({ device: control.device, id: waiting, ...body })) {
      message.dataset.kind = "error";
      message.textContent = "PTZ is not connected yet; try again in a moment.";
    }
  });
  control.socket.addEventListener("done", (e) => {
    if (e.detail.id !== waiting) return;
    waiting = null;
    message.dataset.kind = "ok";
    message.textContent = "The camera is moving there.";
  });
  control.socket.addEventListener("error", (e) => {
    if (e.detail.id !== waiting) return;
    waiting = null;
    message.dataset.kind = "error";
    message.textContent = e.detail.message;
  });

  const open = element("button", { type: "button", "data-testid": "ptz-move-to", title: "Move to a position, by a step, or to a place" }, "Move to…");
  open.addEventListener("click", () => {
    fillSpaces();
    message.textContent = "";
    dialog.showModal();
  });
  control.bar.append(open);
  control.disposers = [...(control.disposers || []), () => dialog.remove()];
}
