/**
 * Scenes whose depth is known exactly, for the lift's tests and benchmark: depth maps sampled from
 * analytic surfaces (plane, sphere, step) seen by a camera at the origin looking down -Z, and a
 * textured picture with a natural-looking spectrum. Everything is in the camera frame of camera.ts.
 */
import type { Intrinsics } from '../core/camera.ts';
import { seededRandom } from '../core/random.ts';
import type { Vec3 } from '../core/vec3.ts';

/** Ray of photo pixel position (u, v) at unit depth: ((u - cx) / fx, -(v - cy) / fy, -1). */
export const rayAt = (k: Intrinsics, u: number, v: number): Vec3 => [(u - k.cx) / k.fx, -(v - k.cy) / k.fy, -1];

/** Depth (along the view axis) where ray r meets the plane n . X = -c (n unit, facing the camera, c > 0). */
export function planeDepth(n: Vec3, c: number, r: Vec3): number {
  return -c / (n[0] * r[0] + n[1] * r[1] + n[2] * r[2]);
}

/** Depth of the nearest hit of ray r with a sphere, or Infinity. */
export function sphereDepth(centre: Vec3, radius: number, r: Vec3): number {
  // |t r - C|^2 = R^2: (r.r) t^2 - 2 (r.C) t + C.C - R^2 = 0; depth = t since r_z = -1.
  const a = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
  const b = r[0] * centre[0] + r[1] * centre[1] + r[2] * centre[2];
  const c = centre[0] ** 2 + centre[1] ** 2 + centre[2] ** 2 - radius * radius;
  const disc = b * b - a * c;
  return disc < 0 ? Infinity : (b - Math.sqrt(disc)) / a;
}

/**
 * A depth map at the model's resolution for photo intrinsics k: model pixel (x, y) covers the same
 * field of view as photo pixels ((x + 0.5) W / w, ...), and holds depthAt(u, v) there.
 */
export function sampleDepth(k: Intrinsics, width: number, height: number, depthAt: (u: number, v: number) => number) {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = depthAt(((x + 0.5) * k.width) / width, ((y + 0.5) * k.height) / height);
  }
  return { width, height, data };
}

/** A picture filled per pixel by colourAt(x, y) -> rgb 0..1. */
export function paint(width: number, height: number, colourAt: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8Array(3 * width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colourAt(x, y);
      for (let ch = 0; ch < 3; ch++) data[3 * (y * width + x) + ch] = Math.round(255 * Math.min(1, Math.max(0, c[ch])));
    }
  }
  return { width, height, data };
}

/**
 * A textured picture with a photo-like spectrum: six octaves of smooth value noise per channel
 * (amplitude falling as 0.57 per octave, 64 px down to 2 px cells) over a few flat-coloured shapes
 * with hard edges (a disc and a box). Seeded, so tests are reproducible.
 */
export function texturedPicture(width: number, height: number, seed = 1) {
  const noise = [0, 1, 2].map((c) => valueNoise(width, height, seed * 3 + c));
  return paint(width, height, (x, y) => {
    const i = y * width + x;
    const inDisc = (x - 0.3 * width) ** 2 + (y - 0.5 * height) ** 2 < (0.2 * height) ** 2;
    const inBox = x > 0.62 * width && x < 0.88 * width && y > 0.18 * height && y < 0.75 * height;
    const base = inDisc ? [0.8, 0.3, 0.2] : inBox ? [0.2, 0.3, 0.7] : [0.5, 0.55, 0.5];
    return [0, 1, 2].map((c) => base[c] + 0.6 * noise[c][i]) as [number, number, number];
  });
}

function valueNoise(width: number, height: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(width * height);
  for (let octave = 0; octave < 6; octave++) {
    const cell = 64 >> octave;
    const gw = Math.ceil(width / cell) + 2, gh = Math.ceil(height / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => random() - 0.5);
    const amplitude = 0.5 ** (octave * 0.8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const fx = x / cell, fy = y / cell, x0 = Math.floor(fx), y0 = Math.floor(fy);
        const sx = smooth(fx - x0), sy = smooth(fy - y0);
        const a = grid[y0 * gw + x0], b = grid[y0 * gw + x0 + 1], c = grid[(y0 + 1) * gw + x0], d = grid[(y0 + 1) * gw + x0 + 1];
        const top = a + sx * (b - a), bottom = c + sx * (d - c);
        out[y * width + x] += amplitude * (top + sy * (bottom - top));
      }
    }
  }
  return out;
}

const smooth = (t: number) => t * t * (3 - 2 * t);
