import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomCloud } from '../../core/random.ts';
import { WorldChunks } from './world-chunks.ts';

test('merged() holds every chunk in order; SH of a degree-0 chunk is zero-padded', () => {
  const world = new WorldChunks();
  const a = randomCloud(5, 1, 1);
  const b = randomCloud(7, 2, 0);
  world.replace(randomCloud(3, 9));
  world.replace(a);
  world.append(b);
  assert.equal(world.splatCount, 12);
  const m = world.merged();
  assert.equal(m.count, 12);
  assert.equal(m.shDegree, 1);
  assert.deepEqual(m.positions.subarray(0, 15), a.positions);
  assert.deepEqual(m.positions.subarray(15), b.positions);
  assert.deepEqual(m.sh!.subarray(0, 45), a.sh);
  assert.ok(m.sh!.subarray(45).every((v) => v === 0));
});
