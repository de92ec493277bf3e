import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { SplitCompleter } from './split-completer.ts';

const W = 4, H = 2, N = W * H;
const view: PartialView = {
  pose: Pose.identity(), intrinsics: intrinsicsFromFov(W, H, 60), width: W, height: H,
  rgb: new Float32Array(3 * N), depth: new Float32Array(N), mask: new Uint8Array(N).fill(1), prompt: null,
};
const fixed = (name: string, out: CompletedView): Completer => ({ name, complete: async () => out });

test('colour and sky come from the first completer, surface depth from the second', async () => {
  const colourRgb = Float32Array.from({ length: 3 * N }, (_, i) => i / (3 * N));
  // pixels 0-1 sky for the colour completer, the rest at 5 m
  const colourDepth = Float32Array.from({ length: N }, (_, i) => (i < 2 ? 0 : 5));
  // the geometry completer: 2 m, except pixel 3 where it sees sky
  const shapeDepth = Float32Array.from({ length: N }, (_, i) => (i === 3 ? 0 : 2));
  const split = new SplitCompleter(
    fixed('inpaint', { rgb: colourRgb, depth: colourDepth }),
    fixed('model', { rgb: new Float32Array(3 * N).fill(0.5), depth: shapeDepth }),
  );
  assert.equal(split.name, 'inpaint+model');
  const out = await split.complete(view);
  assert.deepEqual(Array.from(out.rgb), Array.from(colourRgb));
  assert.deepEqual(Array.from(out.depth), [0, 0, 2, 5, 2, 2, 2, 2]);
});

test('a geometry completer that can leave its colour out is asked for its depth alone', async () => {
  const colourDepth = new Float32Array(N).fill(5);
  const geometry: Completer = {
    name: 'model',
    complete: async () => { throw new Error('complete() called: the colour would be made and thrown away'); },
    completeDepth: async () => Float32Array.from({ length: N }, (_, i) => (i === 3 ? 0 : 2)),
  };
  const out = await new SplitCompleter(fixed('inpaint', { rgb: new Float32Array(3 * N), depth: colourDepth }), geometry).complete(view);
  assert.deepEqual(Array.from(out.depth), [2, 2, 2, 5, 2, 2, 2, 2]);
});

test('completers of different sizes give one line naming both', async () => {
  const split = new SplitCompleter(
    fixed('a', { rgb: new Float32Array(3 * N), depth: new Float32Array(N) }),
    fixed('b', { rgb: new Float32Array(3), depth: new Float32Array(1) }),
  );
  await assert.rejects(split.complete(view), /split completer: expected 8 pixels from 'a' and 'b', found 8 and 1/);
});
