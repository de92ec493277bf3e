import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utils } from '@sparkjsdev/spark';
import { randomCloud } from '../../core/random.ts';
import { packForSpark } from './spark-packing.ts';

test('packed splats decode (with Spark\'s own decoder) to the cloud, centres relative to the chunk origin', () => {
  // Far from the world origin on purpose: float16 would lose centimetres there without a local origin.
  const cloud = randomCloud(3000, 4, 3, 2).transform({ translation: [120, -40, 300] });
  cloud.colors[0] = 1.4; // overshoot: the colour range must widen instead of clipping
  const packed = packForSpark(cloud);
  assert.equal(packed.numSplats, 3000);
  assert.ok(packed.packedArray.length >= 3000 * 4 && (packed.packedArray.length / 4) % 2048 === 0);
  assert.ok(packed.extra.sh1 && packed.extra.sh2 && packed.extra.sh3, 'all three SH bands present');
  assert.equal(packed.splatEncoding.rgbMax, Math.fround(1.4));
  for (let i = 0; i < cloud.count; i++) {
    const s = utils.unpackSplat(packed.packedArray, i, packed.splatEncoding);
    for (let a = 0; a < 3; a++) {
      const world = [s.center.x, s.center.y, s.center.z][a] + packed.origin[a];
      // float16 over a 4 m chunk: 11 significant bits of at most 2 m, about 1 mm.
      assert.ok(Math.abs(world - cloud.positions[3 * i + a]) < 2e-3, `splat ${i} axis ${a}: ${world} vs ${cloud.positions[3 * i + a]}`);
      const scale = [s.scales.x, s.scales.y, s.scales.z][a];
      // log-scale in 254 steps over [-12, 9]: within half a step, 4.2%.
      assert.ok(Math.abs(Math.log(scale / cloud.scales[3 * i + a])) < 0.042, `scale ${scale} vs ${cloud.scales[3 * i + a]}`);
      const colour = [s.color.r, s.color.g, s.color.b][a];
      assert.ok(Math.abs(colour - cloud.colors[3 * i + a]) <= (1.4 / 255) * 0.51 + 1e-6, `colour ${colour} vs ${cloud.colors[3 * i + a]}`);
    }
    assert.ok(Math.abs(s.opacity - cloud.opacities[i]) <= 0.51 / 255 + 1e-6);
    const q = cloud.rotations.subarray(4 * i, 4 * i + 4);
    const dot = Math.abs(q[0] * s.quaternion.w + q[1] * s.quaternion.x + q[2] * s.quaternion.y + q[3] * s.quaternion.z);
    assert.ok(dot > 0.99, `splat ${i}: rotation (w,x,y,z) ${Array.from(q)} vs Spark's ${JSON.stringify(s.quaternion)}`);
  }
});
