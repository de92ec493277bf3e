import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utils } from '@sparkjsdev/spark';
import { randomCloud } from '../../core/random.ts';
import { packForSpark } from './spark-packing.ts';

test('extended splats decode (with Spark\'s own decoder) to the cloud, far from the origin too', () => {
  // 300 m out on purpose: float32 centres must not lose millimetres there.
  const cloud = randomCloud(3000, 4, 3, 2).transform({ translation: [120, -40, 300] });
  cloud.colors[0] = 1.4; // overshoot survives (3DGS clamps only the final pixel)
  const packed = packForSpark(cloud);
  assert.equal(packed.numSplats, 3000);
  assert.ok((packed.extArrays[0].length / 4) % 2048 === 0 && packed.extArrays[0].length >= 3000 * 4);
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-3, Math.abs(b));
  for (let i = 0; i < cloud.count; i++) {
    const s = utils.decodeExtSplat(packed.extArrays, i);
    const centre = [s.center.x, s.center.y, s.center.z];
    const scales = [s.scales.x, s.scales.y, s.scales.z];
    const colour = [s.color.r, s.color.g, s.color.b];
    for (let a = 0; a < 3; a++) {
      assert.equal(centre[a], cloud.positions[3 * i + a], 'float32 centres are exact');
      // float16 log-scale: |ln s| < 8 has 2^-8 resolution at worst, i.e. 0.4% of the scale.
      assert.ok(Math.abs(Math.log(scales[a] / cloud.scales[3 * i + a])) < 0.004, `scale ${scales[a]} vs ${cloud.scales[3 * i + a]}`);
      assert.ok(rel(colour[a], cloud.colors[3 * i + a]) < 1e-3, `colour ${colour[a]} vs ${cloud.colors[3 * i + a]}`);
    }
    assert.ok(rel(s.opacity, cloud.opacities[i]) < 1e-3);
    const q = cloud.rotations.subarray(4 * i, 4 * i + 4);
    const dot = Math.abs(q[0] * s.quaternion.w + q[1] * s.quaternion.x + q[2] * s.quaternion.y + q[3] * s.quaternion.z);
    assert.ok(dot > 0.9999, `splat ${i}: rotation (w,x,y,z) ${Array.from(q)} vs Spark's ${JSON.stringify(s.quaternion)}`);
  }
});

test('SH coefficients land in the words Spark\'s shader reads: coefficient c in texture c >> 2, lane c & 3', () => {
  const cloud = randomCloud(5, 6, 3, 1);
  const { extra } = packForSpark(cloud);
  const textures = [extra.sh1!, extra.sh2!, extra.sh3a!, extra.sh3b!];
  for (let i = 0; i < cloud.count; i++) {
    for (let c = 0; c < 15; c++) {
      const rgb = utils.decodeExtRgb(textures[c >> 2][4 * i + (c & 3)]);
      const want = cloud.sh!.subarray(45 * i + 3 * c, 45 * i + 3 * c + 3);
      // 8 bits below a shared power-of-two exponent: within half a step of the largest channel.
      const step = 2 ** Math.ceil(Math.log2(Math.max(...Array.from(want, Math.abs)))) / 255;
      [rgb.r, rgb.g, rgb.b].forEach((v, ch) => assert.ok(Math.abs(v - want[ch]) <= step / 2 + 1e-7, `splat ${i} coefficient ${c}: ${v} vs ${want[ch]}`));
    }
  }
});
