/**
 * The reference rasterizer against analytic truth. Expected images are computed here from the
 * formulas of EWA splatting with an independent Jacobian (central differences of camera.ts's
 * projectCameraPoint, directly with respect to the world point), never with the renderer's helpers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Intrinsics, Pose, intrinsicsFromFov, projectCameraPoint, unprojectPixel } from '../core/camera.ts';
import { type Mat3 } from '../core/mat3.ts';
import { type Quat, quatFromAxisAngle, quatToMat3 } from '../core/quat.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { seededRandom } from '../core/random.ts';
import type { ShDegree } from '../core/sh.ts';
import type { Vec3 } from '../core/vec3.ts';
import { type RenderResult, renderSplats, toRgba8 } from './rasterizer.ts';

interface Spec {
  p: Vec3;
  /** standard deviations, or one for an isotropic splat */
  s: Vec3 | number;
  q?: Quat;
  o: number;
  c: Vec3;
  /** rest SH coefficients [coefficient][rgb] */
  sh?: number[];
}

function cloudOf(specs: Spec[], shDegree: ShDegree = 0): SplatCloud {
  const cloud = SplatCloud.create(specs.length, shDegree);
  specs.forEach((spec, i) => {
    cloud.positions.set(spec.p, 3 * i);
    cloud.scales.set(typeof spec.s === 'number' ? [spec.s, spec.s, spec.s] : spec.s, 3 * i);
    cloud.rotations.set(spec.q ?? [1, 0, 0, 0], 4 * i);
    cloud.opacities[i] = spec.o;
    cloud.colors.set(spec.c, 3 * i);
    if (spec.sh) cloud.sh!.set(spec.sh, i * cloud.shCoefficients * 3);
  });
  return cloud;
}

const square = (size: number, f: number): Intrinsics => ({ width: size, height: size, fx: f, fy: f, cx: size / 2, cy: size / 2 });

/** The splat's 2D Gaussian by the textbook formulas: mean, covariance J Σ J^T + lowPass I, depth. */
function analyticFootprint(k: Intrinsics, pose: Pose, spec: Spec, lowPass = 0.3) {
  const project = (p: Vec3) => projectCameraPoint(k, pose.worldToCamera(p));
  const centre = project(spec.p);
  // Jacobian of (u, v) with respect to the world point, by central differences.
  const h = 1e-4 * centre.depth;
  const jac: number[][] = [[0, 0, 0], [0, 0, 0]];
  for (let a = 0; a < 3; a++) {
    const plus = [...spec.p] as Vec3, minus = [...spec.p] as Vec3;
    plus[a] += h;
    minus[a] -= h;
    const pp = project(plus), pm = project(minus);
    jac[0][a] = (pp.u - pm.u) / (2 * h);
    jac[1][a] = (pp.v - pm.v) / (2 * h);
  }
  // Σ = R diag(s^2) R^T in world axes.
  const s = typeof spec.s === 'number' ? [spec.s, spec.s, spec.s] : spec.s;
  const r: Mat3 = quatToMat3(spec.q ?? [1, 0, 0, 0]);
  const sigma = (i: number, j: number) => r[3 * i] * r[3 * j] * s[0] ** 2 + r[3 * i + 1] * r[3 * j + 1] * s[1] ** 2 + r[3 * i + 2] * r[3 * j + 2] * s[2] ** 2;
  const cov = [[0, 0], [0, 0]];
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[a][b] += jac[a][i] * sigma(i, j) * jac[b][j];
    }
  }
  cov[0][0] += lowPass;
  cov[1][1] += lowPass;
  return { u: centre.u, v: centre.v, depth: centre.depth, cov };
}

/** Alpha of one splat at pixel (i, j) per the 3DGS rules (0.99 cap, 1/255 cut). */
function analyticAlpha(fp: ReturnType<typeof analyticFootprint>, opacity: number, i: number, j: number): number {
  const dx = i + 0.5 - fp.u, dy = j + 0.5 - fp.v;
  const [[a, b], [, c]] = fp.cov;
  const det = a * c - b * b;
  const q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
  const alpha = Math.min(0.99, opacity * Math.exp(-0.5 * q));
  return alpha < 1 / 255 ? 0 : alpha;
}

function maxError(result: RenderResult, expected: (i: number, j: number) => { alpha: number; color: Vec3; depth: number }) {
  let alpha = 0, color = 0, depth = 0;
  for (let j = 0; j < result.height; j++) {
    for (let i = 0; i < result.width; i++) {
      const e = expected(i, j);
      const p = j * result.width + i;
      alpha = Math.max(alpha, Math.abs(result.alpha[p] - e.alpha));
      depth = Math.max(depth, Math.abs(result.depth[p] - e.depth));
      for (let ch = 0; ch < 3; ch++) color = Math.max(color, Math.abs(result.color[3 * p + ch] - e.color[ch]));
    }
  }
  return { alpha, color, depth };
}

/** Compares a one-splat render with the analytic image, pixel by pixel. */
function assertMatchesAnalytic(k: Intrinsics, pose: Pose, spec: Spec, background: Vec3, result: RenderResult, eps = 2e-6) {
  const fp = analyticFootprint(k, pose, spec);
  const err = maxError(result, (i, j) => {
    const a = analyticAlpha(fp, spec.o, i, j);
    return { alpha: a, color: [0, 1, 2].map((ch) => a * spec.c[ch] + (1 - a) * background[ch]) as Vec3, depth: a > 0 ? fp.depth : 0 };
  });
  assert.ok(err.alpha < eps && err.color < eps && err.depth < 1e-5, `max errors ${JSON.stringify(err)}`);
}

const pixel = (r: RenderResult, i: number, j: number): Vec3 => {
  const p = 3 * (j * r.width + i);
  return [r.color[p], r.color[p + 1], r.color[p + 2]];
};

const close = (a: number, b: number, eps: number, what = '') => assert.ok(Math.abs(a - b) <= eps, `${what} ${a} vs ${b} (eps ${eps})`);

test('an isotropic Gaussian straight ahead: peak = opacity x colour, width = sigma f / z, exact footprint', () => {
  const k = square(65, 100); // pixel (32, 32) has its centre on the optical axis
  const pose = Pose.identity();
  const spec: Spec = { p: [0, 0, -5], s: 0.4, o: 0.5, c: [0.8, 0.4, 0.2] };
  const bg: Vec3 = [0.1, 0.2, 0.3];
  const r = renderSplats(cloudOf([spec]), pose, k, { background: bg });
  assert.equal(r.width, 65);
  assert.equal(r.color.length, 65 * 65 * 3);
  const centre = pixel(r, 32, 32);
  for (let ch = 0; ch < 3; ch++) close(centre[ch], 0.5 * spec.c[ch] + 0.5 * bg[ch], 1e-6, 'centre');
  close(r.alpha[32 * 65 + 32], 0.5, 1e-7);
  close(r.depth[32 * 65 + 32], 5, 1e-6);

  // Along the centre row the alpha is 0.5 exp(-d^2 / (2 s^2)) with s^2 = (sigma f / z)^2 + 0.3 = 64.3.
  const sigmaPx = (0.4 * 100) / 5;
  const s2 = sigmaPx * sigmaPx + 0.3;
  for (let d = 1; d <= 12; d++) {
    const measured = r.alpha[32 * 65 + 32 + d];
    close(measured, 0.5 * Math.exp((-d * d) / (2 * s2)), 1e-7, `offset ${d}`);
    // The width each sample implies: d / sqrt(-2 ln(alpha / peak)).
    close(d / Math.sqrt(-2 * Math.log(measured / 0.5)), Math.sqrt(s2), 1e-4, `width at ${d}`);
  }
  // The value falls to exp(-1/2) of the peak between 8 and 9 px out: sigma f / z = 8, widened by the low-pass.
  assert.ok(r.alpha[32 * 65 + 40] > 0.5 * Math.exp(-0.5) && r.alpha[32 * 65 + 41] < 0.5 * Math.exp(-0.5));

  // Every pixel with alpha >= 1/255 is drawn (no 3-sigma truncation), and none beyond.
  const cut = 2 * s2 * Math.log(255 * 0.5);
  let inside = 0, drawn = 0;
  for (let j = 0; j < 65; j++) {
    for (let i = 0; i < 65; i++) {
      const d2 = (i - 32) ** 2 + (j - 32) ** 2;
      if (d2 <= cut) inside++;
      if (r.alpha[j * 65 + i] > 0) drawn++;
    }
  }
  assert.ok(Math.sqrt(cut) > 3 * Math.sqrt(s2), 'the 1/255 level lies beyond 3 sigma for this opacity');
  assert.equal(drawn, inside);
  assertMatchesAnalytic(k, pose, spec, bg, r);
});

test('an off-centre Gaussian lands at its projected pixel with the perspective-skewed footprint', () => {
  const k: Intrinsics = { width: 96, height: 80, fx: 110, fy: 90, cx: 41, cy: 37 };
  const pose = Pose.identity();
  const spec: Spec = { p: [0.6, -0.4, -4], s: 0.25, o: 0.8, c: [0.3, 0.9, 0.6] };
  const r = renderSplats(cloudOf([spec]), pose, k);
  // u = cx + fx x / z = 41 + 110 * 0.15 = 57.5, v = cy - fy y / z = 37 + 90 * 0.1 = 46.0.
  const u = 57.5, v = 46;
  let best = -1, bi = -1, bj = -1, sw = 0, su = 0, sv = 0;
  for (let j = 0; j < k.height; j++) {
    for (let i = 0; i < k.width; i++) {
      const a = r.alpha[j * k.width + i];
      if (a > best) [best, bi, bj] = [a, i, j];
      sw += a;
      su += a * (i + 0.5);
      sv += a * (j + 0.5);
    }
  }
  assert.equal(bi, 57);
  assert.ok(bj === 45 || bj === 46);
  close(su / sw, u, 1e-3, 'centroid u');
  close(sv / sw, v, 1e-3, 'centroid v');
  assertMatchesAnalytic(k, pose, spec, [0, 0, 0], r);
});

test('+X lands right of centre and +Y above it, seen from the origin looking at (0, 0, -5)', () => {
  const k = square(65, 80); // centre pixel (32, 32); 1 m at 5 m is 16 px
  const pose = Pose.lookAt([0, 0, 0], [0, 0, -5]);
  const brightest = (p: Vec3) => {
    const r = renderSplats(cloudOf([{ p, s: 0.05, o: 0.9, c: [1, 1, 1] }]), pose, k);
    let best = -1, at = -1;
    r.alpha.forEach((a, i) => {
      if (a > best) [best, at] = [a, i];
    });
    return { i: at % 65, j: Math.floor(at / 65) };
  };
  assert.deepEqual(brightest([0, 0, -5]), { i: 32, j: 32 });
  assert.deepEqual(brightest([1, 0, -5]), { i: 48, j: 32 }, 'x = 1 lands right of centre');
  assert.deepEqual(brightest([0, 1, -5]), { i: 32, j: 16 }, 'y = 1 lands above centre (smaller row)');
});

test('an anisotropic rotated Gaussian is elongated along the predicted image direction', () => {
  const k = square(97, 100);
  const pose = Pose.identity();
  // Long axis (local x, sigma 0.45 m -> 9 px) turned 30 degrees about the view axis, counter-clockwise
  // seen from the camera: world direction (cos 30, sin 30, 0), so in the image (v down) (cos 30, -sin 30).
  const q = quatFromAxisAngle([0, 0, 1], Math.PI / 6);
  const spec: Spec = { p: [0, 0, -5], s: [0.45, 0.1, 0.1], q, o: 0.9, c: [1, 0.5, 0.25] };
  const r = renderSplats(cloudOf([spec]), pose, k);
  // Second moments of the alpha image about the centre: the footprint is an ellipse truncated on
  // its own level set, so its moment matrix is proportional to the 2D covariance.
  let sw = 0, suu = 0, suv = 0, svv = 0;
  for (let j = 0; j < 97; j++) {
    for (let i = 0; i < 97; i++) {
      const a = r.alpha[j * 97 + i];
      const du = i + 0.5 - 48.5, dv = j + 0.5 - 48.5;
      sw += a;
      suu += a * du * du;
      suv += a * du * dv;
      svv += a * dv * dv;
    }
  }
  const angle = 0.5 * Math.atan2(2 * suv, suu - svv);
  close(angle, -Math.PI / 6, 0.01, 'major axis angle (radians, image axes)');
  const tr = (suu + svv) / sw, det = (suu * svv - suv * suv) / (sw * sw);
  const l1 = tr / 2 + Math.sqrt((tr * tr) / 4 - det), l2 = tr / 2 - Math.sqrt((tr * tr) / 4 - det);
  close(l1 / l2, (81 + 0.3) / (4 + 0.3), 0.3, 'variance ratio along the axes');
  // Along the predicted major direction the splat reaches further than along the minor one.
  const along = r.alpha[Math.round(48 - 6 * 0.5) * 97 + Math.round(48 + 6 * Math.cos(Math.PI / 6))];
  const across = r.alpha[Math.round(48 - 6 * Math.cos(Math.PI / 6)) * 97 + Math.round(48 - 6 * 0.5)];
  assert.ok(along > 0.4 && across < 0.05, `along ${along}, across ${across}`);
  assertMatchesAnalytic(k, pose, spec, [0, 0, 0], r);
});

test('a Gaussian tilted in depth, off-centre, seen from a rotated camera matches the EWA formula', () => {
  const k = intrinsicsFromFov(120, 90, 55);
  const pose = Pose.lookAt([1, 0.5, 2], [-0.5, 0.2, -3]);
  const q = quatFromAxisAngle([0.3, 1, 0.5], 0.9);
  const spec: Spec = { p: [-0.2, 0.6, -2.5], s: [0.3, 0.08, 0.15], q, o: 0.7, c: [0.2, 0.6, 1] };
  const bg: Vec3 = [0.5, 0.5, 0.5];
  const r = renderSplats(cloudOf([spec]), pose, k, { background: bg });
  assertMatchesAnalytic(k, pose, spec, bg, r);
});

test('two overlapping Gaussians composite front to back whatever their order in the cloud', () => {
  const k = square(33, 60);
  const front: Spec = { p: [0, 0, -3], s: 0.3, o: 0.6, c: [1, 0, 0] };
  const back: Spec = { p: [0, 0, -5], s: 0.5, o: 0.7, c: [0, 1, 0] };
  const bg: Vec3 = [0, 0, 0.5];
  for (const specs of [[front, back], [back, front]]) {
    const r = renderSplats(cloudOf(specs), Pose.identity(), k, { background: bg });
    const c = pixel(r, 16, 16);
    const a1 = 0.6, a2 = 0.7;
    close(c[0], a1, 1e-6, 'red');
    close(c[1], a2 * (1 - a1), 1e-6, 'green');
    close(c[2], 0.5 * (1 - a1) * (1 - a2), 1e-6, 'background');
    close(r.alpha[16 * 33 + 16], 1 - (1 - a1) * (1 - a2), 1e-6, 'alpha');
    close(r.depth[16 * 33 + 16], (a1 * 3 + a2 * (1 - a1) * 5) / (a1 + a2 * (1 - a1)), 1e-5, 'depth');
  }
  // Opacity 1 is capped at 0.99 per splat, as 3DGS does.
  const r = renderSplats(cloudOf([{ ...front, o: 1 }]), Pose.identity(), k);
  close(r.alpha[16 * 33 + 16], 0.99, 1e-7);
});

test('compositing stops when T (1 - alpha) would fall below 1e-4, before adding that splat', () => {
  // Three splats at the centre with alpha 0.99: after two T = 1e-4 (not below), the third would take
  // it to 1e-6, so it is left out and the fourth is never reached.
  const k = square(9, 40);
  const specs: Spec[] = [
    { p: [0, 0, -2], s: 0.5, o: 1, c: [1, 0, 0] },
    { p: [0, 0, -3], s: 0.5, o: 1, c: [0, 1, 0] },
    { p: [0, 0, -4], s: 0.5, o: 1, c: [0, 0, 1] },
    { p: [0, 0, -5], s: 0.5, o: 1, c: [1, 1, 1] },
  ];
  const r = renderSplats(cloudOf(specs), Pose.identity(), k, { background: [1, 1, 1] });
  const c = pixel(r, 4, 4);
  // T after the first two: 0.01 * 0.01 = 1e-4 in exact arithmetic; rounding may put it just below,
  // in which case the second splat is the one left out. Either way the rule is "test, then add".
  const t2 = 0.01 * (1 - 0.99);
  if (t2 >= 1e-4) {
    close(c[0], 0.99 + 1e-4, 1e-6);
    close(c[1], 0.01 * 0.99 + 1e-4, 1e-6);
    close(c[2], 1e-4, 1e-6);
    close(r.alpha[4 * 9 + 4], 1 - 1e-4, 1e-7);
  } else {
    close(c[0], 0.99 + 0.01, 1e-6);
    close(c[1], 0.01, 1e-6);
    close(c[2], 0.01, 1e-6);
    close(r.alpha[4 * 9 + 4], 0.99, 1e-7);
  }
});

test('a view fully covered by opaque splats has alpha ~ 1 everywhere', () => {
  const k = intrinsicsFromFov(64, 48, 60);
  const specs: Spec[] = [];
  for (let layer = 0; layer < 5; layer++) {
    const z = -2 - layer;
    for (let y = -2; y <= 2; y += 0.2) {
      for (let x = -2.5; x <= 2.5; x += 0.2) specs.push({ p: [x, y, z], s: 0.15, o: 1, c: [0.2, 0.5, 0.7] });
    }
  }
  const r = renderSplats(cloudOf(specs), Pose.identity(), k, { background: [1, 0, 0] });
  let minAlpha = 1;
  for (const a of r.alpha) minAlpha = Math.min(minAlpha, a);
  // Not 1 - 1e-4 everywhere: a pixel stops as soon as the next splat would take T below 1e-4, so T
  // may stay anywhere below 1e-4 / (1 - 0.99) = 1e-2 there. Hence: above 0.99 everywhere, ~1 on average.
  let sum = 0;
  for (const a of r.alpha) sum += a;
  assert.ok(minAlpha > 0.99, `min alpha ${minAlpha}`);
  assert.ok(sum / r.alpha.length > 0.999, `mean alpha ${sum / r.alpha.length}`);
  // One colour for every splat: each pixel is 0.2 alpha + (1 - alpha) x background red.
  for (let p = 0; p < 64 * 48; p++) close(r.color[3 * p], 0.2 * r.alpha[p] + (1 - r.alpha[p]), 1e-5, 'colour');
});

test('a grid of splats on z = -3 gives depth 3 at every pixel', () => {
  const k = intrinsicsFromFov(48, 48, 50);
  const specs: Spec[] = [];
  for (let y = -2; y <= 2; y += 0.1) for (let x = -2; x <= 2; x += 0.1) specs.push({ p: [x, y, -3], s: [0.08, 0.08, 0.001], o: 0.8, c: [1, 1, 1] });
  const r = renderSplats(cloudOf(specs), Pose.identity(), k);
  for (let p = 0; p < 48 * 48; p++) {
    assert.ok(r.alpha[p] > 0.99);
    close(r.depth[p], 3, 1e-5, `pixel ${p}`);
  }
});

test('a tilted plane of splats gives the plane\'s analytic depth per pixel', () => {
  const k = intrinsicsFromFov(64, 48, 50);
  const theta = (35 * Math.PI) / 180;
  // The plane through (0, 0, -4) spanned by (1, 0, 0) and (0, cos t, -sin t): its top recedes. Flat
  // splats lie in it: a turn of -t about X takes their local (0, 1, 0) to (0, cos t, -sin t).
  const q = quatFromAxisAngle([1, 0, 0], -theta);
  const sigma = 0.03, step = 0.04;
  const specs: Spec[] = [];
  for (let t = -2.5; t <= 4; t += step) {
    for (let s = -4; s <= 4; s += step) {
      specs.push({ p: [s, t * Math.cos(theta), -4 - t * Math.sin(theta)], s: [sigma, sigma, sigma / 50], q, o: 0.9, c: [1, 1, 1] });
    }
  }
  // Ray through (u, v): (x1, y1, -1) t; the plane is n . p = n . p0 with n = (0, sin, cos).
  const planeDepth = (u: number, v: number) => {
    const y1 = unprojectPixel(k, u, v, 1)[1];
    return (4 * Math.cos(theta)) / (Math.cos(theta) - y1 * Math.sin(theta));
  };
  // The expected depth is a blend of the depths of the splats that cover a pixel, nearest first, so it
  // leans toward the camera by about one footprint's depth change: sigma sin t along the plane, plus,
  // with the 0.3 px^2 low-pass, the plane's depth change over about a pixel.
  const cloud = cloudOf(specs);
  for (const lowPass of [0, 0.3]) {
    const r = renderSplats(cloud, Pose.identity(), k, { lowPass });
    let worst = 0;
    for (let j = 0; j < 48; j++) {
      for (let i = 0; i < 64; i++) {
        const depth = planeDepth(i + 0.5, j + 0.5);
        const perPixel = Math.abs(planeDepth(i + 0.5, j + 1.5) - planeDepth(i + 0.5, j - 0.5)) / 2;
        const bound = 2 * sigma * Math.sin(theta) + (lowPass > 0 ? 1.5 * perPixel : 0);
        const p = j * 64 + i;
        assert.ok(r.alpha[p] > 0.95, `alpha ${r.alpha[p]} at (${i}, ${j})`);
        worst = Math.max(worst, Math.abs(r.depth[p] - depth) / bound);
      }
    }
    assert.ok(worst < 1, `lowPass ${lowPass}: worst depth error ${worst} x its bound`);
    if (lowPass === 0) close(r.depth[24 * 64 + 32], planeDepth(32.5, 24.5), 0.01 * 4, 'centre within 1%');
  }
});

test('splats behind the camera, nearer than near, or outside the view contribute nothing', () => {
  const k = square(32, 40);
  const bg: Vec3 = [0.25, 0.5, 0.75];
  const specs: Spec[] = [
    { p: [0, 0, 5], s: 2, o: 1, c: [1, 0, 0] }, // behind, large enough to cover the view if projected
    { p: [0, 0, -0.005], s: 0.001, o: 1, c: [1, 0, 0] }, // in front but nearer than 0.01 m
    { p: [50, 0, -5], s: 0.5, o: 1, c: [1, 0, 0] }, // far to the right
    { p: [0, -40, -5], s: 0.5, o: 1, c: [1, 0, 0] }, // far below
    { p: [0, 0, -5], s: 0.5, o: 0.003, c: [1, 0, 0] }, // fainter than 1/255 at its peak
  ];
  const r = renderSplats(cloudOf(specs), Pose.identity(), k, { background: bg });
  for (let p = 0; p < 32 * 32; p++) {
    assert.equal(r.alpha[p], 0);
    assert.equal(r.depth[p], 0);
    for (let ch = 0; ch < 3; ch++) close(r.color[3 * p + ch], bg[ch], 1e-7);
  }
  // With near below its depth the near splat is drawn.
  const near = renderSplats(cloudOf([specs[1]]), Pose.identity(), k, { near: 0.001 });
  assert.ok(near.alpha[16 * 32 + 16] > 0.9);
});

test('a splat centred outside the image still draws the part of its footprint inside', () => {
  const k = square(32, 40);
  // Centre at u = 16 + 40 * (-0.55 / 5) = 11.6 ... placed so u = -4 (4 px left of the image).
  const spec: Spec = { p: [(-20 / 40) * 5, 0, -5], s: 0.8, o: 0.9, c: [1, 1, 1] };
  const r = renderSplats(cloudOf([spec]), Pose.identity(), k);
  assert.ok(r.alpha[16 * 32] > 0.5);
  assertMatchesAnalytic(k, Pose.identity(), spec, [0, 0, 0], r);
});

test('splats centred outside the image, long and turned, draw exactly the part of their footprint inside (or nothing)', () => {
  // projectSplats skips splats whose footprint certainly misses the image before their covariance is
  // computed; a bound that was too tight would drop the tips that reach in.
  const k = square(32, 40);
  const rand = seededRandom(21);
  let reached = 0, missed = 0;
  for (let n = 0; n < 48; n++) {
    // px beyond the edge: within the margin where the Jacobian is not clamped (1.3 x 16 px from the
    // centre), so the textbook footprint is the truth
    const side = n % 4, outside = 0.5 + rand() * 4;
    const along = rand() * 32;
    const [u, v] = side === 0 ? [-outside, along] : side === 1 ? [32 + outside, along] : side === 2 ? [along, -outside] : [along, 32 + outside];
    const z = 2 + rand() * 4;
    const spec: Spec = {
      p: [((u - 16) / 40) * z, (-(v - 16) / 40) * z, -z],
      s: [0.002 + 0.02 * rand(), 0.01 + 0.1 * rand(), 0.002 + 0.05 * rand()],
      q: quatFromAxisAngle([rand() - 0.5, rand() - 0.5, rand() - 0.5], rand() * 6),
      o: 0.05 + 0.95 * rand(),
      c: [rand(), rand(), rand()],
    };
    const r = renderSplats(cloudOf([spec]), Pose.identity(), k);
    assertMatchesAnalytic(k, Pose.identity(), spec, [0, 0, 0], r);
    if (r.alpha.some((a) => a > 0)) reached++; else missed++;
  }
  // Both kinds occur, so both the early out and what it must keep are exercised.
  assert.ok(reached >= 10 && missed >= 5, `${reached} reached into the image, ${missed} did not`);
});

test('SH degree 1 colour changes with the view direction as the basis predicts', () => {
  const C1 = 0.4886025119029199; // sqrt(3 / (4 pi)), 3DGS basis: (-C1 y, C1 z, -C1 x)
  // Red channel rest coefficients 0.2, 0.3, -0.4; green 0; blue all -1 (drives blue below 0: clamped).
  const sh = [0.2, 0, -1, 0.3, 0, -1, -0.4, 0, -1];
  const cloud = cloudOf([{ p: [0, 0, -5], s: 0.3, o: 1, c: [0.5, 0.5, 0.5], sh }], 1);
  const k = square(33, 60);
  const views: { eye: Vec3; dir: Vec3 }[] = [
    { eye: [0, 0, 0], dir: [0, 0, -1] },
    { eye: [5, 0, -5], dir: [-1, 0, 0] },
    { eye: [0, 5, -5], dir: [0, -1, 0] },
    { eye: [-3, -4, -5], dir: [0.6, 0.8, 0] },
  ];
  for (const { eye, dir } of views) {
    const r = renderSplats(cloud, Pose.lookAt(eye, [0, 0, -5], dir[1] === 0 ? [0, 1, 0] : [0, 0, 1]), k);
    const [x, y, z] = dir;
    const basis = [-C1 * y, C1 * z, -C1 * x];
    const red = 0.5 + basis[0] * 0.2 + basis[1] * 0.3 + basis[2] * -0.4;
    const blue = Math.max(0, 0.5 - basis[0] - basis[1] - basis[2]);
    const c = pixel(r, 16, 16);
    close(c[0], 0.99 * red, 1e-6, `red from ${eye}`);
    close(c[1], 0.99 * 0.5, 1e-6, `green from ${eye}`);
    close(c[2], 0.99 * blue, 1e-6, `blue from ${eye}`);
  }
  // Capping the degree at 0 leaves the base colour.
  const flat = renderSplats(cloud, Pose.identity(), k, { shDegree: 0 });
  close(pixel(flat, 16, 16)[0], 0.99 * 0.5, 1e-6);
});

test('the picture does not change when the world and the camera move together', () => {
  // A metamorphic check of the view transform: render a cloud from a posed camera, and the same cloud
  // moved into that camera's frame (SplatCloud.transform, SH rotated) from the identity pose.
  const specs: Spec[] = [];
  for (let i = 0; i < 30; i++) {
    specs.push({
      p: [Math.sin(i) * 1.5, Math.cos(i * 1.3), -2 - (i % 5) * 0.4],
      s: [0.1 + 0.05 * (i % 3), 0.2, 0.05],
      q: quatFromAxisAngle([1, i % 4, 2], i * 0.7),
      o: 0.3 + 0.02 * i,
      c: [0.2 + 0.02 * i, 0.5, 0.9 - 0.02 * i],
      sh: Array.from({ length: 9 }, (_, n) => 0.1 * Math.sin(i + n)),
    });
  }
  const cloud = cloudOf(specs, 1);
  const pose = Pose.lookAt([0.5, 0.8, 1.5], [0, 0, -3]);
  const k = intrinsicsFromFov(40, 30, 60);
  const a = renderSplats(cloud, pose, k);
  // Inverse of the pose: p_cam = R^T (p - e) => rotation conj(q), translation -R^T e.
  const [w, x, y, z] = pose.rotation;
  const inv: Quat = [w, -x, -y, -z];
  const moved = cloud.clone().transform({ rotation: inv, translation: pose.worldToCamera([0, 0, 0]) });
  const b = renderSplats(moved, Pose.identity(), k);
  let worst = 0;
  for (let i = 0; i < a.color.length; i++) worst = Math.max(worst, Math.abs(a.color[i] - b.color[i]));
  assert.ok(worst < 1e-4, `max colour difference ${worst}`);
});

test('a random cloud matches a plain per-pixel implementation of the reference kernel', () => {
  // The reference's renderCUDA loop, written out plainly: for every pixel, every splat in depth
  // order, with the analytic footprint above and SH colour from the 3DGS basis constants.
  const C1 = 0.4886025119029199;
  const C2 = [1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792, 0.5462742152960396];
  const rand = seededRandom(11);
  const specs: Spec[] = [];
  for (let i = 0; i < 150; i++) {
    specs.push({
      p: [(rand() * 2 - 1) * 1.5, (rand() * 2 - 1) * 1.1, -2 - rand() * 3],
      s: [0.02 + 0.2 * rand(), 0.02 + 0.2 * rand(), 0.02 + 0.2 * rand()],
      q: quatFromAxisAngle([rand() - 0.5, rand() - 0.5, rand() - 0.5], rand() * 6),
      o: 0.05 + 0.95 * rand(),
      c: [rand(), rand(), rand()],
      sh: Array.from({ length: 24 }, () => (rand() * 2 - 1) * 0.4),
    });
  }
  const cloud = cloudOf(specs, 2);
  const k = intrinsicsFromFov(48, 36, 60);
  const pose = Pose.identity();
  const bg: Vec3 = [0.3, 0.1, 0.2];
  const r = renderSplats(cloud, pose, k, { background: bg });

  const splats = specs.map((spec) => {
    const fp = analyticFootprint(k, pose, spec);
    const len = Math.hypot(...spec.p);
    const [x, y, z] = spec.p.map((v) => v / len);
    const basis = [-C1 * y, C1 * z, -C1 * x, C2[0] * x * y, C2[1] * y * z, C2[2] * (2 * z * z - x * x - y * y), C2[3] * x * z, C2[4] * (x * x - y * y)];
    const color = [0, 1, 2].map((ch) => Math.max(0, spec.c[ch] + basis.reduce((sum, b, n) => sum + b * spec.sh![3 * n + ch], 0)));
    return { fp, color, o: spec.o };
  });
  splats.sort((a, b) => a.fp.depth - b.fp.depth);
  let worst = 0, sum = 0;
  for (let j = 0; j < k.height; j++) {
    for (let i = 0; i < k.width; i++) {
      let t = 1;
      const c = [0, 0, 0];
      for (const s of splats) {
        const alpha = analyticAlpha(s.fp, s.o, i, j);
        if (alpha === 0) continue;
        const testT = t * (1 - alpha);
        if (testT < 1e-4) break;
        for (let ch = 0; ch < 3; ch++) c[ch] += s.color[ch] * alpha * t;
        t = testT;
      }
      for (let ch = 0; ch < 3; ch++) {
        const err = Math.abs(r.color[3 * (j * k.width + i) + ch] - (c[ch] + t * bg[ch]));
        worst = Math.max(worst, err);
        sum += err;
      }
    }
  }
  // Float32 output, and a finite-difference Jacobian in the truth: agreement to ~1e-6.
  assert.ok(worst < 1e-5, `worst colour difference ${worst}`);
  assert.ok(sum / (3 * k.width * k.height) < 1e-6, `mean colour difference ${sum / (3 * k.width * k.height)}`);
});

test('an abort signal stops the render with an error; progress runs from 0 to 1', () => {
  const specs: Spec[] = [];
  for (let i = 0; i < 5000; i++) specs.push({ p: [(i % 50) * 0.04 - 1, Math.floor(i / 50) * 0.02 - 1, -3], s: 0.05, o: 0.5, c: [1, 1, 1] });
  const cloud = cloudOf(specs);
  const k = square(32, 30);
  const before = new AbortController();
  before.abort();
  assert.throws(() => renderSplats(cloud, Pose.identity(), k, { signal: before.signal }), { name: 'AbortError' });

  const during = new AbortController();
  const stages: string[] = [];
  assert.throws(
    () =>
      renderSplats(cloud, Pose.identity(), k, {
        signal: during.signal,
        onProgress: (_f, stage) => {
          stages.push(stage);
          if (stage === 'rasterize') during.abort();
        },
      }),
    { name: 'AbortError' },
  );
  assert.deepEqual([...new Set(stages)], ['project', 'sort', 'rasterize']);

  const fractions: number[] = [];
  renderSplats(cloud, Pose.identity(), k, { onProgress: (f) => fractions.push(f) });
  assert.equal(fractions[0], 0);
  assert.equal(fractions[fractions.length - 1], 1);
  for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1]);
});

test('bad input is refused with a message that says what was expected', () => {
  const cloud = cloudOf([{ p: [0, 0, -1], s: 0.1, o: 1, c: [1, 1, 1] }]);
  assert.throws(() => renderSplats(cloud, Pose.identity(), { ...square(8, 8), width: 0 }), /positive integer image size, found 0x8/);
  assert.throws(() => renderSplats(cloud, Pose.identity(), { ...square(8, 8), fx: -1 }), /positive finite focal lengths/);
  assert.throws(() => renderSplats(cloud, Pose.identity(), square(8, 8), { near: -1 }), /near distance >= 0, found -1/);
  assert.throws(() => renderSplats(cloud, Pose.identity(), square(8, 8), { shDegree: 1.5 }), /shDegree/);
});

test('an empty cloud renders the background', () => {
  const r = renderSplats(SplatCloud.create(0), Pose.identity(), square(4, 4), { background: [0.1, 0.2, 0.3] });
  assert.deepEqual([...pixel(r, 3, 3)].map((v) => Math.round(v * 10)), [1, 2, 3]);
  assert.ok(r.alpha.every((a) => a === 0));
});

test('toRgba8 clamps, scales by 255, rounds, and sets alpha 255', () => {
  const result: RenderResult = {
    width: 2,
    height: 1,
    color: new Float32Array([-0.1, 0.5, 1.2, 0.2, 1, 0]),
    alpha: new Float32Array(2),
    depth: new Float32Array(2),
  };
  assert.deepEqual([...toRgba8(result)], [0, 128, 255, 255, 51, 255, 0, 255]);
});
