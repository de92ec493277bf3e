/** Half precision conversion against bit patterns numpy gives (float32 -> float16 with astype). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromFloat16Bits, toFloat16Array, toFloat16Bits } from './float16.ts';

test('float16 bit patterns agree with numpy, rounding ties to even, overflow to Infinity', () => {
  const values = [0, -0, 1, -2, 0.1, 65504, 65520, 1e5, 6.1035156e-5, 5.9604645e-8, 2.9802322e-8, 2.98023224e-8 * 1.0001,
    1.0009765625, 1.00048828125, 1.00146484375, -3.14159, Infinity, NaN, 1e-6, 0.333333];
  const numpy = [0, 32768, 15360, 49152, 11878, 31743, 31744, 31744, 1024, 1, 0, 1, 15361, 15360, 15362, 49736, 31744, 32256, 17, 13653];
  assert.deepEqual(Array.from(toFloat16Array(values)), numpy);
});

test('every finite float16 survives bits -> number -> bits', () => {
  for (let bits = 0; bits < 0x10000; bits++) {
    if ((bits & 0x7c00) === 0x7c00) continue; // Infinity and NaN
    assert.equal(toFloat16Bits(fromFloat16Bits(bits)), bits === 0x8000 ? 0x8000 : bits, `bits ${bits}`);
  }
  assert.equal(fromFloat16Bits(0x3c00), 1);
  assert.equal(fromFloat16Bits(0x0001), 2 ** -24);
  assert.equal(fromFloat16Bits(0x7bff), 65504);
  assert.ok(Number.isNaN(fromFloat16Bits(0x7e00)));
});
