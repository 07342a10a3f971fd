// Cell bitmaps of the cell motion detector (IEC 62676-2-31 Annex D): one bit per cell, row-major
// from the upper-left cell, the most significant bit first, the last byte zero-padded; PackBits
// compressed, then base64. Annex D: cells ff ff ff f0 f0 f0 -> fe ff fe f0 -> "/v/+8A==".

// The cells (count of them) of a base64 PackBits bitmap; null when it is not one.
export function decodeCells(text, count) {
  let packed;
  try {
    packed = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  const bytes = [];
  for (let i = 0; i < packed.length; ) {
    const n = packed[i] > 127 ? packed[i] - 256 : packed[i];
    i += 1;
    if (n >= 0) {
      if (i + n + 1 > packed.length) return null;
      bytes.push(...packed.slice(i, i + n + 1));
      i += n + 1;
    } else if (n !== -128) {
      if (i >= packed.length) return null;
      for (let k = 0; k < 1 - n; k += 1) bytes.push(packed[i]);
      i += 1;
    }
  }
  if (bytes.length < Math.ceil(count / 8)) return null;
  return Array.from({ length: count }, (_, k) => Boolean(bytes[k >> 3] & (0x80 >> (k & 7))));
}

// The base64 PackBits bitmap of `cells` (booleans).
export function encodeCells(cells) {
  const bytes = new Array(Math.ceil(cells.length / 8)).fill(0);
  cells.forEach((on, k) => { if (on) bytes[k >> 3] |= 0x80 >> (k & 7); });
  const out = [];
  for (let i = 0; i < bytes.length; ) {
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === bytes[i] && run < 128) run += 1;
    if (run > 1) {
      out.push(257 - run, bytes[i]);
      i += run;
      continue;
    }
    let end = i + 1;
    while (end < bytes.length && end - i < 128 && !(end + 1 < bytes.length && bytes[end] === bytes[end + 1])) end += 1;
    out.push(end - i - 1, ...bytes.slice(i, end));
    i = end;
  }
  return btoa(String.fromCharCode(...out));
}
