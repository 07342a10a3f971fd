// The live grid: layouts of 1, 4, 9 and 16 cells, cameras placed by drag and drop (or the cell's
// picker), named views, fullscreen for a tile (on the main stream) and for the grid, digital zoom
// with the wheel or a pinch inside a tile, and snapshot download. Layout changes are saved for the
// user (frontend/layouts) and the page is drawn again with them.
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

async function saveLayout(grid, cells) {
  try {
    await post("/live/layout/", { grid, cells });
    location.assign("/"); // the working layout
  } catch (error) {
    say(`Could not save the layout: ${error.message}`);
  }
}

function place(cellIndex, deviceId, fromCell = null) {
  const cells = currentCells();
  const grid = Number(document.querySelector("[data-grid-size]").dataset.gridSize);
  if (fromCell !== null) [cells[cellIndex], cells[fromCell]] = [cells[fromCell], cells[cellIndex]];
  else cells[cellIndex] = deviceId;
  saveLayout(grid, cells);
}

// -- drag and drop ------------------------------------------------------------------------------
function startDragAndDrop(grid) {
  for (const item of document.querySelectorAll("[data-camera]")) {
    item.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/vms-camera", item.dataset.camera));
  }
  for (const caption of grid.querySelectorAll(".tile figcaption")) {
    caption.draggable = true; // a tile is moved by its caption (the video belongs to PTZ)
    caption.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/vms-cell", caption.closest("[data-cell]").dataset.cell));
  }
  for (const cell of grid.querySelectorAll("[data-cell]")) {
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
      if (camera) place(Number(cell.dataset.cell), Number(camera));
      else if (from !== "") place(Number(cell.dataset.cell), null, Number(from));
    });
    cell.querySelector("[data-cell-picker]")?.addEventListener("change", (e) => {
      place(Number(cell.dataset.cell), e.target.value ? Number(e.target.value) : null);
    });
  }
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

function startFullscreen(grid, streams) {
  document.querySelector("[data-fullscreen-grid]")?.addEventListener("click", () => grid.requestFullscreen());
  for (const tile of grid.querySelectorAll("[data-player]")) {
    tile.querySelector("[data-tile-fullscreen]")?.addEventListener("click", () => {
      if (document.fullscreenElement === tile) document.exitFullscreen();
      else tile.requestFullscreen();
    });
  }
  document.addEventListener("fullscreenchange", () => {
    const size = Number(grid.dataset.gridSize);
    for (const tile of grid.querySelectorAll("[data-player]")) {
      const stream = streams[tile.dataset.device];
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

export function startGrid() {
  const grid = document.querySelector("[data-grid-size]");
  if (!grid) return;
  const streams = JSON.parse(document.getElementById("live-streams")?.textContent || "{}");
  startDragAndDrop(grid);
  startViews();
  startFullscreen(grid, streams);
  for (const tile of grid.querySelectorAll("[data-player]")) {
    startDigitalZoom(tile);
    tile.querySelector("[data-tile-snapshot]")?.addEventListener("click", () => snapshot(tile));
  }
}
