import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint } from '../core/camera.ts';
import { quatToMat3 } from '../core/quat.ts';
import { seededRandom } from '../core/random.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import type { Vec3 } from '../core/vec3.ts';
import { renderSplats } from '../render/rasterizer.ts';
import { SIGMA_PER_PIXEL, cellCentreTransmittance, sigmaPerSpacing, writeFootprint } from './splat-footprint.ts';

test('sigma per pixel: 0.65, the least that leaves <= 3% uncovered; the rasterizer agrees', () => {
  assert.equal(SIGMA_PER_PIXEL, 0.65);
  assert.equal(sigmaPerSpacing(0.03), SIGMA_PER_PIXEL);
  assert.ok(cellCentreTransmittance(0.65) <= 0.03 && cellCentreTransmittance(0.64) > 0.03);
  assert.equal(sigmaPerSpacing(0.05), 0.61); // T(0.60) = 0.0505 just misses 5%
  // Independent check: a lattice of flat Gaussians 1 m apart at 10 m, seen 20 px per spacing with no
  // low-pass, rendered by the reference rasterizer; the alpha at a cell's centre is 1 - T(k).
  const k = intrinsicsFromFov(200, 200, 2 * Math.atan(5 / 10) * (180 / Math.PI)); // 10 m wide at 10 m: 20 px per metre
  for (const sigma of [0.5, 0.65]) {
    const n = 11;
    const cloud = SplatCloud.create(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const s = j * n + i;
        cloud.positions.set([i - 5 + 0.025, j - 5 - 0.025, -10], 3 * s); // cell centres on pixel centres
        cloud.scales.set([sigma, sigma, 1e-4], 3 * s);
        cloud.opacities[s] = 0.99;
        cloud.colors.set([1, 1, 1], 3 * s);
      }
    }
    const r = renderSplats(cloud, Pose.identity(), k, { lowPass: 0 });
    // u = 100 + 20 x, v = 100 - 20 y: the centre of the cell between (0, 0) and (1, 1), at world
    // (0.525, 0.475), is the centre of pixel (110, 90).
    const centre = r.alpha[90 * 200 + 110];
    assert.ok(Math.abs(1 - centre - cellCentreTransmittance(sigma)) < 0.005,
      `sigma ${sigma}: alpha at a cell centre ${centre}, expected ${1 - cellCentreTransmittance(sigma)}`);
  }
});

test('footprint: any tilt, its image in the photo is an isotropic Gaussian of sigma pixels (finite-difference projection)', () => {
  const k = intrinsicsFromFov(640, 480, 70);
  const random = seededRandom(7);
  const out = { scales: new Float32Array(3), rotations: new Float32Array(4) };
  for (let trial = 0; trial < 200; trial++) {
    const u = 640 * random(), v = 480 * random(), d = 1 + 20 * random();
    const r: Vec3 = [(u - k.cx) / k.fx, -(v - k.cy) / k.fy, -1];
    // A normal within 70 degrees of facing the camera (the stretch cap of 4 is not reached).
    const towards = r.map((c) => -c / Math.hypot(...r)) as Vec3;
    let n: Vec3;
    do {
      const t: Vec3 = [random() - 0.5, random() - 0.5, random() - 0.5];
      n = towards.map((c, a) => c + 1.4 * t[a]) as Vec3;
      const l = Math.hypot(...n);
      n = n.map((c) => c / l) as Vec3;
    } while (n[0] * towards[0] + n[1] * towards[1] + n[2] * towards[2] < Math.cos((70 * Math.PI) / 180));
    writeFootprint(out, 0, Float64Array.of(u, v, d, n[0], n[1], n[2], 0.65, 4), { fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy, thinness: 0.1 });
    const m = quatToMat3([out.rotations[0], out.rotations[1], out.rotations[2], out.rotations[3]]);
    const axes: Vec3[] = [[m[0], m[3], m[6]], [m[1], m[4], m[7]], [m[2], m[5], m[8]]];
    // The frame: orthonormal, right-handed, third axis the normal.
    const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    assert.ok(Math.abs(dot(axes[2], n) - 1) < 1e-5, 'local z is the normal');
    // Covariance from scales and axes, projected with a finite-difference Jacobian of the camera.
    const centre: Vec3 = [r[0] * d, r[1] * d, -d];
    const h = 1e-4 * d;
    const jac = [0, 1, 2].map((a) => {
      const p = [...centre] as Vec3, q = [...centre] as Vec3;
      p[a] += h; q[a] -= h;
      const pp = projectCameraPoint(k, p), qq = projectCameraPoint(k, q);
      return [(pp.u - qq.u) / (2 * h), (pp.v - qq.v) / (2 * h)];
    });
    const cov = [[0, 0], [0, 0]];
    for (let ax = 0; ax < 2; ax++) { // the thin axis adds ~1% of sigma^2 at most; leave it out
      const s = out.scales[ax];
      const img = [0, 1].map((row) => jac.reduce((acc, col, a) => acc + col[row] * axes[ax][a], 0));
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) cov[i][j] += s * s * img[i] * img[j];
    }
    const want = 0.65 * 0.65;
    assert.ok(Math.abs(cov[0][0] / want - 1) < 0.01 && Math.abs(cov[1][1] / want - 1) < 0.01 && Math.abs(cov[0][1] / want) < 0.01,
      `trial ${trial}: projected covariance ${JSON.stringify(cov)}, expected ${want} I`);
    assert.ok(out.scales[2] <= 0.1 * Math.min(out.scales[0], out.scales[1]) * 1.0001, 'thin along the normal');
  }
});

test('footprint: at grazing angles the stretch is capped', () => {
  const k = intrinsicsFromFov(640, 480, 70);
  const out = { scales: new Float32Array(3), rotations: new Float32Array(4) };
  // Centre pixel, normal 89.9 degrees from the view axis: uncapped it would be ~570 pixels long.
  const tilt = (89.9 * Math.PI) / 180;
  writeFootprint(out, 0, Float64Array.of(320, 240, 5, 0, Math.sin(tilt), Math.cos(tilt), 0.65, 4), { fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy, thinness: 0.1 });
  const across = 5 / k.fy;
  assert.ok(Math.abs(out.scales[0] / (4 * 0.65 * across) - 1) < 1e-4, `longest std ${out.scales[0]} m, cap ${4 * 0.65 * across}`);
  assert.ok(Math.abs(out.scales[1] / (0.65 * across) - 1) < 1e-3, `across the tilt: ${out.scales[1]} m`);
  assert.ok(out.rotations.every(Number.isFinite));
});
