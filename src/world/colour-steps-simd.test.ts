import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colourStepsKernel } from './colour-steps-simd.ts';
import { inputViewColours } from './input-view-colours.ts';
import { randomInputView } from './random-input-view.ts';

test('the kernel memory kept between solves is handed out zeroed: a solve after a larger, different one gives the same bits as before it', () => {
  const small = randomInputView(23, 17, 5), large = randomInputView(61, 47, 9);
  const first = inputViewColours(small.splats, small.target, { iterations: 3 });
  inputViewColours(large.splats, large.target, { iterations: 3 });
  const again = inputViewColours(small.splats, small.target, { iterations: 3 });
  assert.deepEqual(new Uint8Array(again.buffer), new Uint8Array(first.buffer));
  // The same memory (kept), never grown (its buffer stays the same one), and zero up to the size asked for.
  const a = colourStepsKernel(1 << 16)!, buffer = a.memory.buffer;
  new Uint8Array(buffer).fill(7);
  const b = colourStepsKernel(16 << 20)!;
  assert.equal(b.memory, a.memory);
  assert.equal(b.memory.buffer, buffer);
  assert.ok(new Uint8Array(buffer, 0, 16 << 20).every((v) => v === 0), 'a byte asked for is not zero');
  // Beyond the size kept, a fresh memory each time.
  assert.notEqual(colourStepsKernel(17 << 20)!.memory, colourStepsKernel(17 << 20)!.memory);
});
