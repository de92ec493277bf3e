/**
 * compositeSplats against a plain per-pixel loop over the same projected splats: every pixel walks
 * every splat in depth order, tests every pixel of the splat's bounding box with the same alpha
 * expression, and stops at the same transmittance rule. None of compositeSplats' shortcuts (row
 * spans of the ellipse, the per-pixel walk of short spans, the skip structure over finished pixels of
 * long ones, the skipping of finished tiles) is in it, so any pixel they visit wrongly, or skip
 * wrongly, shows. The arithmetic per pixel is the same, so the two must agree bit for bit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import { seededRandom } from '../core/random.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { compositeSplats } from './composite.ts';
import { expNonPositive } from './exp.ts';
import { PACKED_STRIDE, P_B, P_CONIC_A, P_CONIC_B, P_CONIC_C, P_DEPTH, P_G, P_OPACITY, P_R, P_U, P_V, P_X0, P_X1, P_Y0, P_Y1, projectSplats } from './project.ts';
import { sortByKey } from './sort.ts';

function plainComposite(p: ReturnType<typeof projectSplats>, order: Uint32Array, width: number, height: number, bg: number[]) {
  const color = new Float32Array(3 * width * height), alpha = new Float32Array(width * height), depth = new Float32Array(width * height);
  const f = p.packed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let t = 1, r = 0, g = 0, b = 0, z = 0;
      for (let k = 0; k < p.count; k++) {
        const q = PACKED_STRIDE * order[k];
        if (x < f[q + P_X0] || x > f[q + P_X1] || y < f[q + P_Y0] || y > f[q + P_Y1]) continue;
        const dx = x + 0.5 - f[q + P_U], dy = y + 0.5 - f[q + P_V];
        const power = -0.5 * f[q + P_CONIC_C] * dy * dy + dx * (-f[q + P_CONIC_B] * dy + -0.5 * f[q + P_CONIC_A] * dx);
        const a = Math.min(0.99, f[q + P_OPACITY] * expNonPositive(power));
        if (a < 1 / 255) continue;
        const nextT = t * (1 - a);
        if (nextT < 1e-4) break;
        const w = a * t;
        r += w * f[q + P_R];
        g += w * f[q + P_G];
        b += w * f[q + P_B];
        z += w * f[q + P_DEPTH];
        t = nextT;
      }
      const i = y * width + x;
      color[3 * i] = r + t * bg[0];
      color[3 * i + 1] = g + t * bg[1];
      color[3 * i + 2] = b + t * bg[2];
      alpha[i] = 1 - t;
      depth[i] = 1 - t > 0 ? z / (1 - t) : 0;
    }
  }
  return { color, alpha, depth };
}

test('compositing agrees bit for bit with a plain per-pixel loop: dense tiny splats, large ones, an opaque wall in front', () => {
  const rand = seededRandom(7);
  const n = 6000;
  const cloud = SplatCloud.create(n);
  for (let i = 0; i < n; i++) {
    // A third tiny and dense (the short-span walk), a third a few pixels to tens of pixels across
    // (the skip structure), a third an opaque wall of flat splats in front of the left half (pixels
    // and whole tiles finished early, so everything behind them is skipped).
    const kind = i % 3;
    const z = kind === 2 ? -1.5 - 0.05 * rand() : -2 - 4 * rand();
    const x = kind === 2 ? -0.9 + 0.9 * rand() : (rand() * 2 - 1) * 1.4;
    cloud.positions.set([x, (rand() * 2 - 1) * 1.0, z], 3 * i);
    const s = kind === 0 ? 0.002 + 0.006 * rand() : kind === 1 ? 0.12 + 0.4 * rand() : 0.04;
    cloud.scales.set(kind === 2 ? [s, s, 0.001] : [s * (0.3 + rand()), s * (0.3 + rand()), s * (0.3 + rand())], 3 * i);
    cloud.rotations.set(kind === 2 ? [1, 0, 0, 0] : [rand() - 0.5, rand() - 0.5, rand() - 0.5, rand() - 0.5], 4 * i);
    cloud.opacities[i] = kind === 2 ? 0.99 : rand() < 0.1 ? 0.003 : 0.05 + 0.95 * rand();
    cloud.colors.set([rand(), rand(), rand()], 3 * i);
  }
  const bg = [0.2, 0.4, 0.6] as const;
  for (const [width, height] of [[72, 52], [33, 17]]) {
    const k = intrinsicsFromFov(width, height, 60);
    const p = projectSplats(cloud, Pose.identity(), k, { near: 0.01, lowPass: 0.3, shDegree: 0 });
    const order = sortByKey(p.depth, p.count);
    const fast = compositeSplats(p, order, width, height, bg);
    const plain = plainComposite(p, order, width, height, [...bg]);
    // The case must reach every path: short and long spans, finished pixels.
    let short = 0, long = 0;
    for (let s = 0; s < p.count; s++) (p.packed[PACKED_STRIDE * s + P_X1] - p.packed[PACKED_STRIDE * s + P_X0] < 8 ? short++ : long++);
    assert.ok(short > 500 && long > 300, `${short} short, ${long} long footprints`);
    assert.ok(fast.alpha.filter((a) => a > 0.9998).length > width * height * 0.2, 'finished pixels');
    for (const key of ['color', 'alpha', 'depth'] as const) {
      const i = fast[key].findIndex((v, j) => !Object.is(v, plain[key][j]));
      assert.equal(i, -1, `${width}x${height} ${key}[${i}]: ${fast[key][i]} vs plain ${plain[key][i]}`);
    }
  }
});
