// Live video over WebRTC. Signalling runs over the /ws/stream/ WebSocket; the gateway that
// serves the stream answers. The player reports its state in words and reconnects itself.
const RETRY_MS = [1000, 2000, 4000, 8000, 15000];

export class Player {
  constructor(
    video,
    { device, profile = null, iceServers = [], onState = () => {}, onMetadata = () => {}, onTalk = () => {} },
  ) {
    this.video = video;
    this.device = device;
    this.profile = profile;
    this.iceServers = iceServers;
    this.onState = onState;
    this.onMetadata = onMetadata; // {time, objects: [{id, class, box: [l, t, r, b]}]} (-1..1, y up)
    this.onTalk = onTalk; // (live) => the microphone is (not) reaching the camera
    this.lastMetadata = null;
    this.attempt = 0;
    this.failures = 0; // WebRTC attempts that failed in a row: at 3 the player shows MJPEG
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
    this.connect();
  }

  stop() {
    this.closed = true;
    if (this.talkPc) this.talk(false);
    this.socket?.close();
    this.pc?.close();
    this.image?.remove();
    this.video.hidden = false;
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

  // Snapshots over HTTP (multipart MJPEG) in place of the video, when WebRTC cannot work.
  fallback(reason) {
    this.stop();
    const image = document.createElement("img");
    image.className = "fallback";
    image.alt = "Live snapshots";
    const profile = this.profile ? `?profile=${encodeURIComponent(this.profile)}` : "";
    image.src = `/devices/${this.device}/mjpeg/${profile}`;
    this.video.hidden = true;
    this.video.after(image);
    this.image = image;
    this.state("fallback", `Snapshots only (MJPEG): ${reason}`);
  }

  state(state, detail = "") {
    this.onState(state, detail);
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.state("connecting", "Connecting…");
    this.socket = new WebSocket(`${scheme}://${location.host}/ws/stream/`);
    this.socket.addEventListener("open", () => this.offer());
    this.socket.addEventListener("message", (event) => this.message(JSON.parse(event.data)));
    this.socket.addEventListener("close", (event) => {
      if (this.closed) return;
      if (event.code === 4401) return this.state("offline", "Signed out: reload the page.");
      if (event.code === 4403) return this.state("forbidden", "Your role may not watch this camera.");
      this.retry("Connection to the server lost");
    });
  }

  retry(reason) {
    this.pc?.close();
    if (++this.failures >= 3) return this.fallback(`${reason} three times`);
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.state("reconnecting", `${reason}; retrying in ${Math.round(delay / 1000)} s`);
    setTimeout(() => {
      if (!this.closed) {
        this.socket?.close();
        this.connect();
      }
    }, delay);
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
    });
    const metadata = pc.createDataChannel("metadata");
    metadata.addEventListener("message", (event) => {
      this.lastMetadata = JSON.parse(event.data);
      this.onMetadata(this.lastMetadata);
    });
    pc.addEventListener("connectionstatechange", () => {
      if (pc !== this.pc) return;
      if (pc.connectionState === "connected") {
        this.attempt = 0;
        this.failures = 0;
        this.state("live", "Live");
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
    this.socket.send(JSON.stringify({
      type: "offer", device: this.device, profile: this.profile, sdp: pc.localDescription.sdp,
    }));
  }

  async message(message) {
    if (message.type === "answer") {
      await this.pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
    } else if (message.type === "talk-answer") {
      await this.talkPc?.setRemoteDescription({ type: "answer", sdp: message.sdp });
    } else if (message.type === "state") {
      if (message.state === "reconnecting") this.state("reconnecting", "The camera is not answering; reconnecting…");
      else if (message.state === "live" && this.pc?.connectionState === "connected") this.state("live", "Live");
    } else if (message.type === "restart") {
      this.state("reconnecting", `${message.reason} Reconnecting…`);
      this.offer();
    } else if (message.type === "error") {
      if (message.fallback) this.fallback(message.message);
      else this.state("error", message.message);
    }
  }
}

// Every element with data-player gets one.
export function startPlayers(root = document) {
  const iceServers = JSON.parse(document.getElementById("ice-servers")?.textContent || "[]");
  for (const tile of root.querySelectorAll("[data-player]")) {
    if (tile.player) continue; // kept playing across a layout change
    const video = tile.querySelector("video");
    const label = tile.querySelector("[data-state]");
    const player = new Player(video, {
      device: Number(tile.dataset.device),
      profile: tile.dataset.profile || null,
      iceServers,
      onState: (state, detail) => {
        tile.dataset.state = state;
        if (label) label.textContent = detail;
      },
    });
    player.start();
    tile.player = player;
  }
}
