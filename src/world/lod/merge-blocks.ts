/**
 * A view's lift grid at half resolution: each 2x2 block of neighbouring pixels' splats becomes one
 * Gaussian with the same mean and covariance as the four together (moment matching: opacity-weighted
 * mean position, covariance = weighted mean of the covariances plus the spread of the centres), the
 * opacity-weighted mean colour and SH, and the largest opacity. Blocks that straddle a depth jump (by
 * the lift's own rule, depth-edges.ts) keep their four splats, so silhouettes stay as sharp as the
 * lift made them; so does a block on the grid's last odd row or column.
 *
 * Why: a photo's world is lifted at up to 1024 px, and expansion renders it at 512x384, where about
 * three of its splats fall in one pixel. Rendering a quarter as many splats is 3-4x faster, and it is
 * a better picture of the world at that size, not a worse one: compositing front to back, all the
 * splats let the nearest of each pixel's few decide it (aliasing). On the sample photo's world, three
 * poses of a turn, against the world rendered at 4x and averaged down: 29.1-30.5 dB for the merged
 * splats, 25.1-27.4 dB for all of them; the hole masks (alpha < 0.5) agree as well or better.
 */
import { quatFromMat3Into } from '../../core/quat.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import { symmetricEigen3 } from '../../core/sym3-eigen.ts';
import { edgeJumpThreshold, isDepthJump } from '../depth-edges.ts';
import type { LiftGrid } from './lift-grid.ts';

/** The lift's edge angle (lift.ts edgeAngleDegrees' default): steeper neighbours are different surfaces. */
const EDGE_ANGLE_DEGREES = 85;

/**
 * The grid's splats (in `cloud`) merged 2x2, appended to `out`, in block order. Returns how many
 * splats it appended.
 */
export function mergeGridBlocks(cloud: SplatCloud, grid: LiftGrid, out: SplatCloud): number {
  const { width, height, splatStart } = grid;
  const k = grid.intrinsics;
  const jump = edgeJumpThreshold(EDGE_ANGLE_DEGREES, 0.5 * (k.fx + k.fy));
  const blocksX = width >> 1, blocksY = height >> 1;
  const w = grid.pose.cameraFromWorld, [ex, ey, ez] = grid.pose.position;
  const from = cloud.positions;
  const depthOf = (i: number) => -(w[6] * (from[3 * i] - ex) + w[7] * (from[3 * i + 1] - ey) + w[8] * (from[3 * i + 2] - ez));
  // Which blocks are merged, first, so the merged cloud is made at its size (not one splat per pixel:
  // allocating and collecting that was a fifth of the merge's time).
  const kept = new Uint8Array(blocksX * blocksY);
  let keptBlocks = 0;
  for (let by = 0, b = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++, b++) {
      const i0 = splatStart + 2 * by * width + 2 * bx, i2 = i0 + width;
      const d0 = depthOf(i0), d1 = depthOf(i0 + 1), d2 = depthOf(i2), d3 = depthOf(i2 + 1);
      // The lift's neighbours (sides) and the diagonals, at the diagonal's longer reach.
      if (isDepthJump(d0, d1, jump) || isDepthJump(d2, d3, jump) || isDepthJump(d0, d2, jump) || isDepthJump(d1, d3, jump) ||
          isDepthJump(d0, d3, Math.SQRT2 * jump) || isDepthJump(d1, d2, Math.SQRT2 * jump) ||
          !(cloud.opacities[i0] + cloud.opacities[i0 + 1] + cloud.opacities[i2] + cloud.opacities[i2 + 1] > 0)) {
        kept[b] = 1;
        keptBlocks++;
      }
    }
  }
  const size = blocksX * blocksY + 3 * keptBlocks + (width & 1) * 2 * blocksY + (height & 1) * width;
  const merged = SplatCloud.create(size, cloud.shDegree);
  const fromScale = cloud.scales, fromRot = cloud.rotations, fromOpacity = cloud.opacities, fromColour = cloud.colors;
  const fromSh = cloud.sh, shPer = 3 * cloud.shCoefficients;
  const to = merged.positions, toScale = merged.scales, toRot = merged.rotations, toOpacity = merged.opacities, toColour = merged.colors;
  const toSh = merged.sh;
  const values = new Float64Array(3), vectors = new Float64Array(9), axes = new Float64Array(9);
  const block = new Int32Array(4);
  let n = 0;
  const copy = (i: number) => {
    for (let c = 0; c < 3; c++) {
      to[3 * n + c] = from[3 * i + c]; toScale[3 * n + c] = fromScale[3 * i + c]; toColour[3 * n + c] = fromColour[3 * i + c];
    }
    for (let c = 0; c < 4; c++) toRot[4 * n + c] = fromRot[4 * i + c];
    toOpacity[n] = fromOpacity[i];
    if (toSh && fromSh) for (let c = 0; c < shPer; c++) toSh[shPer * n + c] = fromSh[shPer * i + c];
    n++;
  };
  for (let by = 0, at = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++, at++) {
      const i0 = splatStart + 2 * by * width + 2 * bx;
      block[0] = i0; block[1] = i0 + 1; block[2] = i0 + width; block[3] = i0 + width + 1;
      if (kept[at]) {
        for (let j = 0; j < 4; j++) copy(block[j]);
        continue;
      }
      let weight = 0, most = 0, mx = 0, my = 0, mz = 0;
      for (let j = 0; j < 4; j++) {
        const i = block[j], o = fromOpacity[i];
        weight += o;
        if (o > most) most = o;
        mx += o * from[3 * i]; my += o * from[3 * i + 1]; mz += o * from[3 * i + 2];
      }
      mx /= weight; my /= weight; mz /= weight;
      let xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0, r = 0, g = 0, b = 0;
      for (let j = 3; j >= 0; j--) { // the first splat last: its axes start the eigen-decomposition
        const i = block[j], o = fromOpacity[i] / weight;
        // Σ_i = R diag(s^2) R^T, R from the unit quaternion (w, x, y, z).
        const qw = fromRot[4 * i], qx = fromRot[4 * i + 1], qy = fromRot[4 * i + 2], qz = fromRot[4 * i + 3];
        const r00 = 1 - 2 * (qy * qy + qz * qz), r01 = 2 * (qx * qy - qw * qz), r02 = 2 * (qx * qz + qw * qy);
        const r10 = 2 * (qx * qy + qw * qz), r11 = 1 - 2 * (qx * qx + qz * qz), r12 = 2 * (qy * qz - qw * qx);
        const r20 = 2 * (qx * qz - qw * qy), r21 = 2 * (qy * qz + qw * qx), r22 = 1 - 2 * (qx * qx + qy * qy);
        if (j === 0) {
          axes[0] = r00; axes[1] = r01; axes[2] = r02; axes[3] = r10; axes[4] = r11; axes[5] = r12; axes[6] = r20; axes[7] = r21; axes[8] = r22;
        }
        const sa = fromScale[3 * i], sb = fromScale[3 * i + 1], sc = fromScale[3 * i + 2];
        const s0 = sa * sa, s1 = sb * sb, s2 = sc * sc;
        const dx = from[3 * i] - mx, dy = from[3 * i + 1] - my, dz = from[3 * i + 2] - mz;
        xx += o * (r00 * r00 * s0 + r01 * r01 * s1 + r02 * r02 * s2 + dx * dx);
        xy += o * (r00 * r10 * s0 + r01 * r11 * s1 + r02 * r12 * s2 + dx * dy);
        xz += o * (r00 * r20 * s0 + r01 * r21 * s1 + r02 * r22 * s2 + dx * dz);
        yy += o * (r10 * r10 * s0 + r11 * r11 * s1 + r12 * r12 * s2 + dy * dy);
        yz += o * (r10 * r20 * s0 + r11 * r21 * s1 + r12 * r22 * s2 + dy * dz);
        zz += o * (r20 * r20 * s0 + r21 * r21 * s1 + r22 * r22 * s2 + dz * dz);
        r += o * fromColour[3 * i]; g += o * fromColour[3 * i + 1]; b += o * fromColour[3 * i + 2];
      }
      symmetricEigen3(xx, xy, xz, yy, yz, zz, values, vectors, axes);
      to[3 * n] = mx; to[3 * n + 1] = my; to[3 * n + 2] = mz;
      for (let c = 0; c < 3; c++) toScale[3 * n + c] = Math.sqrt(Math.max(values[c], 0));
      quatFromMat3Into(vectors, toRot, 4 * n);
      toColour[3 * n] = r; toColour[3 * n + 1] = g; toColour[3 * n + 2] = b;
      toOpacity[n] = most;
      if (toSh && fromSh) {
        for (let c = 0; c < shPer; c++) {
          let sum = 0;
          for (let j = 0; j < 4; j++) sum += fromOpacity[block[j]] * fromSh[shPer * block[j] + c];
          toSh[shPer * n + c] = sum / weight;
        }
      }
      n++;
    }
  }
  // The last odd column and row (no block of four there).
  if (width & 1) for (let y = 0; y < 2 * blocksY; y++) copy(splatStart + y * width + width - 1);
  if (height & 1) for (let x = 0; x < width; x++) copy(splatStart + (height - 1) * width + x);
  out.append(SplatCloud.fromColumns({
    positions: to.subarray(0, 3 * n), scales: toScale.subarray(0, 3 * n), rotations: toRot.subarray(0, 4 * n),
    opacities: toOpacity.subarray(0, n), colors: toColour.subarray(0, 3 * n), sh: toSh?.subarray(0, shPer * n),
  }));
  return n;
}
