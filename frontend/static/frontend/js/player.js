// Live video over WebRTC. Signalling runs over the /ws/stream/ WebSocket; the gateway that
// serves the stream answers. The player reports its state in words and reconnects itself: soon
// after a lost connection (a short back-off), at once when the health poll reports its camera
// online again ("vms:device.status" from notifications.js). A camera the poll reports offline
// is let go (the gateway stops pulling it) until it answers again; MJPEG snapshots stand in
// when WebRTC itself fails, and WebRTC is tried again from time to time.
const RETRY_MS = [500, 1000, 2000, 3000, 5000];
const FALLBACK_AFTER = 3; // WebRTC failures in a row (camera online) before MJPEG stands in
const FALLBACK_RETRY_MS = 30000; // how often a tile on MJPEG tries WebRTC again
const OFFLINE_CHECK_MS = 15000; // how often a tile asks whether its offline camera is back

export class Player {
  constructor(
    video,
    { device, profile = null, iceServers = [], offline = false, onState = () => {}, onMetadata = () => {}, onTalk = () => {}, onTrack = () => {} },
  ) {
    this.video = video;
    this.device = device;
    this.profile = profile;
    this.iceServers = iceServers;
    this.onState = onState;
    this.onMetadata = onMetadata; // {time, objects: [{id, class, box: [l, t, r, b]}]} (-1..1, y up)
    this.onTalk = onTalk; // (live) => the microphone is (not) reaching the camera
    this.onTrack = onTrack; // (track, stream) => a track of the stream arrived (audio.js)
    this.lastMetadata = null;
    this.attempt = 0;
    this.failures = 0; // WebRTC attempts that failed in a row: at FALLBACK_AFTER, MJPEG
    this.offline = offline; // the health poll's word: the camera does not answer
    this.closed = false;
  }

  start() {
    this.closed = false;
    this.startedAt = performance.now();
    this.firstFrameMs = null; // time from start() to the first decoded frame shown
    if ("requestVideoFrameCallback" in this.video) {
      this.video.requestVideoFrameCallback(() => {
        this.firstFrameMs = performance.now() - this.startedAt;
      });
    }
    if (this.offline) this.goOffline("");
    else this.connect();
  }

  stop() {
    this.closed = true;
    if (this.talkPc) this.talk(false);
    this.release();
    this.image?.remove();
    this.image = null;
    this.video.hidden = false;
  }

  // Close the signalling socket and the peer connection (the gateway stops pulling a stream
  // nobody watches) and cancel any retry; nothing more happens until connect().
  release() {
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.pc?.close();
    this.pc = null;
  }

  // The health poll's word on the camera (cameras/health.py): "online", "offline", ...
  deviceStatus(status, error = "") {
    if (this.closed) return;
    if (status === "offline") return this.goOffline(error);
    if (status !== "online") return;
    const wasOffline = this.offline;
    this.offline = false;
    if (wasOffline || this.pc?.connectionState !== "connected" || this.image) this.restart();
  }

  goOffline(error) {
    this.offline = true;
    this.release();
    this.failures = 0;
    const why = error ? ` (${error})` : "";
    this.state("offline", `Camera offline${why}: video resumes as soon as it answers.`);
    this.timer = setTimeout(() => this.checkOnline(), OFFLINE_CHECK_MS);
  }

  // In case the online signal was missed (the notification socket was down): the status the
  // health poll keeps, read from the API (not the camera, not the gateway) now and then.
  async checkOnline() {
    let status = null;
    try {
      const response = await fetch(`/api/devices/${this.device}`, { headers: { Accept: "application/json" } });
      if (response.ok) status = (await response.json()).status;
    } catch {
      // the server is away too: ask again later
    }
    if (this.closed || !this.offline) return;
    if (status === "online") this.deviceStatus("online");
    else this.timer = setTimeout(() => this.checkOnline(), OFFLINE_CHECK_MS);
  }

  // Start over now: a fresh offer, the back-off and the failure count reset.
  restart() {
    this.release();
    this.attempt = 0;
    this.failures = 0;
    this.connect();
  }

  // Talk-back: the microphone to the camera's loudspeaker while `on`. Resolves once the
  // browser has the microphone (it asks the user) and the offer is sent.
  async talk(on) {
    this.talkPc?.close();
    this.microphone?.getTracks().forEach((track) => track.stop());
    this.talkPc = this.microphone = null;
    if (!on) {
      this.socket?.send(JSON.stringify({ type: "talk-end" }));
      this.onTalk(false);
      return;
    }
    if (!this.socket) throw new Error("the camera's stream is not connected (is it offline?)");
    this.microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = (this.talkPc = new RTCPeerConnection({ iceServers: this.iceServers }));
    this.microphone.getAudioTracks().forEach((track) => pc.addTrack(track, this.microphone));
    pc.addEventListener("connectionstatechange", () => {
      if (pc === this.talkPc) this.onTalk(pc.connectionState === "connected");
    });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === "complete") return resolve();
      pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve());
      setTimeout(resolve, 2000);
    });
    this.socket.send(JSON.stringify({ type: "talk", device: this.device, sdp: pc.localDescription.sdp }));
  }

  // Snapshots over HTTP (multipart MJPEG) in place of the video, when WebRTC cannot work;
  // WebRTC is tried again every FALLBACK_RETRY_MS (the snapshots stay until it plays).
  fallback(reason) {
    this.release();
    if (!this.image) {
      const image = document.createElement("img");
      image.className = "fallback";
      image.alt = "Live snapshots";
      const profile = this.profile ? `?profile=${encodeURIComponent(this.profile)}` : "";
      image.src = `/devices/${this.device}/mjpeg/${profile}`;
      this.video.hidden = true;
      this.video.after(image);
      this.image = image;
    }
    this.state("fallback", `Snapshots only (MJPEG): ${reason}`);
    this.timer = setTimeout(() => {
      this.failures = FALLBACK_AFTER - 1; // one more failure and the snapshots go on
      this.connect(true);
    }, FALLBACK_RETRY_MS);
  }

  // WebRTC plays: the snapshots, if any, make way for the video.
  playing() {
    this.attempt = 0;
    this.failures = 0;
    this.image?.remove();
    this.image = null;
    this.video.hidden = false;
    this.state("live", "Live");
  }

  state(state, detail = "") {
    this.onState(state, detail);
  }

  // `quietly`: a try from the MJPEG fallback, which keeps its state until WebRTC plays.
  connect(quietly = false) {
    if (this.closed) return;
    this.release();
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    if (!quietly) this.state("connecting", "Connecting…");
    const socket = (this.socket = new WebSocket(`${scheme}://${location.host}/ws/stream/`));
    socket.addEventListener("open", () => socket === this.socket && this.offer());
    socket.addEventListener("message", (event) => socket === this.socket && this.message(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (this.closed || socket !== this.socket) return; // stopped, or replaced on purpose
      if (event.code === 4401) return this.state("signed-out", "Signed out: reload the page.");
      if (event.code === 4403) return this.state("forbidden", "Your role may not watch this camera.");
      this.retry("Connection to the server lost");
    });
  }

  retry(reason) {
    this.release();
    if (this.offline) return this.goOffline(""); // the camera is away: no MJPEG, no hurry
    if (++this.failures >= FALLBACK_AFTER) return this.fallback(`${reason} ${FALLBACK_AFTER} times`);
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.state("reconnecting", `${reason}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  async offer() {
    this.pc?.close();
    const pc = (this.pc = new RTCPeerConnection({ iceServers: this.iceServers }));
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    const media = new MediaStream();
    pc.addEventListener("track", (event) => {
      media.addTrack(event.track);
      this.video.srcObject = media;
      this.onTrack(event.track, media);
    });
    const metadata = pc.createDataChannel("metadata");
    metadata.addEventListener("message", (event) => {
      this.lastMetadata = JSON.parse(event.data);
      this.onMetadata(this.lastMetadata);
    });
    pc.addEventListener("connectionstatechange", () => {
      if (pc !== this.pc) return;
      if (pc.connectionState === "connected") {
        this.playing();
      } else if (pc.connectionState === "failed") {
        this.retry("The video connection failed");
      }
    });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === "complete") return resolve();
      pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve());
      setTimeout(resolve, 2000); // send what was gathered
    });
    if (pc !== this.pc) return; // released while gathering
    this.socket.send(JSON.stringify({
      type: "offer", device: this.device, profile: this.profile, sdp: pc.localDescription.sdp,
    }));
  }

  async message(message) {
    if (message.type === "answer") {
      await this.pc?.setRemoteDescription({ type: "answer", sdp: message.sdp });
    } else if (message.type === "talk-answer") {
      await this.talkPc?.setRemoteDescription({ type: "answer", sdp: message.sdp });
    } else if (message.type === "state") {
      if (message.state === "reconnecting" && this.offline) this.goOffline(""); // still away
      else if (message.state === "reconnecting") this.state("reconnecting", "The camera is not answering; reconnecting…");
      // The gateway stopped the pull this session joined (it had no viewer for a while just
      // then): offer again for a fresh one.
      else if (message.state === "stopped") this.retry("The gateway stopped the stream");
      else if (message.state === "live" && this.pc?.connectionState === "connected") this.playing();
    } else if (message.type === "restart") {
      this.state("reconnecting", `${message.reason} Reconnecting…`);
      this.offer();
    } else if (message.type === "error") {
      if (message.fallback) this.fallback(message.message);
      else if (this.image) this.fallback(message.message); // still no WebRTC: keep the snapshots
      else this.state("error", message.message);
    }
  }
}

// The health poll's status changes reach every player of the camera.
let listening = false;

function followDeviceStatus() {
  if (listening) return;
  listening = true;
  document.addEventListener("vms:device.status", (event) => {
    const { device, status, error } = event.detail;
    for (const tile of document.querySelectorAll(`[data-player][data-device="${Number(device)}"]`)) {
      tile.player?.deviceStatus(status, error);
    }
  });
}

// Every element with data-player gets one (`onTrack`: see Player).
export function startPlayers(root = document, { onTrack = () => {} } = {}) {
  followDeviceStatus();
  const iceServers = JSON.parse(document.getElementById("ice-servers")?.textContent || "[]");
  for (const tile of root.querySelectorAll("[data-player]")) {
    if (tile.player) continue; // kept playing across a layout change
    const video = tile.querySelector("video");
    const label = tile.querySelector("[data-state]");
    const player = new Player(video, {
      device: Number(tile.dataset.device),
      profile: tile.dataset.profile || null,
      iceServers,
      offline: "offline" in tile.dataset,
      onTrack: (track, stream) => onTrack(tile, track, stream),
      onState: (state, detail) => {
        tile.dataset.state = state;
        if (label) label.textContent = detail;
      },
    });
    player.start();
    tile.player = player;
  }
}
