import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeViewHash, encodeViewHash } from './url-pose.ts';

test('a view survives the URL hash to a millimetre and a hundredth of a degree, other keys kept', () => {
  const view = { position: [1.23456, -0.5, 10] as [number, number, number], yaw: 0.5, pitch: -0.25, fovDeg: 55 };
  const hash = encodeViewHash(view, '#debug=1');
  assert.match(hash, /^#debug=1&cam=1\.235,-0\.5,10,28\.65,-14\.32,55$/);
  const back = decodeViewHash(hash)!;
  back.position.forEach((v, i) => assert.ok(Math.abs(v - view.position[i]) <= 5e-4));
  assert.ok(Math.abs(back.yaw - view.yaw) < 1e-4);
  assert.ok(Math.abs(back.pitch - view.pitch) < 1e-4);
  assert.equal(back.fovDeg, 55);
});

test('no cam key is no view; a malformed one says what was expected', () => {
  assert.equal(decodeViewHash(''), null);
  assert.equal(decodeViewHash('#url=x'), null);
  assert.throws(() => decodeViewHash('#cam=1,2,3'), /expected #cam=x,y,z,yaw,pitch,fov \(six numbers\), found "1,2,3"/);
  assert.throws(() => decodeViewHash('#cam=1,2,3,0,0,0'), /field of view/);
});
