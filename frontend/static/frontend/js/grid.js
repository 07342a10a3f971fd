// The live grid: layouts of 1, 4, 9 and 16 cells, cameras placed by drag and drop (or the cell's
// picker), named views, fullscreen for a tile (on the main stream) and for the grid, digital zoom
// with the wheel or a pinch inside a tile, and snapshot download. Layout changes are saved for the
// user (frontend/layouts) and the grid is redrawn in place: tiles that stay (same camera, same
// stream) keep playing, only new ones connect.
const csrf = () => document.cookie.match(/(?:^|; )csrftoken=([^;]+)/)?.[1] || "";
const say = (text) => {
  const slot = document.querySelector("[data-live-message]");
  if (slot) slot.textContent = text;
};

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf()) },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}.`);
  return answer;
}

function currentCells() {
  return JSON.parse(document.getElementById("live-cells").textContent);
}

// What the page (live.html) starts on tiles and stops when they go: players, overlays, PTZ.
let hooks = { startTiles: () => {}, dropTile: () => {} };
let streams = {};

async function saveLayout(grid, cells) {
  try {
    await post("/live/layout/", { grid, cells });
  } catch (error) {
    return say(`Could not save the layout: ${error.message}`);
  }
  // A named view or a single camera is left for the working layout: a page of its own.
  if (location.search) return location.assign("/");
  let page;
  try {
    page = await livePage("/");
  } catch (error) {
    console.warn(`The layout is drawn by a page load: ${error.message}`);
    return location.assign("/"); // the saved layout, drawn by a full page load
  }
  // A fault in starting the new tiles is a bug to see, not to hide behind a page load.
  try {
    redraw(page);
  } catch (error) {
    console.error(error);
    say(`The layout was saved but not redrawn (${error.message}): reload the page.`);
  }
}

// The live page as the server draws it now, parsed (not yet shown).
async function livePage(url) {
  const response = await fetch(url, { headers: { Accept: "text/html" } });
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  if (!page.querySelector("[data-grid-size]")) throw new Error("The live page has no grid.");
  return page;
}

// The working layout swapped into this page: cells whose camera and stream did not change keep
// their tile (and its playing video, zoom and PTZ state).
function redraw(page) {
  const fresh = page.querySelector("[data-grid-size]");
  const grid = document.querySelector("[data-grid-size]");
  for (const id of ["live-cells", "live-streams", "ptz-controls"]) {
    const theirs = page.getElementById(id);
    const mine = document.getElementById(id);
    if (theirs && mine) mine.textContent = theirs.textContent;
    else if (theirs) grid.closest(".live").before(document.importNode(theirs, true));
  }
  streams = JSON.parse(document.getElementById("live-streams")?.textContent || "{}");
  const key = (tile) => `${tile.dataset.device}/${tile.dataset.profile}`;
  const running = new Map();
  for (const tile of grid.querySelectorAll("[data-player]")) {
    running.set(key(tile), [...(running.get(key(tile)) || []), tile]);
  }
  const cells = [...fresh.children].map((cell) => {
    const kept = cell.matches("[data-player]") && running.get(key(cell))?.shift();
    if (!kept) return document.importNode(cell, true);
    kept.dataset.cell = cell.dataset.cell;
    return kept;
  });
  for (const gone of [...running.values()].flat()) hooks.dropTile(gone);
  grid.replaceChildren(...cells);
  grid.className = fresh.className;
  grid.dataset.gridSize = fresh.dataset.gridSize;
  for (const button of document.querySelectorAll("[data-grid]")) {
    button.setAttribute("aria-pressed", String(button.dataset.grid === grid.dataset.gridSize));
  }
  startCells(grid);
  hooks.startTiles(grid);
  fitToScreen(grid);
}

// `key`: a live entry ("12", or "12:VideoSource_2" for another sensor of camera 12) or null.
function place(cellIndex, key, fromCell = null) {
  if ("readonly" in document.querySelector("[data-grid-size]").dataset) {
    return say("This view shows one camera for a moment: go back to your layout to arrange it.");
  }
  const cells = currentCells();
  const grid = Number(document.querySelector("[data-grid-size]").dataset.gridSize);
  if (fromCell !== null) [cells[cellIndex], cells[fromCell]] = [cells[fromCell], cells[cellIndex]];
  else cells[cellIndex] = key;
  saveLayout(grid, cells);
}

// -- drag and drop ------------------------------------------------------------------------------
function startCameraList() {
  for (const item of document.querySelectorAll("[data-camera]")) {
    item.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/vms-camera", item.dataset.camera));
  }
}

// Each cell once (a tile kept across a layout change already has its listeners).
const started = new WeakSet();

function startCells(grid) {
  for (const cell of grid.querySelectorAll("[data-cell]")) {
    if (started.has(cell)) continue;
    started.add(cell);
    startDragAndDrop(cell);
    if (cell.matches("[data-player]")) {
      cell.querySelector("[data-tile-fullscreen]")?.addEventListener("click", () => {
        if (document.fullscreenElement === cell) document.exitFullscreen();
        else cell.requestFullscreen();
      });
      startDigitalZoom(cell);
      cell.querySelector("[data-tile-snapshot]")?.addEventListener("click", () => snapshot(cell));
    }
  }
}

function startDragAndDrop(cell) {
  const caption = cell.matches(".tile[data-player]") && cell.querySelector("figcaption");
  if (caption) {
    caption.draggable = true; // a tile is moved by its caption (the video belongs to PTZ)
    caption.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/vms-cell", cell.dataset.cell));
  }
  cell.addEventListener("dragover", (e) => {
    e.preventDefault();
    cell.classList.add("drop-target");
  });
  cell.addEventListener("dragleave", () => cell.classList.remove("drop-target"));
  cell.addEventListener("drop", (e) => {
    e.preventDefault();
    cell.classList.remove("drop-target");
    const camera = e.dataTransfer.getData("text/vms-camera");
    const from = e.dataTransfer.getData("text/vms-cell");
    if (camera) place(Number(cell.dataset.cell), camera);
    else if (from !== "") place(Number(cell.dataset.cell), null, Number(from));
  });
  cell.querySelector("[data-cell-picker]")?.addEventListener("change", (e) => {
    place(Number(cell.dataset.cell), e.target.value || null);
  });
}

// -- views ----------------------------------------------------------------------------------------
function startViews() {
  const select = document.querySelector("[data-view-select]");
  select?.addEventListener("change", () => location.assign(select.value ? `/?view=${select.value}` : "/"));
  document.querySelector("[data-view-save]")?.addEventListener("click", async () => {
    const name = document.querySelector("[data-view-name]").value.trim();
    if (!name) return say("Type a name for the view first.");
    const grid = Number(document.querySelector("[data-grid-size]").dataset.gridSize);
    const shared = document.querySelector("[data-view-shared]").checked;
    try {
      const view = await post("/live/views/", { name, grid, cells: currentCells(), shared });
      location.assign(`/?view=${view.id}`);
    } catch (error) {
      say(`Could not save the view: ${error.message}`);
    }
  });
  const remove = document.querySelector("[data-view-delete]");
  remove?.addEventListener("click", async () => {
    if (!confirm("Delete this view?")) return;
    try {
      await post(`/live/views/${remove.dataset.viewDelete}/delete/`, {});
      location.assign("/");
    } catch (error) {
      say(`Could not delete the view: ${error.message}`);
    }
  });
  for (const button of document.querySelectorAll("[data-grid]")) {
    button.addEventListener("click", () => saveLayout(Number(button.dataset.grid), currentCells()));
  }
}

// -- fullscreen, digital zoom, snapshot -----------------------------------------------------------
function switchProfile(tile, profile) {
  const player = tile.player;
  if (!player || !profile || player.profile === profile) return;
  player.stop();
  player.profile = tile.dataset.profile = profile;
  player.start();
}

function startFullscreen(grid) {
  document.querySelector("[data-fullscreen-grid]")?.addEventListener("click", () => grid.requestFullscreen());
  document.addEventListener("fullscreenchange", () => {
    const size = Number(grid.dataset.gridSize);
    for (const tile of grid.querySelectorAll("[data-player]")) {
      const stream = streams[tile.dataset.key];
      if (!stream) continue;
      const enlarged = document.fullscreenElement === tile || size === 1;
      switchProfile(tile, enlarged ? stream.main : stream.sub);
    }
  });
}

function startDigitalZoom(tile) {
  const video = tile.querySelector("video");
  const view = tile.querySelector(".tile-view");
  let scale = 1;
  let origin = "50% 50%";
  const apply = () => {
    video.style.transformOrigin = origin;
    video.style.transform = scale > 1 ? `scale(${scale})` : "";
    tile.dataset.zoom = scale.toFixed(2);
  };
  // The wheel (a trackpad pinch arrives as a wheel event with ctrlKey) zooms around the pointer.
  view.addEventListener("wheel", (e) => {
    e.preventDefault();
    const rect = video.getBoundingClientRect();
    const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.002));
    scale = Math.min(8, Math.max(1, scale * factor));
    if (scale > 1 && rect.width) {
      const x = ((e.clientX - rect.left) / rect.width) * 100;
      const y = ((e.clientY - rect.top) / rect.height) * 100;
      origin = `${Math.min(100, Math.max(0, x))}% ${Math.min(100, Math.max(0, y))}%`;
    }
    apply();
  }, { passive: false });
  view.addEventListener("dblclick", () => {
    scale = 1;
    apply();
  });
  // A two-finger pinch on a touch screen.
  const touches = new Map();
  let startDistance = 0;
  let startScale = 1;
  view.addEventListener("pointerdown", (e) => e.pointerType === "touch" && touches.set(e.pointerId, e));
  view.addEventListener("pointermove", (e) => {
    if (!touches.has(e.pointerId)) return;
    touches.set(e.pointerId, e);
    if (touches.size !== 2) return;
    const [a, b] = [...touches.values()];
    const distance = Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY);
    if (!startDistance) [startDistance, startScale] = [distance, scale];
    scale = Math.min(8, Math.max(1, (startScale * distance) / startDistance));
    apply();
  });
  for (const end of ["pointerup", "pointercancel"]) {
    view.addEventListener(end, (e) => {
      touches.delete(e.pointerId);
      if (touches.size < 2) startDistance = 0;
    });
  }
}

function snapshot(tile) {
  const video = tile.querySelector("video");
  if (!video.videoWidth) return say("No picture yet to take a snapshot of.");
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  canvas.toBlob((blob) => {
    const link = document.createElement("a");
    const name = tile.querySelector("figcaption a")?.textContent.trim().replace(/[^\w.-]+/g, "-") || "camera";
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    link.download = `${name}-${stamp}.png`;
    link.href = URL.createObjectURL(blob);
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }, "image/png");
}

// `pageHooks`: {startTiles(root), dropTile(tile)}, what live.html starts on new tiles (players,
// overlays, PTZ) and stops on tiles a layout change removes.
export function startGrid(pageHooks = {}) {
  const grid = document.querySelector("[data-grid-size]");
  if (!grid) return;
  hooks = { ...hooks, ...pageHooks };
  streams = JSON.parse(document.getElementById("live-streams")?.textContent || "{}");
  startCameraList();
  startCells(grid);
  startViews();
  startFullscreen(grid);
  fitToScreen(grid);
  addEventListener("resize", () => fitToScreen(grid));
}

// The grid is as wide as lets all its rows fit below its top edge (vms.css: --grid-top).
function fitToScreen(grid) {
  grid.style.setProperty("--grid-top", `${Math.round(grid.getBoundingClientRect().top + scrollY)}px`);
}
