import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { CompletedView, PartialView } from './completer.ts';
import { InpaintCompleter } from './inpaint-completer.ts';

const width = 128, height = 96;
const k = intrinsicsFromFov(width, height, 60);
const eyeHeight = 1.6;
/** A level camera over the floor y = -1.6: depth = 1.6 fy / (v - cy) below the horizon, sky above. */
const floorDepth = (y: number) => {
  const v = y + 0.5;
  return v > k.cy ? (eyeHeight * k.fy) / (v - k.cy) : 0;
};
const colourAt = (x: number, y: number): [number, number, number] => [0.1 + 0.005 * x, 0.8 - 0.004 * y, 0.3 + 0.002 * (x + y)];

function view(inHole: (x: number, y: number) => boolean): PartialView {
  const rgb = new Float32Array(3 * width * height), depth = new Float32Array(width * height), mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (inHole(x, y)) { mask[i] = 1; rgb.fill(0.77, 3 * i, 3 * i + 3); depth[i] = 0; continue; }
      rgb.set(colourAt(x, y), 3 * i);
      depth[i] = floorDepth(y);
    }
  }
  return { pose: Pose.identity(), intrinsics: k, width, height, rgb, depth, mask, prompt: null };
}

test('inpaint: the floor continues into a hole at the right edge as the same plane; sky above stays sky', async () => {
  // The hole is the right third, top to bottom, as after a turn to the right.
  const partial = view((x) => x >= 80);
  const done = await new InpaintCompleter().complete(partial);
  let worst = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 80; x < width; x++) {
      const d = done.depth[y * width + x], truth = floorDepth(y);
      if (truth === 0) { assert.equal(d, 0, `(${x}, ${y}) above the horizon is sky`); continue; }
      worst = Math.max(worst, Math.abs(d / truth - 1));
    }
  }
  assert.ok(worst < 0.01, `largest relative depth error on the floor ${worst}`);
});

test('inpaint: colour that is affine across an inner hole comes back exactly; known pixels are untouched', async () => {
  const partial = view((x, y) => (x - 60) ** 2 + (y - 70) ** 2 < 15 ** 2);
  const before = { rgb: partial.rgb.slice(), depth: partial.depth.slice(), mask: partial.mask.slice() };
  const done = await new InpaintCompleter().complete(partial);
  assert.deepEqual({ rgb: partial.rgb, depth: partial.depth, mask: partial.mask }, before, 'the partial view is not mutated');
  let worst = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = colourAt(x, y);
      for (let ch = 0; ch < 3; ch++) {
        if (!partial.mask[i]) assert.equal(done.rgb[3 * i + ch], partial.rgb[3 * i + ch]);
        else worst = Math.max(worst, Math.abs(done.rgb[3 * i + ch] - c[ch]));
      }
      if (!partial.mask[i]) assert.equal(done.depth[i], partial.depth[i]);
    }
  }
  assert.ok(worst < 2 / 255, `largest colour error ${worst * 255} levels`);
});

test('inpaint: aborts before any work, and a wrongly sized view is one line', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(new InpaintCompleter().complete(view(() => false), controller.signal), { name: 'AbortError' });
  const bad = { ...view(() => false), depth: new Float32Array(5) };
  await assert.rejects(new InpaintCompleter().complete(bad), /^Error: partial view: expected rgb 36864, depth and mask 12288 values for 128x96, found 36864, 5, 12288$/);
});

test('inpaint: a hole bounded left and right by different row colours ramps linearly across from one side to the other', async () => {
  // Known: x < 40 and x >= 88, top to bottom (the loop closure: last fill on the left, the photo's
  // other edge on the right). Each row is constant on each side; the sides differ by a constant
  // (per channel), so the harmonic fill with free top and bottom edges is, per row, the straight line
  // from the left colour at x = 39 to the right colour at x = 88.
  const a = 40, b = 88;
  const leftAt = (y: number): [number, number, number] => [0.2 + 0.004 * y, 0.6 - 0.003 * y, 0.3];
  const delta = [0.35, -0.3, 0.4]; // colours stay inside 0..1 (the fill is clamped there)
  const rgb = new Float32Array(3 * width * height), depth = new Float32Array(width * height), mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x >= a && x < b) { mask[i] = 1; continue; }
      const l = leftAt(y);
      for (let c = 0; c < 3; c++) rgb[3 * i + c] = l[c] + (x >= b ? delta[c] : 0);
      depth[i] = 10;
    }
  }
  const done = await new InpaintCompleter().complete({ pose: Pose.identity(), intrinsics: k, width, height, rgb, depth, mask, prompt: null });
  let worst = 0;
  for (let y = 0; y < height; y++) {
    for (let x = a; x < b; x++) {
      const s = (x - (a - 1)) / (b - (a - 1));
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(done.rgb[3 * (y * width + x) + c] - (leftAt(y)[c] + s * delta[c])));
    }
  }
  assert.ok(worst < 2 / 255, `largest colour error ${(worst * 255).toFixed(2)} levels`);
});

/**
 * Known: x < 40, inverse depth 0.5 - 0.01 x (a surface turning away: 9.1 m at x = 39, its vanishing
 * line the column x = 50, where the plane continued across the hole reaches inverse depth 0); with
 * `skyRows`, the rows y < skyRows are sky (depth 0) there instead.
 */
const a = 40, receding = (x: number) => 0.5 - 0.01 * x;
function recedingView(pose: Pose, skyRows = 0): PartialView {
  const rgb = new Float32Array(3 * width * height).fill(0.4), depth = new Float32Array(width * height), mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x >= a) mask[i] = 1;
      else if (y >= skyRows) depth[i] = 1 / receding(x);
    }
  }
  return { pose, intrinsics: k, width, height, rgb, depth, mask, prompt: null };
}
// Pitched 45 degrees down or up: with 30 degrees of half field of view every ray is below (above) the horizon.
const lookingDown = Pose.lookAt([0, 0, 0], [0, -1, -1]), lookingUp = Pose.lookAt([0, 0, 0], [0, 1, -1]);

/** Every hole pixel (x >= a) of `done` is surface (depth > 0) no farther than the farthest known, 1 / receding(a - 1); `why` ends each failure's line. */
function assertSurfaceNoFartherThanKnown(done: CompletedView, why: string): void {
  const farthestKnown = 1 / receding(a - 1);
  for (let y = 0; y < height; y++) {
    for (let x = a; x < width; x++) {
      const d = done.depth[y * width + x];
      assert.ok(d > 0 && d <= farthestKnown * (1 + 1e-5), `(${x}, ${y}): depth ${d}, the known surface reaches ${farthestKnown.toFixed(2)} m; ${why}`);
    }
  }
}

test('inpaint: ground (every ray below the horizon) whose inverse depth falls toward a wide hole stays surface there, no farther than the farthest known around it', async () => {
  // A ray pointing down meets the ground: no sky there however far the plane continued would recede.
  assertSurfaceNoFartherThanKnown(await new InpaintCompleter().complete(recedingView(lookingDown)), 'there is no sky');
});

test('inpaint: with sky around the hole, a surface above the horizon continues to its vanishing line and is sky beyond it; level, only the rows above the horizon', async () => {
  // Truth: the plane itself up to its vanishing line (x = 50), nothing (sky) beyond, where a ray above
  // the horizon can see to infinity. Level, the rows below the horizon (v > cy) are ground's and
  // stay surface, clamped to the farthest known as in the test above. The known sky (rows y < 8) is
  // continued across the hole as sky by the colour's sky share whatever the depth.
  const skyRows = 8, farthestKnown = 1 / receding(a - 1);
  for (const [pose, aboveHorizon] of [[lookingUp, () => true], [Pose.identity(), (y: number) => y + 0.5 < k.cy]] as const) {
    const done = await new InpaintCompleter().complete(recedingView(pose, skyRows));
    let worstRelative = 0;
    for (let y = skyRows; y < height; y++) {
      for (let x = a; x < width; x++) {
        const d = done.depth[y * width + x];
        if (!aboveHorizon(y)) assert.ok(d > 0 && d <= farthestKnown * (1 + 1e-5), `(${x}, ${y}) below the horizon: depth ${d}`);
        else if (x >= 51) assert.equal(d, 0, `(${x}, ${y}) beyond the vanishing line: depth ${d}, expected sky`);
        else if (x <= 47) worstRelative = Math.max(worstRelative, Math.abs(d * receding(x) - 1));
      }
    }
    assert.ok(worstRelative < 0.05, `the plane continued up to x = 47: largest relative depth error ${worstRelative.toFixed(3)}`);
  }
});

test('inpaint: without sky around the hole, a surface above the horizon receding to its vanishing line stays surface, no farther than the farthest known', async () => {
  // A room's wall turning away meets another wall, not the sky: a fill invents no sky the view does not show.
  assertSurfaceNoFartherThanKnown(await new InpaintCompleter().complete(recedingView(lookingUp)), 'no sky is known around the hole');
});
