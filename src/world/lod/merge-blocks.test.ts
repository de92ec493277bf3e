import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose } from '../../core/camera.ts';
import { quatToMat3 } from '../../core/quat.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import type { LiftGrid } from './lift-grid.ts';
import { mergeGridBlocks } from './merge-blocks.ts';

/** A grid of round splats (std s) on the plane z = -depth(x, y), a apart, seen from the origin down -Z. */
function gridCloud(width: number, height: number, s: number, a: number, depth: (x: number, y: number) => number, shDegree: 0 | 1 = 0) {
  const cloud = SplatCloud.create(width * height, shDegree);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      cloud.positions.set([(x - (width - 1) / 2) * a, ((height - 1) / 2 - y) * a, -depth(x, y)], 3 * i);
      cloud.scales.set([s, s, s], 3 * i);
      cloud.colors.set([x / width, y / height, 0.5], 3 * i);
    }
  }
  const grid: LiftGrid = {
    splatStart: 0, width, height, pose: Pose.identity(),
    intrinsics: { width, height, fx: 100, fy: 100, cx: width / 2, cy: height / 2 },
  };
  return { cloud, grid };
}

test('mergeGridBlocks: four splats become the Gaussian with their mean and covariance (a worked case)', () => {
  const s = 0.3, a = 1;
  const { cloud, grid } = gridCloud(2, 2, s, a, () => 5, 1);
  // Opacities 1, 0.5, 0.5, 1 (top-left, top-right, bottom-left, bottom-right): weights 1/3, 1/6, 1/6, 1/3.
  cloud.opacities.set([1, 0.5, 0.5, 1]);
  cloud.sh!.set(Array.from({ length: 36 }, (_, k) => k));
  const out = SplatCloud.create(0, 1);
  assert.equal(mergeGridBlocks(cloud, grid, out), 1);
  assert.equal(out.count, 1);
  // Centres (-h, h), (h, h), (-h, -h), (h, -h), h = a / 2, weighted: the mean is the middle; the
  // spread adds h^2 to xx and yy and sum w dx dy = h^2 (-1/3 + 1/6 + 1/6 - 1/3) = -h^2 / 3 to xy,
  // so the in-plane eigenvalues are s^2 + h^2 (1 +- 1/3) along the diagonals, and s^2 across.
  const h = a / 2;
  assert.deepEqual([...out.positions].map((v) => Math.round(v * 1e6) / 1e6), [0, 0, -5]);
  const expected = [Math.sqrt(s * s + (4 / 3) * h * h), Math.sqrt(s * s + (2 / 3) * h * h), s].sort();
  const got = [...out.scales].sort();
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-6, `scale ${got[i]} vs ${expected[i]}`);
  // The longest axis joins the heavy splats, top-left (-h, h) and bottom-right (h, -h): along x = -y.
  const q = out.rotations;
  const R = quatToMat3([q[0], q[1], q[2], q[3]]);
  const longest = [0, 1, 2].reduce((best, c) => (out.scales[c] > out.scales[best] ? c : best), 0);
  const axis = [R[longest], R[3 + longest], R[6 + longest]];
  assert.ok(Math.abs(Math.abs(axis[0] - axis[1]) / Math.SQRT2 - 1) < 1e-6 && Math.abs(axis[2]) < 1e-6, `axis ${axis}`);
  assert.equal(out.opacities[0], 1);
  // Colours and SH: opacity-weighted means.
  const w = [1 / 3, 1 / 6, 1 / 6, 1 / 3];
  for (let c = 0; c < 3; c++) {
    const want = w.reduce((sum, wi, i) => sum + wi * cloud.colors[3 * i + c], 0);
    assert.ok(Math.abs(out.colors[c] - want) < 1e-6, `colour ${c}`);
  }
  for (let k = 0; k < 9; k++) {
    const want = w.reduce((sum, wi, i) => sum + wi * cloud.sh![9 * i + k], 0);
    assert.ok(Math.abs(out.sh![k] - want) < 1e-5, `sh ${k}: ${out.sh![k]} vs ${want}`);
  }
});

test('mergeGridBlocks: a block across a depth jump keeps its four splats; an odd last row and column stay as they are', () => {
  // 4 x 3: blocks (0-1, 0-1) and (2-3, 0-1); the second straddles a step from 5 m to 10 m at x = 3.
  const { cloud, grid } = gridCloud(4, 3, 0.02, 0.05, (x) => (x === 3 ? 10 : 5));
  const out = SplatCloud.create(0);
  assert.equal(mergeGridBlocks(cloud, grid, out), 1 + 4 + 4);
  // The kept block's splats and the last row, bit for bit, after the merged one.
  const kept = [2, 3, 6, 7, 8, 9, 10, 11];
  kept.forEach((i, j) => {
    assert.deepEqual([...out.positions.subarray(3 * (j + 1), 3 * (j + 2))], [...cloud.positions.subarray(3 * i, 3 * i + 3)]);
    assert.deepEqual([...out.colors.subarray(3 * (j + 1), 3 * (j + 2))], [...cloud.colors.subarray(3 * i, 3 * i + 3)]);
  });
  // 3 x 2: one block, then the last column's two splats.
  const odd = gridCloud(3, 2, 0.02, 0.05, () => 5);
  const oddOut = SplatCloud.create(0);
  assert.equal(mergeGridBlocks(odd.cloud, odd.grid, oddOut), 3);
  assert.deepEqual([...oddOut.positions.subarray(3, 9)], [...odd.cloud.positions.subarray(6, 9), ...odd.cloud.positions.subarray(15, 18)]);
  // A slope the lift does not call an edge (2% per pixel at f = 100: below tan 85 / 100 = 11%) is merged.
  const slope = gridCloud(4, 2, 0.02, 0.05, (x) => 5 * (1 + 0.02 * x));
  assert.equal(mergeGridBlocks(slope.cloud, slope.grid, SplatCloud.create(0)), 2);
});
