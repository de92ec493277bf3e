/**
 * Random clouds for the band render's tests (band-render.test.ts, src/cli/render-thread.test.ts):
 * tiny dense splats, splats tens of pixels across (footprints over many rows, so over any cut), and
 * an opaque wall that finishes pixels and tiles early, with optional SH; `rows` puts every centre in
 * that vertical range of the view seen from the origin (y of 1 is the top of a 60 degree view at 1.73 m).
 */
import { seededRandom } from '../core/random.ts';
import type { ShDegree } from '../core/sh.ts';
import { SplatCloud } from '../core/splat-cloud.ts';

export function randomCloud(seed: number, n: number, shDegree: ShDegree = 0, ys: readonly [number, number] = [-1, 1]): SplatCloud {
  const rand = seededRandom(seed);
  const cloud = SplatCloud.create(n, shDegree);
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const z = kind === 2 ? -1.5 - 0.05 * rand() : -2 - 4 * rand();
    const depthScale = -z / 1.73;
    const x = (kind === 2 ? -0.9 + 0.9 * rand() : (rand() * 2 - 1) * 1.4) * depthScale;
    const y = (ys[0] + (ys[1] - ys[0]) * rand()) * depthScale;
    cloud.positions.set([x, y, z], 3 * i);
    const s = kind === 0 ? 0.002 + 0.006 * rand() : kind === 1 ? 0.05 + 0.3 * rand() : 0.04;
    cloud.scales.set(kind === 2 ? [s, s, 0.001] : [s * (0.3 + rand()), s * (0.3 + rand()), s * (0.3 + rand())], 3 * i);
    cloud.rotations.set(kind === 2 ? [1, 0, 0, 0] : [rand() - 0.5, rand() - 0.5, rand() - 0.5, rand() - 0.5], 4 * i);
    cloud.opacities[i] = kind === 2 ? 0.99 : rand() < 0.1 ? 0.003 : 0.05 + 0.95 * rand();
    cloud.colors.set([rand(), rand(), rand()], 3 * i);
  }
  const sh = cloud.sh;
  if (sh) for (let i = 0; i < sh.length; i++) sh[i] = 0.3 * (rand() - 0.5);
  return cloud;
}

/** Index of the first value that differs (Object.is: -0, NaN bits aside), or -1. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}
