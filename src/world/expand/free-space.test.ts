import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { PosedFrame } from '../../core/posed-frame.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { frameView } from '../coverage/view-quality.ts';
import { psnr } from '../metrics.ts';
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { expandView } from './expand-view.ts';
import { DEFAULT_SKY_DISTANCE } from '../lift.ts';
import { MAX_SKY_SHELL, skyShellRadius, skyWhereSeenThrough } from './free-space.ts';
import { castView, courtyardScene, worldFromView, yawPose } from './synthetic-scene.ts';

/**
 * A remembered 8 x 6 view from the origin down -Z: a wall at 10 m on the left half, depth 0 on the
 * right: sky, or with `sawNothing` a gap the view saw nothing in (confidence 0 there).
 */
function wallAndSky(sawNothing = false): PosedFrame {
  const width = 8, height = 6;
  const depth = new Float32Array(width * height);
  for (let i = 0; i < depth.length; i++) depth[i] = i % width < width / 2 ? 10 : 0;
  return {
    id: 0, pose: Pose.identity(), intrinsics: intrinsicsFromFov(width, height, 60), width, height,
    rgb: new Uint8Array(3 * width * height), depth, confidence: Uint8Array.from(depth, (d) => (sawNothing && d === 0 ? 0 : 255)),
    splatStart: 0, splatCount: 0, prompt: null, timestamp: 0,
  };
}

test('free space: a fill in front of a remembered wall or against its sky becomes sky; on, behind or outside it, it stays', () => {
  const frame = frameView(wallAndSky());
  const k = intrinsicsFromFov(8, 6, 60);
  // The same camera: each pixel's point projects into the same pixel of the frame.
  const depth = new Float32Array(48), mask = new Uint8Array(48).fill(1);
  const wanted: number[] = [];
  for (let i = 0; i < 48; i++) {
    const left = i % 8 < 4;
    const d = [5, 9.8, 9, 50][i % 4]; // well in front, within 3% of the wall, near in front (10.3 / 9 < 1.25), behind
    depth[i] = d;
    wanted.push(left ? (d === 5 ? 0 : d) : 0);
  }
  depth[0] = 0; wanted[0] = 0; // sky stays sky
  mask[1] = 0; depth[1] = 5; wanted[1] = 5; // a known pixel is never touched
  const surfaces = Array.from(depth, (d) => d > 0);
  const made = skyWhereSeenThrough(depth, mask, Pose.identity(), k, [frame]);
  assert.deepEqual(Array.from(depth), Array.from(Float32Array.from(wanted)));
  assert.equal(made.sky, wanted.filter((d, i) => d === 0 && surfaces[i]).length);
  assert.equal(made.near, 6, 'the 9 m points of the wall half');

  // Behind the frame's camera, or beside its picture: not in its free space.
  const back = Pose.lookAt([0, 0, 0], [0, 0, 1]), side = Pose.lookAt([0, 0, 0], [1, 0, 0]);
  for (const pose of [back, side]) {
    const d = new Float32Array(48).fill(5);
    assert.equal(skyWhereSeenThrough(d, new Uint8Array(48).fill(1), pose, k, [frame]).sky, 0);
    assert.ok(d.every((x) => x === 5));
  }
  // A gap the frame saw nothing in is not free space: only the wall's half is judged.
  const gap = new Float32Array(48).fill(5);
  assert.equal(skyWhereSeenThrough(gap, new Uint8Array(48).fill(1), Pose.identity(), k, [frameView(wallAndSky(true))]).sky, 24);
  assert.ok(gap.every((d, i) => d === (i % 8 < 4 ? 0 : 5)));
  // Beyond the far limit it is the lift's sky already; nothing to judge.
  const far = new Float32Array(48).fill(150);
  assert.equal(skyWhereSeenThrough(far, new Uint8Array(48).fill(1), Pose.identity(), k, [frame]).sky, 0);
});

test('free space: the sky shell of a view lies behind every earlier one', () => {
  const at = (x: number, z: number) => ({ pose: Pose.lookAt([x, 0, z], [x, 0, z - 1]) });
  assert.equal(skyShellRadius([], [0, 0, 0]), DEFAULT_SKY_DISTANCE);
  const turn = [at(0, 0), at(0, 0)];
  assert.equal(skyShellRadius(turn, [0, 0, 0]), DEFAULT_SKY_DISTANCE, 'a turn on the spot keeps the first shell');
  const walk = [at(0, 0), at(3, 4), at(3, 0)];
  // 200 -> 205 (5 m from the first) -> max(200 + 3, 205 + 4) = 209 -> from (0, 0, 0): max(200, 210, 212)
  assert.equal(skyShellRadius(walk, [0, 0, 0]), 212);
  assert.equal(skyShellRadius([at(0, 0)], [1e6, 0, 0]), MAX_SKY_SHELL);
});

/**
 * A completer that knows the scene's true colour and depth at the view, and puts every hole pixel's
 * surface at 0.3x its true depth: in front of what the hole really shows, so (seen across the first
 * view from the side) inside the space the first view saw empty.
 */
function tooNear(scene: ReturnType<typeof courtyardScene>): Completer {
  return {
    name: 'too-near',
    async complete(view: PartialView): Promise<CompletedView> {
      const truth = castView(scene, view.pose, view.intrinsics);
      const depth = Float32Array.from(truth.depth, (d, i) => (view.mask[i] ? 0.3 * d : d));
      return { rgb: Float32Array.from(truth.rgb), depth };
    },
  };
}

test('expand: a fill the first view saw through goes to the sky; the first view renders as before, the new one shows the fill', async () => {
  const k = intrinsicsFromFov(96, 72, 60);
  const scene = courtyardScene();
  const start = yawPose([0, 1.6, 0], 0);
  // From the side, looking back across the first view's field.
  const across = Pose.lookAt([5, 1.6, -3], [-3, 1.6, -5]);
  const psnrOfStart = async (keepFreeSpace: boolean) => {
    const world = worldFromView(scene, start, k);
    const before = renderSplats(world.splats, start, k);
    const result = await expandView(world, across, k, tooNear(scene), { keepFreeSpace });
    assert.ok(result.added > 500, `${result.added} splats added`);
    return { psnr: psnr(before.color, renderSplats(world.splats, start, k).color), world, result };
  };
  const kept = await psnrOfStart(true), not = await psnrOfStart(false);
  assert.ok(not.psnr < 30, `without the rule the fill changes the first view: ${not.psnr.toFixed(1)} dB`);
  assert.ok(kept.psnr > 40, `the first view against itself after the expansion: ${kept.psnr.toFixed(1)} dB`);
  // The new view still shows the completer's colours where it filled.
  const seen = renderSplats(kept.world.splats, across, k), mask = kept.result.partial!.mask;
  const completed = kept.result.completed!.rgb;
  const shown: number[] = [], filled: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || seen.alpha[i] < 0.99) continue;
    for (let c = 0; c < 3; c++) { shown.push(seen.color[3 * i + c] / seen.alpha[i]); filled.push(completed[3 * i + c]); }
  }
  assert.ok(shown.length > 1500, `${shown.length / 3} filled pixels rendered`);
  const againstFill = psnr(shown, filled);
  assert.ok(againstFill > 25, `the new view against its fill: ${againstFill.toFixed(1)} dB`);
});
