/**
 * The part of a view that work on its holes needs: the bounding box of the hole pixels widened by a
 * margin (clamped to the picture). Filling, aligning and lifting read nothing farther than the margin
 * from a hole pixel, so doing them on this window gives the same result as on the whole view, faster
 * when the hole is a strip at one side (a turn) or a patch.
 */
export interface Window {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** The window around every non-zero pixel of `mask`, or null when there is none. */
export function holeWindow(mask: Uint8Array, width: number, height: number, margin: number): Window | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (!mask[i]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  x0 = Math.max(0, x0 - margin); y0 = Math.max(0, y0 - margin);
  x1 = Math.min(width - 1, x1 + margin); y1 = Math.min(height - 1, y1 + margin);
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The window's pixels of a row-major array of `channels` values per pixel over `fullWidth` columns. */
export function crop<T extends Float32Array | Uint8Array>(data: T, channels: number, fullWidth: number, w: Window): T {
  const out = new (data.constructor as { new (n: number): T })(w.width * w.height * channels);
  for (let y = 0; y < w.height; y++) {
    const from = ((w.y0 + y) * fullWidth + w.x0) * channels;
    out.set(data.subarray(from, from + w.width * channels) as never, y * w.width * channels);
  }
  return out;
}

/** Writes the window's pixels back into the full array. */
export function paste<T extends Float32Array | Uint8Array>(into: T, part: T, channels: number, fullWidth: number, w: Window): void {
  for (let y = 0; y < w.height; y++) {
    into.set(part.subarray(y * w.width * channels, (y + 1) * w.width * channels) as never, ((w.y0 + y) * fullWidth + w.x0) * channels);
  }
}

export const isWholePicture = (w: Window, width: number, height: number): boolean => w.width === width && w.height === height;
