// Reads the simulator's timecode (48 black/white blocks, top left) from a <video>: ms or null.
(video) => {
  const w = video.videoWidth, h = video.videoHeight;
  const canvas = document.createElement("canvas");
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(video, 0, 0);
  let bs = Math.floor(Math.max(4, Math.floor(w / 80)) / 2) * 2;
  if (bs * 48 > w) bs = Math.max(2, Math.floor(Math.floor(w / 48) / 2) * 2);
  const row = ctx.getImageData(0, Math.floor(bs / 2), bs * 48, 1).data;
  let value = 0n;
  for (let i = 0; i < 48; i++) {
    const p = (i * bs + Math.floor(bs / 2)) * 4;
    const luma = 0.299 * row[p] + 0.587 * row[p + 1] + 0.114 * row[p + 2];
    value = (value << 1n) | (luma > 128 ? 1n : 0n);
  }
  const ms = value >> 4n, check = Number(value & 15n);
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number((ms >> BigInt(4 * i)) & 15n);
  return (sum & 15) === check ? Number(ms) : null;
}
