import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomCloud } from '../../core/random.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import { cloudFromMessage, cloudToMessage, uniqueBuffers } from './generate-protocol.ts';

test('a cloud crosses to another thread and back with every column intact', () => {
  const cloud = randomCloud(257, 5, 2, 1);
  const { message, transfer } = cloudToMessage(cloud);
  const copy = structuredClone(message); // what postMessage does (minus the transfer)
  const back = cloudFromMessage(copy);
  assert.equal(back.count, 257);
  assert.equal(back.shDegree, 2);
  for (const key of ['positions', 'scales', 'rotations', 'opacities', 'colors', 'sh'] as const) {
    assert.deepEqual(back[key], cloud[key], key);
  }
  assert.equal(new Set(transfer).size, transfer.length, 'no buffer listed twice (postMessage would throw)');
});

test('columns that are views into bigger storage are cut to the count before they are sent', () => {
  const cloud = SplatCloud.create(10, 0);
  cloud.append(randomCloud(5, 1, 0, 1)); // grows the storage beyond 15
  const { message, transfer } = cloudToMessage(cloud);
  assert.equal(message.positions.length, 45);
  assert.equal(message.sh, null);
  for (const buffer of transfer) assert.ok(buffer.byteLength > 0);
  // A cut column is a copy: transferring it leaves the cloud's own (bigger) storage where it was.
  structuredClone(message, { transfer });
  assert.equal(cloud.positions.length, 45, 'the cloud still has its splats');
});

test('uniqueBuffers lists each buffer once and skips missing arrays', () => {
  const shared = new ArrayBuffer(64);
  assert.deepEqual(uniqueBuffers([new Float32Array(shared, 0, 4), new Float32Array(shared, 16, 4), null, undefined]), [shared]);
});
