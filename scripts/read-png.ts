import { inflateSync } from "node:zlib";

/** A decoded PNG: size, and RGBA pixels (8 bits per channel) for the formats Teams icons use. */
export interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  /** width × height × 4 bytes, row by row. */
  rgba: Uint8Array;
}

/** The PNG is of a kind this small reader does not decode (the icons are 8-bit RGB or RGBA, non-interlaced). */
export class UnsupportedPngError extends Error {
  constructor(reason: string) {
    super(`Icons must be 8-bit RGB or RGBA non-interlaced PNGs: ${reason}`);
    this.name = "UnsupportedPngError";
  }
}

/** Decodes an 8-bit RGB/RGBA PNG, enough to check an icon's size and transparency without a dependency. */
export function readPng(bytes: Buffer): DecodedPng {
  if (bytes.subarray(1, 4).toString("latin1") !== "PNG") throw new UnsupportedPngError("not a PNG file");
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString("latin1");
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const bitDepth = body[8];
      colorType = body[9] ?? -1;
      if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || body[12] !== 0) {
        throw new UnsupportedPngError(`bit depth ${bitDepth}, color type ${colorType}, interlace ${body[12]}`);
      }
    } else if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = pixels[i * channels] ?? 0;
    rgba[i * 4 + 1] = pixels[i * channels + 1] ?? 0;
    rgba[i * 4 + 2] = pixels[i * channels + 2] ?? 0;
    rgba[i * 4 + 3] = channels === 4 ? (pixels[i * channels + 3] ?? 0) : 255;
  }
  return { width, height, colorType, rgba };
}
