// The PTZ socket (/ws/ptz/, ptz/consumers.py) shared by every tile's controls (joystick.js): it
// reconnects itself and re-emits each message as an event of its type.
const RETRY_MS = [1000, 2000, 4000, 8000];

export class PtzSocket extends EventTarget {
  constructor() {
    super();
    this.attempt = 0;
    this.nextId = 1;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new WebSocket(`${scheme}://${location.host}/ws/ptz/`);
    this.socket.addEventListener("open", () => {
      this.attempt = 0;
      this.emit("open", {});
    });
    this.socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      this.emit(message.type, message);
    });
    this.socket.addEventListener("close", (event) => {
      if (event.code === 4403) return this.emit("lost", { message: "Your role may not steer cameras.", final: true });
      if (event.code === 4401) return this.emit("lost", { message: "Signed out: reload the page.", final: true });
      const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
      this.emit("lost", { message: `PTZ connection lost; retrying in ${Math.round(delay / 1000)} s.` });
      setTimeout(() => this.connect(), delay);
    });
  }

  get open() {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.open) return false;
    this.socket.send(JSON.stringify({ id: this.nextId++, ...message }));
    return true;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

