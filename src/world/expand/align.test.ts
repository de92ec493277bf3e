import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicsFromFov } from '../../core/camera.ts';
import { seededRandom } from '../../core/random.ts';
import { type AlignInput, alignCompletion } from './align.ts';

const width = 256, height = 192;
const k = intrinsicsFromFov(width, height, 60);
/** A level camera 1.6 m over a floor, looking at a wall 12 m ahead: exact depth per pixel. */
function sceneDepth(y: number): number {
  const v = y + 0.5;
  const floor = v > k.cy ? (1.6 * k.fy) / (v - k.cy) : Infinity;
  return Math.min(floor, 12);
}
const holeStart = 160; // the hole: columns 160.. (a turn to the right)

function input(completed: (x: number, y: number, truth: number) => number): AlignInput {
  const pixels = width * height;
  const mask = new Uint8Array(pixels), knownDepth = new Float32Array(pixels), completedDepth = new Float32Array(pixels);
  const knownRgb = new Float32Array(3 * pixels).fill(0.4), completedRgb = new Float32Array(3 * pixels).fill(0.4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x, truth = sceneDepth(y);
      mask[i] = x >= holeStart ? 1 : 0;
      if (!mask[i]) knownDepth[i] = truth;
      completedDepth[i] = completed(x, y, truth);
    }
  }
  return { width, height, mask, knownDepth, knownRgb, completedDepth, completedRgb };
}

test('align: a completion off by scale and shift in inverse depth, with outliers on the ring, lands on the world', () => {
  const random = seededRandom(5);
  // completed inverse = (true inverse - 0.02) / 1.3, and 20% of the known pixels wildly wrong (a completer's mistakes there).
  const result = alignCompletion(input((x, _y, truth) => {
    if (x < holeStart && random() < 0.2) return 0.3 + 5 * random();
    return 1 / ((1 / truth - 0.02) / 1.3);
  }));
  assert.ok(Math.abs(result.scale - 1.3) < 0.01 && Math.abs(result.shift - 0.02) < 0.002, `scale ${result.scale}, shift ${result.shift}`);
  let worst = 0;
  for (let y = 0; y < height; y++) for (let x = holeStart; x < width; x++) worst = Math.max(worst, Math.abs(result.depth[y * width + x] / sceneDepth(y) - 1));
  assert.ok(worst < 0.005, `largest relative depth error in the hole ${worst}`);
});

test('align: a 10% step at the border is closed there and fades into the hole over the decay length', () => {
  // The completion matches the world outside (as a completer that pastes the known pixels back) but is 10% too far inside.
  const result = alignCompletion(input((x, _y, truth) => (x >= holeStart ? 1.1 * truth : truth)));
  const decay = width / 16;
  const ratioAt = (x: number) => {
    let sum = 0;
    for (let y = 120; y < 180; y++) sum += result.depth[y * width + x] / sceneDepth(y);
    return sum / 60;
  };
  assert.ok(Math.abs(ratioAt(holeStart) - 1) < 0.01, `at the border ${ratioAt(holeStart)}`);
  // Screened membrane from one side: the correction falls as about exp(-distance / decay).
  const far = holeStart + Math.round(3 * decay);
  assert.ok(ratioAt(far) > 1.09 && ratioAt(far) < 1.1, `three decay lengths in ${ratioAt(far)}`);
  const mid = holeStart + Math.round(decay);
  assert.ok(ratioAt(mid) > 1.05 && ratioAt(mid) < 1.08, `one decay length in ${ratioAt(mid)}`);
});

test('align: a surface revealed behind the known one is an occlusion edge and is not pulled forward', () => {
  // Known pixels left of the hole are the wall at 12 m on rows 40..80; the hole shows a far facade at 40 m there.
  const result = alignCompletion(input((x, y, truth) => (x >= holeStart && y >= 40 && y < 80 ? 40 : truth)));
  for (let y = 45; y < 75; y++) {
    const d = result.depth[y * width + holeStart];
    assert.ok(Math.abs(d - 40) < 0.5, `row ${y}: ${d}`);
  }
});

test('align: colour off by a shade at the border meets the world there', () => {
  const base = input((_x, _y, truth) => truth);
  for (let i = 0; i < width * height; i++) if (base.mask[i]) base.completedRgb.fill(0.5, 3 * i, 3 * i + 3);
  const result = alignCompletion(base);
  const i = 150 * width + holeStart;
  assert.ok(Math.abs(result.rgb[3 * i] - 0.4) < 0.01, `at the border ${result.rgb[3 * i]}`);
  assert.ok(Math.abs(result.rgb[3 * (i + 80)] - 0.5) < 0.01, `deep in the hole ${result.rgb[3 * (i + 80)]}`);
  assert.equal(result.rgb[3 * (i - 1)], base.knownRgb[3 * (i - 1)], 'known pixels keep their colour');
});

test('align: in the hole the world\'s depth is kept where it continues the completion or lies before it, and replaced where it is a silhouette\'s mixture behind it', () => {
  // The completion is exact. The world also has a depth for the first two hole columns (its splats'
  // fading edge): on rows 20..59 a mixture of the wall and the sky shell behind it (60 m, as a render
  // gives at a silhouette), on rows 70..99 a surface at half the distance (nearer: no mixture, a
  // surface of its own), on rows 100..139 the floor 10% too far (seen poorly, but a surface).
  const base = input((_x, _y, truth) => truth);
  for (let y = 20; y < 140; y++) {
    if (y >= 60 && y < 70) continue;
    for (let x = holeStart; x < holeStart + 2; x++) base.knownDepth[y * width + x] = y < 60 ? 60 : y < 100 ? 0.5 * sceneDepth(y) : 1.1 * sceneDepth(y);
  }
  const result = alignCompletion(base);
  for (let y = 20; y < 60; y++) {
    const d = result.depth[y * width + holeStart];
    assert.ok(Math.abs(d / sceneDepth(y) - 1) < 0.02, `row ${y}: the mixture's 60 m should give way to the completion's ${sceneDepth(y)}, found ${d}`);
  }
  for (let y = 70; y < 140; y++) {
    const i = y * width + holeStart;
    assert.equal(result.depth[i], base.knownDepth[i], `row ${y}: the world's own depth is held`);
  }
});
