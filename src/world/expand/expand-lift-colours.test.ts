/**
 * An expansion's lift solves the new splats' colours so that the view renders back as the fill
 * (expand-view.ts EXPANSION_COLOUR_ITERATIONS), as generate does for the photo. Independent truth: a
 * textured plane (analytic-scenes.ts) with a hole (a strip, as a turn leaves, or a disc) is filled by a
 * completer that answers the exact picture and depth; the world's splats around the hole are lifted
 * from the same picture, plain (as a view set's start view) or with generate's colour steps. After the
 * expansion the world is rendered from the view again and compared with the fill: inside the hole,
 * within 2 px of its border on the hole side, and on the known side against the render before (the
 * new splats' tails over the old: a halo would show there). Lifted plain (colour steps 0, the
 * expansion before), the hole keeps ~0.87-0.89 of the fill's texture at ~29-30 dB.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { quatFromAxisAngle } from '../../core/quat.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { sampleDepth, texturedPicture } from '../analytic-scenes.ts';
import { liftToSplats } from '../lift.ts';
import { World } from '../world.ts';
import type { Completer } from './completer.ts';
import { expandView } from './expand-view.ts';
import { distanceToKnown } from './ring.ts';

const W = 96, H = 72, K = intrinsicsFromFov(W, H, 60);
const image = texturedPicture(W, H, 2);
const truth = Float32Array.from(image.data, (b) => b / 255);
const pose = new Pose([0.3, 1.5, -1], quatFromAxisAngle([0, 1, 0], 0.4));
// A plane leaning back and turned: no two neighbours at the same depth, every splat seen at a slant.
const depth = sampleDepth(K, W, H, (u, v) => 3 + (1.5 * v) / H + u / W);
const input = { image, depth, intrinsics: K, pose };
const completer: Completer = { name: 'truth', async complete() { return { rgb: truth.slice(), depth: depth.data.slice() }; } };

interface Scores { interior: number; texture: number; holeBorder: number; knownBorder: number }

async function expandOnce(known: Uint8Array, oldSteps: number, lift: { colourIterations?: number }): Promise<Scores> {
  const all = [...known.keys()].filter((i) => known[i]);
  const old = oldSteps > 0 ? liftToSplats(input, { colourIterations: oldSteps }).subset(all) : liftToSplats(input, { keep: known });
  const world = World.empty();
  world.append({ pose, intrinsics: K, image, depth }, old);
  const before = renderSplats(world.splats, pose, K).color;
  const e = await expandView(world, pose, K, completer, { lift, elevationGuide: false });
  const fill = e.completed!.rgb, mask = e.partial!.mask;
  const after = renderSplats(world.splats, pose, K).color;
  const inv = Uint8Array.from(mask, (m) => 1 - m);
  const toKnown = distanceToKnown(mask, W, H, 1), toHole = distanceToKnown(inv, W, H, 1);
  const sums = { interior: [0, 0], holeBorder: [0, 0], knownBorder: [0, 0] };
  let stepAfter = 0, stepFill = 0;
  for (let y = 2; y < H - 2; y++) {
    for (let x = 2; x < W - 2; x++) {
      const i = y * W + x;
      const part = mask[i] ? (toKnown[i] <= 2 ? sums.holeBorder : sums.interior) : toHole[i] <= 2 ? sums.knownBorder : null;
      if (!part) continue;
      const ref = mask[i] ? fill : before;
      for (let c = 0; c < 3; c++) { const d = after[3 * i + c] - ref[3 * i + c]; part[0] += d * d; part[1]++; }
      if (part === sums.interior && mask[i + 1] && toKnown[i + 1] > 2) {
        for (let c = 0; c < 3; c++) {
          stepAfter += Math.abs(after[3 * (i + 1) + c] - after[3 * i + c]);
          stepFill += Math.abs(fill[3 * (i + 1) + c] - fill[3 * i + c]);
        }
      }
    }
  }
  const psnr = ([se, n]: number[]) => 10 * Math.log10(n / se);
  return { interior: psnr(sums.interior), texture: stepAfter / stepFill, holeBorder: psnr(sums.holeBorder), knownBorder: psnr(sums.knownBorder) };
}

const holes: Record<string, (x: number, y: number) => boolean> = {
  strip: (x) => x >= 40,
  disc: (x, y) => (x - 50) ** 2 + (y - 36) ** 2 < 20 ** 2,
};

for (const [shape, inHole] of Object.entries(holes)) {
  test(`expand: a ${shape} hole filled with the exact texture renders back as the fill, its border without a seam or halo`, async () => {
    const known = Uint8Array.from({ length: W * H }, (_, i) => (inHole(i % W, Math.floor(i / W)) ? 0 : 1));
    for (const oldSteps of [0, 3]) {
      const plain = await expandOnce(known, oldSteps, { colourIterations: 0 });
      const solved = await expandOnce(known, oldSteps, {});
      const say = (s: Scores) => `interior ${s.interior.toFixed(2)} dB, texture ${s.texture.toFixed(3)}, hole border ${s.holeBorder.toFixed(2)} dB, known border ${s.knownBorder.toFixed(2)} dB`;
      const label = `${shape}, old splats ${oldSteps ? 'with colour steps' : 'plain'}: solved ${say(solved)}; plain ${say(plain)}`;
      assert.ok(plain.texture < 0.92, label);
      assert.ok(solved.texture > 0.97 && solved.texture < 1.06, label);
      assert.ok(solved.interior > plain.interior + 4, label);
      assert.ok(solved.holeBorder > plain.holeBorder + 3, label);
      assert.ok(solved.knownBorder > plain.knownBorder - 0.3, label);
    }
  });
}
