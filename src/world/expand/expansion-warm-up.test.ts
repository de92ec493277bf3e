/**
 * The expansion's warm-up (expansion-warm-up.ts) changes nothing a later expansion does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicsFromFov } from '../../core/camera.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { expandView, prepareExpansion } from './expand-view.ts';
import { warmUpExpansion } from './expansion-warm-up.ts';
import { texturedInpainter } from './mirror-detail.ts';
import { courtyardScene, worldFromView, yawPose } from './synthetic-scene.ts';
import { texturePrepared } from './texture-synthesis.ts';

test('an expansion after the warm-up (tiny world, fills, texture split) is the expansion without it: same splats and frame', async () => {
  const k = intrinsicsFromFov(96, 72, 60), eye: Vec3 = [0, 1.6, 0];
  const plain = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  const warmed = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  await expandView(plain, yawPose(eye, 40), k, texturedInpainter());
  const colour = texturedInpainter();
  const texture = prepareExpansion(warmed, k, colour).texture;
  assert.ok(texture, 'the courtyard world has a texture source');
  const before = warmed.splats.count;
  await warmUpExpansion(colour, { source: texture, width: k.width, height: k.height });
  assert.equal(warmed.splats.count, before, 'the warm-up added nothing to the world');
  assert.equal(warmed.memory.size, 1);
  assert.ok(texturePrepared(texture, k.width, k.height));
  await expandView(warmed, yawPose(eye, 40), k, colour);
  assert.ok(plain.splats.count > before, 'the expansion added splats');
  assert.equal(warmed.splats.count, plain.splats.count);
  for (const column of ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const) {
    assert.deepEqual(warmed.splats[column], plain.splats[column], column);
  }
  assert.deepEqual(warmed.memory.frames[1].depth, plain.memory.frames[1].depth);
});

test('with a pause, the warm-up awaits it before every step, stops at the first pause after an abort, and then the texture is not split', async () => {
  const k = intrinsicsFromFov(96, 72, 60), eye: Vec3 = [0, 1.6, 0];
  const world = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  const colour = texturedInpainter();
  const texture = prepareExpansion(world, k, colour).texture!;
  const split = { source: texture, width: k.width, height: k.height };
  let pauses = 0;
  await warmUpExpansion(colour, split, undefined, async () => void pauses++);
  // the world's build, each of 4 tiny expansions before it starts and before its completion, 10 fills, the split
  assert.equal(pauses, 1 + 4 * 2 + 10 + 1);

  const other = texturedInpainter(), stop = new AbortController();
  const source = prepareExpansion(worldFromView(courtyardScene(), yawPose(eye, 0), k), k, other).texture!;
  let later = 0;
  const run = warmUpExpansion(other, { source, width: k.width, height: k.height }, stop.signal, async () => {
    if (stop.signal.aborted) later++;
    // a job arrives while the first tiny expansion renders (pause 3 is the one before its completion)
    if (++pauses === 1 + 4 * 2 + 10 + 1 + 3) stop.abort();
  });
  await assert.rejects(run, { name: 'AbortError' });
  assert.equal(later, 0, 'no step ran after the abort');
  assert.equal(texturePrepared(source, k.width, k.height), false);
});
