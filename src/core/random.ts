/**
 * Seeded randomness, so tests, fuzzers, benchmarks and procedural worlds are reproducible.
 */
import { SplatCloud } from './splat-cloud.ts';
import type { ShDegree } from './sh.ts';

/** mulberry32: a tiny, fast 32-bit generator; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` varied splats in a box of half-size `extent` around the origin: random unit rotations,
 * scales 1-10% of the extent, opacities and colours over their full range, random SH.
 */
export function randomCloud(count: number, seed = 1, shDegree: ShDegree = 0, extent = 2): SplatCloud {
  const rand = seededRandom(seed);
  const cloud = SplatCloud.create(count, shDegree);
  const { positions, scales, rotations, opacities, colors } = cloud;
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      positions[3 * i + a] = (rand() * 2 - 1) * extent;
      scales[3 * i + a] = extent * (0.01 + 0.09 * rand());
      colors[3 * i + a] = rand();
    }
    // Uniform random rotation (Shoemake).
    const u1 = rand(), u2 = rand() * 2 * Math.PI, u3 = rand() * 2 * Math.PI;
    const s1 = Math.sqrt(1 - u1), s2 = Math.sqrt(u1);
    rotations.set([s1 * Math.sin(u2), s1 * Math.cos(u2), s2 * Math.sin(u3), s2 * Math.cos(u3)], 4 * i);
    opacities[i] = 0.02 + 0.97 * rand();
  }
  const sh = cloud.sh;
  if (sh) for (let i = 0; i < sh.length; i++) sh[i] = (rand() * 2 - 1) * 0.3;
  return cloud;
}
