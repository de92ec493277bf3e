/**
 * Cheap deterministic noise for procedural textures and terrain: integer hashing (Math.imul, exact
 * in every JS engine) and value noise with smooth interpolation. Functions of world coordinates, so a
 * surface looks the same from every camera (the first view and every completed view agree).
 */

/** Hash of two integers and a seed -> [0, 1). */
export function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function hash3(x: number, y: number, z: number, seed: number): number {
  return hash2(x, Math.imul(y | 0, 0x3c6ef372) ^ (z | 0), seed);
}

const smooth = (t: number): number => t * t * (3 - 2 * t);

/** 2D value noise in [0, 1), one feature per unit. */
export function noise2(x: number, y: number, seed: number): number {
  const xi = Math.floor(x), yi = Math.floor(y);
  const fx = smooth(x - xi), fy = smooth(y - yi);
  const a = hash2(xi, yi, seed), b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed), d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

/** 3D value noise in [0, 1). */
export function noise3(x: number, y: number, z: number, seed: number): number {
  const xi = Math.floor(x), yi = Math.floor(y), zi = Math.floor(z);
  const fx = smooth(x - xi), fy = smooth(y - yi), fz = smooth(z - zi);
  const a0 = hash3(xi, yi, zi, seed), b0 = hash3(xi + 1, yi, zi, seed);
  const c0 = hash3(xi, yi + 1, zi, seed), d0 = hash3(xi + 1, yi + 1, zi, seed);
  const a1 = hash3(xi, yi, zi + 1, seed), b1 = hash3(xi + 1, yi, zi + 1, seed);
  const c1 = hash3(xi, yi + 1, zi + 1, seed), d1 = hash3(xi + 1, yi + 1, zi + 1, seed);
  const lo = a0 + (b0 - a0) * fx + (c0 - a0) * fy + (a0 - b0 - c0 + d0) * fx * fy;
  const hi = a1 + (b1 - a1) * fx + (c1 - a1) * fy + (a1 - b1 - c1 + d1) * fx * fy;
  return lo + (hi - lo) * fz;
}

/** Fractal sum of 2D value noise, `octaves` octaves, result in about [0, 1). */
export function fbm2(x: number, y: number, seed: number, octaves: number): number {
  let sum = 0, amp = 0.5, norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise2(x, y, seed + o * 101);
    norm += amp;
    x = x * 2.03 + 17.1; y = y * 2.03 - 9.7;
    amp *= 0.5;
  }
  return sum / norm;
}

export function fbm3(x: number, y: number, z: number, seed: number, octaves: number): number {
  let sum = 0, amp = 0.5, norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise3(x, y, z, seed + o * 101);
    norm += amp;
    x = x * 2.03 + 17.1; y = y * 2.03 - 9.7; z = z * 2.03 + 3.3;
    amp *= 0.5;
  }
  return sum / norm;
}

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
export const smoothstep = (a: number, b: number, v: number): number => smooth(clamp01((v - a) / (b - a)));
export const mix = (a: number, b: number, t: number): number => a + (b - a) * t;
