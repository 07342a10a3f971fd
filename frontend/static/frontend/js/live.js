// The live page (live.html): players (with their sound controls), overlays and PTZ on every
// tile, kept in step with the grid.
import { soundTrack } from "./audio.js";
import { startPlayers } from "./player.js";
import { startGrid } from "./grid.js";
import { startPtz } from "./joystick.js";
import { startEventBadges, startOverlays } from "./overlay.js";

const startTiles = (root) => {
  startPlayers(root, { onTrack: soundTrack });
  startOverlays(root);
  startPtz(root);
};
const dropTile = (tile) => {
  tile.ptz?.dispose();
  tile.player?.stop();
};
startTiles(document);
startEventBadges();
startGrid({ startTiles, dropTile });
