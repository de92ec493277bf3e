import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicsFromFov } from '../core/camera.ts';
import type { Vec3 } from '../core/vec3.ts';
import { paint, planeDepth, rayAt, sampleDepth } from './analytic-scenes.ts';
import { jointBilateralUpsample, smoothWindows } from './joint-bilateral-upsample.ts';

const W = 160, H = 120;
const K = intrinsicsFromFov(W, H, 60);
// As the lift sets it: a jump between adjacent model pixels steeper than 85 degrees is an edge.
const edgeRatio = Math.tan((85 * Math.PI) / 180) / (K.fy / 4);
const up = (depth: { width: number; height: number; data: Float32Array }, guide: { data: Uint8Array }) =>
  jointBilateralUpsample(depth.data, depth.width, depth.height, guide.data, W, H, { edgeRatio });

test('a tilted plane comes out exact at every photo pixel, borders included (4x upsampling)', () => {
  const n: Vec3 = [0.2, 0.6, Math.sqrt(1 - 0.4)];
  const depthAt = (u: number, v: number) => planeDepth(n, 2.5, rayAt(K, u, v));
  const out = up(sampleDepth(K, W / 4, H / 4, depthAt), paint(W, H, (x, y) => [(x * 7) % 13 / 13, (y * 5) % 11 / 11, 0.5]));
  let worst = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) worst = Math.max(worst, Math.abs(out[y * W + x] / depthAt(x + 0.5, y + 0.5) - 1));
  assert.ok(worst < 1e-5, `relative error up to ${worst}`);
});

test('a step: every depth is one of the two, and the jump sits on the photo\'s colour edge, not the model\'s grid', () => {
  // The colour edge runs diagonally, so it crosses model pixels at every phase.
  const edgeAt = (v: number) => 50.3 + 0.37 * v;
  const photo = paint(W, H, (x, y) => (x + 0.5 < edgeAt(y + 0.5) ? [0.8, 0.2, 0.2] : [0.2, 0.3, 0.8]));
  const depth = sampleDepth(K, W / 4, H / 4, (u, v) => (u < edgeAt(v) ? 2 : 5));
  const out = up(depth, photo);
  let wrongSide = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = out[y * W + x];
      assert.ok(Math.abs(d - 2) < 1e-5 || Math.abs(d - 5) < 1e-5, `pixel (${x}, ${y}) has depth ${d}, between the planes`);
      if ((d < 3) !== (x + 0.5 < edgeAt(y + 0.5))) wrongSide++;
    }
  }
  assert.equal(wrongSide, 0, `${wrongSide} pixels got the other side's depth`);
});

test('a step between two sloped surfaces: each side stays on its own plane right up to the edge', () => {
  const near: Vec3 = [0.3, 0, Math.sqrt(1 - 0.09)], far: Vec3 = [-0.4, 0.2, Math.sqrt(1 - 0.2)];
  const edge = 83.6;
  const depthAt = (u: number, v: number) => (u < edge ? planeDepth(near, 2, rayAt(K, u, v)) : planeDepth(far, 6, rayAt(K, u, v)));
  const photo = paint(W, H, (x) => (x + 0.5 < edge ? [0.9, 0.9, 0.2] : [0.1, 0.2, 0.3]));
  const out = up(sampleDepth(K, W / 4, H / 4, depthAt), photo);
  let worst = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) worst = Math.max(worst, Math.abs(out[y * W + x] / depthAt(x + 0.5, y + 0.5) - 1));
  assert.ok(worst < 2e-3, `relative error up to ${worst}`);
});

test('no depth (sky) stays infinite; errors are one line', () => {
  const depth = sampleDepth(K, W / 4, H / 4, (u, v) => (v < 40 ? Infinity : 3));
  const photo = paint(W, H, (x, y) => (y < 40 ? [0.5, 0.7, 1] : [0.3, 0.3, 0.2]));
  const out = up(depth, photo);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) assert.equal(out[y * W + x], y < 40 ? Infinity : 3, `pixel (${x}, ${y})`);
  assert.throws(() => jointBilateralUpsample(new Float32Array(5), 2, 2, photo.data, W, H), /^Error: upsample: expected 4 depth values for 2x2, found 5$/);
});

test('smoothWindows: every window of the summed-area count agrees with looking at its samples one by one', () => {
  // The windows' definition, read straight off: a jump between two samples of the window makes it not smooth.
  const direct = (inverse: Float32Array, w: number, h: number, radius: number, spread: number) => {
    const jumps = (a: number, b: number) => (a > b ? a > b * spread : b > a * spread);
    const out = new Uint8Array((w + 1) * (h + 1));
    for (let cy = -1; cy < h; cy++) {
      for (let cx = -1; cx < w; cx++) {
        const x0 = Math.max(0, cx - radius + 1), x1 = Math.min(w - 1, cx + radius);
        const y0 = Math.max(0, cy - radius + 1), y1 = Math.min(h - 1, cy + radius);
        let any = false;
        for (let y = y0; y <= y1; y++) {
          for (let x = x0; x <= x1; x++) {
            if (x < x1 && jumps(inverse[y * w + x], inverse[y * w + x + 1])) any = true;
            if (y < y1 && jumps(inverse[y * w + x], inverse[(y + 1) * w + x])) any = true;
          }
        }
        out[(cy + 1) * (w + 1) + cx + 1] = any ? 0 : 1;
      }
    }
    return out;
  };
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const [w, h, radius] of [[23, 17, 2], [9, 31, 1], [40, 3, 3], [30, 26, 4], [8, 11, 1], [3, 40, 2]] as const) {
    // A smooth slope with a few steps (and some sky, 0): most windows smooth, some not, on every side.
    const inverse = new Float32Array(w * h);
    for (let i = 0; i < inverse.length; i++) inverse[i] = random() < 0.03 ? 0 : (0.5 + 0.0002 * i) * (random() < 0.04 ? 2 : 1);
    const got = smoothWindows(inverse, w, h, radius, 1.05), want = direct(inverse, w, h, radius, 1.05);
    let smooth = 0;
    for (let i = 0; i < want.length; i++) { assert.equal(got[i], want[i], `${w}x${h} radius ${radius}, window ${i}`); smooth += want[i]; }
    assert.ok(smooth > 0 && smooth < want.length, `${w}x${h}: ${smooth} of ${want.length} windows smooth: the case tests nothing`);
  }
});

test('at the photo\'s own size (1:1) a smooth pixel keeps its depth (through inverse depth, as float32), a pixel at a step takes one side', () => {
  const w = 37, h = 29;
  // A tilted plane (near) beside a farther one, the step along x = 20; the photo's colours follow it.
  const near = (x: number, y: number) => 2 + 0.01 * x + 0.02 * y, far = (x: number, y: number) => 6 + 0.03 * x - 0.01 * y;
  const depth = new Float32Array(w * h), photo = new Uint8Array(3 * w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      depth[y * w + x] = x < 20 ? near(x, y) : far(x, y);
      photo.set(x < 20 ? [200, 60, 40] : [30, 90, 220], 3 * (y * w + x));
    }
  }
  depth[5 * w + 3] = 0; // no depth (a lone one: its neighbours outweigh it)
  const out = jointBilateralUpsample(depth, w, h, photo, w, h, { edgeRatio: 0.05 });
  let kept = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, d = out[i];
      if (Math.abs(x - 20) > 3 && Math.hypot(x - 3, y - 5) > 3) {
        assert.equal(d, Math.fround(1 / Math.fround(1 / depth[i])), `(${x}, ${y})`);
        kept++;
      } else if (Math.hypot(x - 3, y - 5) > 3) assert.ok(Math.abs(d / near(x, y) - 1) < 0.01 || Math.abs(d / far(x, y) - 1) < 0.01, `(${x}, ${y}): ${d} is on neither plane`);
    }
  }
  assert.ok(kept > 500, `${kept} smooth pixels checked`);
});
