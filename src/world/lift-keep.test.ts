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
