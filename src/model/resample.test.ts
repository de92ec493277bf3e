import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullAxis, resample } from './resample.ts';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('same size is the identity, channel by channel (interleaved in, planar out)', () => {
  const src = Float32Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 0.37 - 2);
  const out = resample(src, 2, fullAxis(4, 4), fullAxis(3, 3));
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 2; c++) {
    assert.equal(out[(c * 3 + y) * 4 + x], src[(y * 4 + x) * 2 + c]);
  }
});

test('a linear ramp stays the same ramp away from the borders, shrinking and enlarging', () => {
  // f(x, y) = 2 + 0.3 x - 0.1 y at pixel centres; the tent filter is symmetric, so it keeps linear functions.
  const f = (x: number, y: number) => 2 + 0.3 * x - 0.1 * y;
  const [w, h] = [70, 50];
  const src = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) src[y * w + x] = f(x + 0.5, y + 0.5);
  for (const [dw, dh] of [[20, 14], [163, 117]]) {
    const out = resample(src, 1, fullAxis(w, dw), fullAxis(h, dh));
    const sx = w / dw;
    const sy = h / dh;
    const margin = 2 + Math.ceil(Math.max(1 / sx, 1 / sy));
    for (let y = margin; y < dh - margin; y++) for (let x = margin; x < dw - margin; x++) {
      close(out[y * dw + x], f((x + 0.5) * sx, (y + 0.5) * sy), 1e-4, `${dw}x${dh} at ${x},${y}`);
    }
  }
});

test("shrinking averages over each pixel's footprint instead of picking pixels (no aliasing)", () => {
  // A one-pixel checkerboard shrunk 2x: point sampling would give all 0 or all 1; an area filter gives 0.5.
  const [w, h] = [40, 40];
  const src = Float32Array.from({ length: w * h }, (_, i) => ((i % w) + Math.floor(i / w)) % 2);
  const out = resample(src, 1, fullAxis(w, 20), fullAxis(h, 20));
  for (let y = 1; y < 19; y++) for (let x = 1; x < 19; x++) close(out[y * 20 + x], 0.5, 1e-6, `${x},${y}`);
});

test('outside the source, the border pixel repeats', () => {
  const src = Float32Array.from([1, 2, 3]);
  // Destination of 5 pixels where the source occupies the middle 3 (a pad of one pixel each side).
  const out = resample(src, 1, { srcSize: 3, dstSize: 5, step: 1, origin: -1 }, fullAxis(1, 1));
  assert.deepEqual([...out], [1, 1, 2, 3, 3]);
});

test('a wrong source length is named', () => {
  assert.throws(() => resample(new Float32Array(5), 1, fullAxis(2, 2), fullAxis(2, 2)), /resample: expected 2x2x1 = 4 values, found 5/);
});
