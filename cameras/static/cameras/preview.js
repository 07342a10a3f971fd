// The live preview of a profile on its Configure page: the same player as the live page,
// started and stopped with a button, so a profile is only pulled while someone looks at it.
// The decoded size is shown, to check an encoder change at a glance.
import { playVideo } from "./common.js";

const figure = document.querySelector("[data-preview]");
const toggle = document.querySelector("[data-preview-toggle]");

function start() {
  const video = figure.querySelector("video");
  const size = figure.querySelector("[data-preview-size]");
  video.onresize = () => { size.textContent = `${video.videoWidth}×${video.videoHeight}`; };
  figure.hidden = false;
  return playVideo(video, figure);
}

if (figure && toggle) {
  let player = null;
  toggle.addEventListener("click", () => {
    if (player) {
      player.stop();
      player = null;
      figure.hidden = true;
      figure.dataset.state = "stopped";
    } else {
      player = start();
    }
    toggle.setAttribute("aria-pressed", String(Boolean(player)));
    toggle.textContent = player ? "Stop the stream" : "Show the stream";
  });
}
