/**
 * The procedural completer continues a text world: from a new camera it sees the same surfaces the
 * first view saw, at the same places (checked by reprojecting its depth into the first view) and in
 * the same colours; a different seed (another scene) does not agree, so the check can fail.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint, unprojectPixel } from '../../core/camera.ts';
import type { PartialView } from '../expand/completer.ts';
import { ProceduralCompleter } from './procedural-completer.ts';
import { generateFromText } from './text-world.ts';

const W = 96, H = 72;

async function agreement(prompt: string, stored: string) {
  const first = generateFromText(prompt, { seed: 3, width: W, height: H });
  const k = intrinsicsFromFov(W, H, 60);
  // Moved 0.6 m right and 0.3 m forward, turned 12 degrees to the right.
  const a = (12 * Math.PI) / 180;
  const pose = Pose.lookAt([0.6, 0, -0.3], [0.6 + Math.sin(a), 0, -0.3 - Math.cos(a)]);
  const view: PartialView = {
    pose, intrinsics: k, width: W, height: H, rgb: new Float32Array(3 * W * H), depth: new Float32Array(W * H),
    mask: new Uint8Array(W * H).fill(1), prompt: stored,
  };
  const done = await new ProceduralCompleter().complete(view);
  let seen = 0, same = 0, colourError = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = done.depth[y * W + x];
      if (!(d > 0 && d < 30)) continue;
      // The point this pixel sees, in the world, then in the first view.
      const world = pose.cameraToWorld(unprojectPixel(k, x + 0.5, y + 0.5, d));
      const p = projectCameraPoint(k, first.pose.worldToCamera(world));
      // The 2x2 first-view pixels around the projection bracket the depth there (ground seen at a
      // grazing angle changes depth by metres from one row to the next).
      const u = Math.floor(p.u - 0.5), v = Math.floor(p.v - 0.5);
      if (!(p.depth > 0 && u >= 0 && u + 1 < W && v >= 0 && v + 1 < H)) continue;
      seen++;
      const around = [first.depth.data[v * W + u], first.depth.data[v * W + u + 1], first.depth.data[(v + 1) * W + u], first.depth.data[(v + 1) * W + u + 1]];
      if (!(p.depth > 0.99 * Math.min(...around) && p.depth < 1.01 * Math.max(...around))) continue; // hidden from the first view
      const nu = Math.min(W - 1, Math.floor(p.u)), nv = Math.min(H - 1, Math.floor(p.v));
      same++;
      for (let c = 0; c < 3; c++) colourError += Math.abs(done.rgb[3 * (y * W + x) + c] - first.image.data[3 * (nv * W + nu) + c] / 255) / 3;
    }
  }
  return { seen, agree: same / seen, colourError: colourError / same };
}

test('new views agree with the first view where both see the same surface', async () => {
  const prompt = 'three red boxes and a stone tower in a field at noon';
  const own = await agreement(prompt, `${prompt} [seed 3]`);
  assert.ok(own.seen > 2000, `only ${own.seen} pixels seen by both`);
  assert.ok(own.agree > 0.9, `geometry agrees on ${(100 * own.agree).toFixed(1)}% of the shared pixels`);
  assert.ok(own.colourError < 0.04, `mean colour difference ${own.colourError.toFixed(4)}`);
  // Control: the scene of another seed disagrees.
  const other = await agreement(prompt, `${prompt} [seed 4]`);
  assert.ok(other.agree < own.agree - 0.2, `another seed agrees on ${(100 * other.agree).toFixed(1)}%`);
});

test('a view without a prompt, and an aborted completion, are refused', async () => {
  const k = intrinsicsFromFov(8, 6, 60);
  const view: PartialView = { pose: Pose.identity(), intrinsics: k, width: 8, height: 6, rgb: new Float32Array(144), depth: new Float32Array(48), mask: new Uint8Array(48), prompt: null };
  await assert.rejects(new ProceduralCompleter().complete(view), /expected a view of a world made from a prompt/);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(new ProceduralCompleter().complete({ ...view, prompt: 'a forest' }, controller.signal), { name: 'AbortError' });
});
