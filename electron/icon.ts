// Portico's icon, drawn in code: a white arch (a portico's doorway) on an indigo tile.
// One drawing serves the packaged icons (build/make-icons.mjs writes build/icon.png from
// it) and the tray, which builds its image at run time, so no image file has to travel
// inside the app. Pure Node (zlib), no image library.
import { deflateSync } from 'node:zlib';

type Variant = 'app' | 'tray' | 'tray-template';

const INDIGO = [79, 70, 229] as const;
const WHITE = [255, 255, 255] as const;
const BLACK = [0, 0, 0] as const;

/** The doorway in unit coordinates (0..1, y down): an arch ring on a step. */
function inGlyph(x: number, y: number): boolean {
  const archOuter = insideArch(x, y, 0.5, 0.44, 0.22, 0.78);
  const archInner = insideArch(x, y, 0.5, 0.44, 0.11, 0.79);
  const step = x >= 0.2 && x <= 0.8 && y >= 0.78 && y <= 0.86;
  return (archOuter && !archInner) || step;
}

/** A round-topped doorway: half circle centred (cx, cy) of radius r, sides down to `bottom`. */
function insideArch(x: number, y: number, cx: number, cy: number, r: number, bottom: number): boolean {
  if (y > bottom) return false;
  if (y >= cy) return Math.abs(x - cx) <= r;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inTile(x: number, y: number): boolean {
  const m = 0.06; // margin
  const r = 0.2; // corner radius
  if (x < m || y < m || x > 1 - m || y > 1 - m) return false;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** RGBA pixels, 4×4 supersampled so the curves are smooth at every size. */
export function drawIcon(size: number, variant: Variant = 'app'): Buffer {
  const SS = 4;
  const pixels = Buffer.alloc(size * size * 4);
  // The tray has no tile: the glyph, scaled up to fill the small square.
  const glyphAt = variant === 'app' ? (u: number, v: number) => inGlyph(u, v) : (u: number, v: number) => inGlyph(0.14 + u * 0.72, 0.2 + v * 0.72);
  const ink = variant === 'tray-template' ? BLACK : variant === 'tray' ? INDIGO : WHITE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let glyph = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (px + (sx + 0.5) / SS) / size;
          const v = (py + (sy + 0.5) / SS) / size;
          if (variant === 'app' && inTile(u, v)) tile++;
          if (glyphAt(u, v)) glyph++;
        }
      }
      const n = SS * SS;
      const i = (py * size + px) * 4;
      if (variant === 'app') {
        const g = glyph / n;
        for (let c = 0; c < 3; c++) pixels[i + c] = Math.round(INDIGO[c]! * (1 - g) + WHITE[c]! * g);
        pixels[i + 3] = Math.round((255 * tile) / n);
      } else {
        for (let c = 0; c < 3; c++) pixels[i + c] = ink[c]!;
        pixels[i + 3] = Math.round((255 * glyph) / n);
      }
    }
  }
  return pixels;
}

/** The icon as a PNG file's bytes. */
export function iconPng(size: number, variant: Variant = 'app'): Buffer {
  return encodePng(size, size, drawIcon(size, variant));
}

/** A minimal PNG encoder: 8-bit RGBA, no filtering, one IDAT. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
