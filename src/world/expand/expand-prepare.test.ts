/**
 * prepareExpansion (what explore and the viewer's worker build before the first stop) and warmUpView
 * (the view a completer is warmed up on): neither may change what an expansion does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicsFromFov } from '../../core/camera.ts';
import { type PartialView, checkPartialView } from './completer.ts';
import { expandView, prepareExpansion, warmUpView } from './expand-view.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { courtyardScene, worldFromView, yawPose } from './synthetic-scene.ts';

const k = intrinsicsFromFov(96, 72, 60);
const eye: [number, number, number] = [0, 1.6, 0];
const columns = { positions: 3, scales: 3, rotations: 4, opacities: 1, colors: 3 } as const;

/** A completer that reads the texture source, records the view it was given and fills it as the inpainter does. */
function recording() {
  const inpaint = new InpaintCompleter();
  const seen: PartialView[] = [];
  return { seen, completer: { name: 'recording', usesTexture: true, complete: (v: PartialView) => { seen.push(v); return inpaint.complete(v); } } };
}

test('an expansion after prepareExpansion is the same as one without: splats, frame, and the texture and row guide handed to the completer', async () => {
  const prepared = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  const plain = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  const a = recording(), b = recording();
  prepareExpansion(prepared, k, a.completer);
  for (const yaw of [-40, 40]) {
    await expandView(prepared, yawPose(eye, yaw), k, a.completer);
    await expandView(plain, yawPose(eye, yaw), k, b.completer);
  }
  assert.equal(a.seen.length, 2);
  for (let i = 0; i < 2; i++) {
    assert.ok(a.seen[i].texture && a.seen[i].rowGuide, 'the completer was given a texture source and a row guide');
    assert.deepEqual(a.seen[i].texture, b.seen[i].texture);
    assert.deepEqual(a.seen[i].rowGuide, b.seen[i].rowGuide);
  }
  assert.equal(prepared.splats.count, plain.splats.count);
  for (const [c, per] of Object.entries(columns) as [keyof typeof columns, number][]) {
    assert.deepEqual(prepared.splats[c].subarray(0, per * prepared.splats.count), plain.splats[c].subarray(0, per * plain.splats.count), c);
  }
  assert.deepEqual(prepared.memory.frames.map((f) => [...f.depth]), plain.memory.frames.map((f) => [...f.depth]));
});

test('warmUpView is a valid partial view of the size asked for, half known and half hole, that a completer fills', async () => {
  const view = warmUpView(yawPose(eye, 0), k);
  checkPartialView(view);
  assert.equal(view.width, 96);
  assert.equal(view.height, 72);
  const holes = view.mask.reduce((s, m) => s + m, 0);
  assert.equal(holes, 96 * 72 / 2);
  for (let i = 0; i < view.mask.length; i++) assert.equal(view.depth[i] > 0, view.mask[i] === 0);
  const done = await new InpaintCompleter().complete(view);
  assert.equal(done.rgb.length, 3 * 96 * 72);
  assert.equal(done.depth.length, 96 * 72);
});
