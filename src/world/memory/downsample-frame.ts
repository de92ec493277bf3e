/**
 * Shrinks a generated view to the size the memory keeps. Colour and confidence are area-averaged
 * (anti-aliased, as a thumbnail should be); depth is point-sampled, because averaging depth across
 * an occlusion edge invents surfaces that exist in neither layer, and the memory's depth is used to
 * decide what a frame saw.
 */
import type { FloatField, RgbImage } from '../../core/image.ts';
import { areaDownsample } from '../resample.ts';


export function shrinkRgb(image: RgbImage, width: number, height: number): Uint8Array {
  checkField('image', image, 3);
  const out = new Uint8Array(width * height * 3);
  const src = width <= image.width && height <= image.height
    ? areaDownsample(image.data, image.width, image.height, 3, width, height)
    : nearestSample(image.data, image.width, image.height, 3, width, height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(src[i]);
  return out;
}

/** Depth in metres; anything not finite and positive becomes 0 (unknown / sky). */
export function shrinkDepth(depth: FloatField, width: number, height: number): Float32Array {
  checkField('depth', depth, 1);
  const out = nearestSample(depth.data, depth.width, depth.height, 1, width, height);
  for (let i = 0; i < out.length; i++) if (!(out[i] > 0 && out[i] < Infinity)) out[i] = 0;
  return out;
}

/** Confidence 0..1 (clamped; NaN counts as 0) -> 0..255; absent confidence is full confidence. */
export function shrinkConfidence(confidence: FloatField | undefined, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  if (!confidence) return out.fill(255);
  checkField('confidence', confidence, 1);
  const src = width <= confidence.width && height <= confidence.height
    ? areaDownsample(confidence.data.map((c) => (c > 0 ? Math.min(c, 1) : 0)), confidence.width, confidence.height, 1, width, height)
    : nearestSample(confidence.data, confidence.width, confidence.height, 1, width, height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(255 * Math.min(1, Math.max(0, src[i] || 0)));
  return out;
}

/** Each output pixel takes the input pixel under its centre (pixel centres at i + 0.5, camera.ts). */
function nearestSample(data: ArrayLike<number>, w: number, h: number, channels: number, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH * channels);
  for (let y = 0; y < outH; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / outH));
    for (let x = 0; x < outW; x++) {
      const sx = Math.min(w - 1, Math.floor(((x + 0.5) * w) / outW));
      for (let c = 0; c < channels; c++) out[(y * outW + x) * channels + c] = data[(sy * w + sx) * channels + c];
    }
  }
  return out;
}

function checkField(name: string, f: { width: number; height: number; data: ArrayLike<number> }, channels: number): void {
  if (!(Number.isInteger(f.width) && Number.isInteger(f.height) && f.width > 0 && f.height > 0)) {
    throw new Error(`memory: expected ${name} with a positive integer size, found ${f.width}x${f.height}`);
  }
  if (f.data.length !== f.width * f.height * channels) {
    throw new Error(`memory: expected ${name} of ${f.width}x${f.height} to hold ${f.width * f.height * channels} values, found ${f.data.length}`);
  }
}
