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

/** Known colour: a ramp across the picture (0.3 at the left, +0.3 / 256 per column), the same in every channel. */
const ramp = (x: number) => 0.3 + (0.3 * x) / width;

test('align: a fill offset from a known colour ramp comes out with the ramp\'s own step at the border, also where the world covers the first hole columns partly', async () => {
  // The completion continues the ramp exactly but 0.1 too bright in the hole. The world's splats fade
  // out over the first two hole columns (a fringe: the world knows their depth and colour, which is
  // the ramp's). Analytic truth: the step between any two neighbours in a row is the ramp's slope.
  const base = input((_x, _y, truth) => truth);
  const worldRgb = new Float32Array(3 * width * height).fill(NaN);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      base.knownRgb.fill(base.mask[i] ? 0 : ramp(x), 3 * i, 3 * i + 3);
      base.completedRgb.fill(ramp(x) + (base.mask[i] ? 0.1 : 0), 3 * i, 3 * i + 3);
      if (x < holeStart + 2) worldRgb.fill(ramp(x), 3 * i, 3 * i + 3);
      if (x >= holeStart && x < holeStart + 2) base.knownDepth[i] = sceneDepth(y);
    }
  }
  const result = alignCompletion({ ...base, worldRgb });
  const slope = 0.3 / width, reach = width / 16;
  for (let y = 100; y < 180; y += 10) {
    for (let x = holeStart - 2; x < width - 1; x++) {
      const i = y * width + x;
      const step = result.rgb[3 * (i + 1)] - result.rgb[3 * i];
      // Across the border and the fringe: the ramp's step. Further in, the fade of the 0.1 offset
      // adds at most its steepest slope, 0.1 sqrt(2 / e) / reach, spread over ~2 reach (no step).
      const allowed = x <= holeStart + 1 ? 0.25 / 255 : (0.1 * Math.sqrt(2 / Math.E)) / reach + 0.25 / 255;
      assert.ok(Math.abs(step - slope) < allowed, `row ${y}, columns ${x}-${x + 1}: step ${(255 * step).toFixed(2)} levels, the ramp's ${(255 * slope).toFixed(2)}`);
    }
  }
  // Deep in the hole the completion keeps its own colour (the correction fades).
  const deep = 150 * width + holeStart + 80;
  assert.ok(Math.abs(result.rgb[3 * deep] - (ramp(holeStart + 80) + 0.1)) < 0.01, `deep in the hole ${result.rgb[3 * deep]}`);
});

test('align: filled sky meets the known sky without a step, and its correction stays out of the filled surface', () => {
  // Rows 0..39 are sky (no depth) in the world and in the completion; the completion's sky is 0.1 too
  // bright, its surface exactly right. Analytic truth: no step at the border in the sky rows, and the
  // surface rows of the hole keep the completion's (correct) colour.
  const base = input((_x, y, truth) => (y < 40 ? 0 : truth));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (y < 40) { base.knownDepth[i] = 0; base.knownRgb.fill(base.mask[i] ? 0 : 0.7, 3 * i, 3 * i + 3); base.completedRgb.fill(base.mask[i] ? 0.8 : 0.7, 3 * i, 3 * i + 3); }
    }
  }
  const result = alignCompletion(base);
  for (let y = 0; y < 40; y += 3) {
    const i = y * width + holeStart;
    assert.ok(Math.abs(result.rgb[3 * i] - 0.7) < 1 / 255, `sky row ${y}: border pixel ${result.rgb[3 * i]}, the known sky's 0.7`);
  }
  for (let y = 40; y < 44; y++) {
    for (let x = holeStart; x < holeStart + 10; x++) {
      const i = y * width + x;
      assert.ok(Math.abs(result.rgb[3 * i] - 0.4) < 0.25 / 255, `surface at (${x}, ${y}): ${result.rgb[3 * i]}, the completion's 0.4`);
    }
  }
});

test('align: a hole pixel the completion calls sky is sky, even where the world holds a depth there (a silhouette\'s mixture with the sky shell)', () => {
  // Rows 0..39: sky in the completion; the world's render gives the first hole column a depth of 60 m
  // (its fading edge at a silhouette: the surface mixed with the 200 m shell). Truth: sky, depth 0.
  const base = input((_x, y, truth) => (y < 40 ? 0 : truth));
  for (let y = 0; y < 40; y++) base.knownDepth[y * width + holeStart] = 60;
  const result = alignCompletion(base);
  for (let y = 0; y < 40; y++) assert.equal(result.depth[y * width + holeStart], 0, `row ${y}`);
});
