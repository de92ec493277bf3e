import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liftGridOf } from './lift-grid.ts';
import { liftedWorld } from './lod-test-world.ts';

test('liftGridOf: a generated view is found as its lift grid, with the intrinsics of that size', () => {
  const { world, scene } = liftedWorld(64, 48);
  const grid = liftGridOf(world.memory.frames[0], world.splats);
  assert.ok(grid);
  assert.deepEqual([grid.splatStart, grid.width, grid.height], [0, 64, 48]);
  for (const key of ['fx', 'fy', 'cx', 'cy'] as const) assert.ok(Math.abs(grid.intrinsics[key] - scene.intrinsics[key]) < 1e-9, key);
});

test('liftGridOf: splats that are not one per pixel in pixel order are not a grid, even where the count factors', () => {
  // 768 kept pixels (the top 12 rows) = 32 x 24, the view's aspect: only the projection check can tell.
  const keep = new Uint8Array(64 * 48);
  keep.fill(1, 0, 768);
  const kept = liftedWorld(64, 48, keep);
  assert.equal(kept.world.splats.count, 32 * 24);
  assert.equal(liftGridOf(kept.world.memory.frames[0], kept.world.splats), null);
  // Two splats swapped in a whole grid, one of them among the 97 the check projects (the second).
  const { world } = liftedWorld(64, 48);
  const frame = world.memory.frames[0], p = world.splats.positions;
  const sampled = Math.round((frame.splatCount - 1) / 96);
  for (let c = 0; c < 3; c++) [p[3 * sampled + c], p[3 * 2600 + c]] = [p[3 * 2600 + c], p[3 * sampled + c]];
  assert.equal(liftGridOf(frame, world.splats), null);
});
