/**
 * lift's `keep` (expansion lifts only a view's hole pixels): the splats it makes are exactly those of
 * the whole lift at the kept pixels, in pixel order, byte for byte: keep changes which splats are
 * made, never how.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import { quatFromAxisAngle } from '../core/quat.ts';
import { seededRandom } from '../core/random.ts';
import { paint, sampleDepth } from './analytic-scenes.ts';
import { liftToSplats } from './lift.ts';

test('lift with keep = the whole lift\'s splats at the kept pixels, byte for byte (sky, edges, confidence included)', () => {
  const W = 96, H = 72, K = intrinsicsFromFov(W, H, 60);
  const random = seededRandom(5);
  const image = paint(W, H, (x, y) => [0.2 + (0.6 * x) / W, 0.3 + (0.4 * y) / H, random()]);
  // Sky at the top, a step (a depth edge) at a third of the width, a slope elsewhere.
  const depth = sampleDepth(K, W, H, (u, v) => (v < 0.2 * H ? 0 : u < 0.33 * W ? 2 : 4 + (3 * v) / H));
  const confidence = { width: W, height: H, data: Float32Array.from({ length: W * H }, () => random()) };
  const pose = new Pose([0.5, 1.6, -2], quatFromAxisAngle([0.2, 1, 0], 0.7));
  const keep = Uint8Array.from({ length: W * H }, (_, i) => (random() < 0.4 || (i % W) > 60 ? 1 : 0));
  const whole = liftToSplats({ image, depth, confidence, intrinsics: K, pose });
  const kept = liftToSplats({ image, depth, confidence, intrinsics: K, pose }, { keep });
  const pixels = [...keep.keys()].filter((i) => keep[i]);
  assert.equal(kept.count, pixels.length);
  const per = { positions: 3, scales: 3, rotations: 4, opacities: 1, colors: 3 } as const;
  for (const [column, n] of Object.entries(per) as [keyof typeof per, number][]) {
    const expected = new Float32Array(pixels.length * n);
    pixels.forEach((p, j) => expected.set(whole[column].subarray(p * n, (p + 1) * n), j * n));
    assert.deepEqual(new Uint8Array(kept[column].buffer, kept[column].byteOffset, 4 * n * kept.count), new Uint8Array(expected.buffer), column);
  }
  // A keep of the wrong size is refused with one line.
  assert.throws(() => liftToSplats({ image, depth, intrinsics: K, pose }, { keep: new Uint8Array(5) }), /^Error: lift: expected keep as one value per pixel of the 96x72 working picture, found 5$/);
});

test('lift with keep and colour steps = the whole lift with those steps at the kept pixels, byte for byte (the colours solved over every pixel)', () => {
  const W = 64, H = 48, K = intrinsicsFromFov(W, H, 60);
  const random = seededRandom(9);
  const image = paint(W, H, () => [random(), random(), random()]);
  const depth = sampleDepth(K, W, H, (u, v) => (v < 0.15 * H ? 0 : u < 0.4 * W ? 2 : 3 + (2 * v) / H));
  const pose = new Pose([0.1, 1.6, 0.4], quatFromAxisAngle([0, 1, 0], -0.3));
  const keep = Uint8Array.from({ length: W * H }, (_, i) => ((i % W) > 40 || random() < 0.1 ? 1 : 0));
  const whole = liftToSplats({ image, depth, intrinsics: K, pose }, { colourIterations: 3 });
  const kept = liftToSplats({ image, depth, intrinsics: K, pose }, { keep, colourIterations: 3 });
  const pixels = [...keep.keys()].filter((i) => keep[i]);
  const expected = whole.subset(pixels);
  assert.equal(kept.count, pixels.length);
  for (const column of ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const) {
    assert.deepEqual(new Uint8Array(kept[column].buffer, kept[column].byteOffset, kept[column].byteLength), new Uint8Array(expected[column].buffer, expected[column].byteOffset, expected[column].byteLength), column);
  }
  // The steps did move the kept colours (so the comparison above is of solved colours).
  const plain = liftToSplats({ image, depth, intrinsics: K, pose }, { keep });
  assert.notDeepEqual(kept.colors, plain.colors);
});

test('lift with keep and colour steps solves only around the kept pixels: a compact hole\'s colours are the whole lift\'s, byte for byte, for 3 and 4 steps', () => {
  // A disc and a lone pixel far from it (a window that is most of the picture, as at expansion): the
  // colour stage solves their neighbourhoods only (colour-reach.ts), which a reach one step short breaks.
  const W = 120, H = 90, K = intrinsicsFromFov(W, H, 60);
  const random = seededRandom(17);
  const image = paint(W, H, () => [random(), random(), random()]);
  const depth = sampleDepth(K, W, H, (u, v) => (v < 0.1 * H ? 0 : u < 0.3 * W ? 2 : 3 + (2 * v) / H + u / W));
  const confidence = { width: W, height: H, data: Float32Array.from({ length: W * H }, () => 0.2 + random()) };
  const pose = new Pose([0.1, 1.6, 0.4], quatFromAxisAngle([0, 1, 0], 0.5));
  const keep = Uint8Array.from({ length: W * H }, (_, i) => ((i % W - 70) ** 2 + (Math.floor(i / W) - 40) ** 2 < 15 ** 2 || i === 80 * W + 10 ? 1 : 0));
  const pixels = [...keep.keys()].filter((i) => keep[i]);
  for (const colourIterations of [3, 4]) {
    const expected = liftToSplats({ image, depth, confidence, intrinsics: K, pose }, { colourIterations }).subset(pixels);
    const kept = liftToSplats({ image, depth, confidence, intrinsics: K, pose }, { keep, colourIterations });
    for (const column of ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const) {
      assert.deepEqual(new Uint8Array(kept[column].buffer, kept[column].byteOffset, kept[column].byteLength), new Uint8Array(expected[column].buffer, expected[column].byteOffset, expected[column].byteLength), `${column}, ${colourIterations} steps`);
    }
  }
});
