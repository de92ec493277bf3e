import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { MemoryFrame } from '../memory/frame.ts';
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { elevationStats, rowGuide } from './elevation-guide.ts';
import { expandView } from './expand-view.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { courtyardScene, worldFromView, yawPose } from './synthetic-scene.ts';

const W = 128, H = 96;
const k = intrinsicsFromFov(W, H, 60);

/** The truth: colour as a function of elevation (degrees), sky above 5 degrees. */
const colourOf = (deg: number): [number, number, number] => [0.5 + deg / 100, 0.3, 0.5 - deg / 100];

/** A stored frame of a level camera looking down -Z whose every pixel has its ray's elevation's colour. */
function originalFrame(): MemoryFrame {
  const rgb = new Uint8Array(3 * W * H), depth = new Float32Array(W * H);
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      const dx = (x + 0.5 - k.cx) / k.fx, dy = -(y + 0.5 - k.cy) / k.fy;
      const deg = (Math.atan2(dy, Math.hypot(dx, 1)) * 180) / Math.PI;
      colourOf(deg).forEach((v, c) => { rgb[3 * i + c] = Math.round(255 * v); });
      depth[i] = deg > 5 ? 0 : 10;
    }
  }
  return { id: 0, pose: Pose.identity(), intrinsics: k, width: W, height: H, rgb, depth, confidence: new Uint8Array(W * H).fill(255), splatStart: 0, splatCount: 0, prompt: null, timestamp: 0 };
}

test('elevation guide: a view turned 180 degrees and tilted up 10 gets, per row, the original colour at that row\'s elevation', () => {
  const stats = elevationStats([originalFrame()]);
  // Turned round and tilted up: rows see other elevations than the original's same rows.
  const pose = Pose.lookAt([0, 0, 0], [0, Math.tan((10 * Math.PI) / 180), 1]);
  const guide = rowGuide(stats, pose, k)!;
  let worst = 0;
  for (let y = 0; y < H; y++) {
    const deg = 10 + (Math.atan(-(y + 0.5 - k.cy) / k.fy) * 180) / Math.PI;
    if (deg > 29 || deg < -29) continue; // beyond what the original saw at its centre column
    const truth = colourOf(deg);
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(guide[4 * y + c] - truth[c]));
    const sky = guide[4 * y + 3];
    if (deg > 6.5) assert.ok(sky > 0.99, `row ${y} at ${deg.toFixed(1)} degrees: sky ${sky}`);
    if (deg < 3.5) assert.ok(sky < 0.01, `row ${y} at ${deg.toFixed(1)} degrees: sky ${sky}`);
  }
  // Bins are 1 degree wide (colour changes 0.01 per degree) and colours 8-bit.
  assert.ok(worst < 0.012, `worst colour error ${worst}`);
});

test('inpaint with a row guide: far from the border the fill takes the guide\'s colour, not the ring\'s; known pixels stay exact', async () => {
  // Known: a grey strip at the left; the guide says red at the top, blue at the bottom.
  const rgb = new Float32Array(3 * W * H), depth = new Float32Array(W * H), mask = new Uint8Array(W * H);
  const guide = new Float32Array(4 * H);
  for (let y = 0; y < H; y++) {
    guide.set([1 - y / H, 0.2, y / H, 0], 4 * y);
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (x >= 24) mask[i] = 1;
      else { rgb.set([0.5, 0.5, 0.5], 3 * i); depth[i] = 5; }
    }
  }
  const view: PartialView = { pose: Pose.identity(), intrinsics: k, width: W, height: H, rgb, depth, mask, prompt: null };
  const guided = await new InpaintCompleter({ guideReach: 1 / 8 }).complete({ ...view, rowGuide: guide }); // 16 px of 104
  const plain = await new InpaintCompleter().complete(view);
  for (const y of [10, 48, 85]) {
    const i = y * W + (W - 1);
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(guided.rgb[3 * i + c] - guide[4 * y + c]) < 0.03, `guided (${W - 1}, ${y}) channel ${c}: ${guided.rgb[3 * i + c]} vs guide ${guide[4 * y + c]}`);
      assert.ok(Math.abs(plain.rgb[3 * i + c] - 0.5) < 0.01, `unguided (${W - 1}, ${y}) channel ${c}: ${plain.rgb[3 * i + c]} vs ring 0.5`);
    }
  }
  for (let i = 0; i < W * H; i++) if (!mask[i]) for (let c = 0; c < 3; c++) assert.equal(guided.rgb[3 * i + c], rgb[3 * i + c]);
  // At the border the fill continues the known grey (no step).
  const b = 40 * W + 24;
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(guided.rgb[3 * b + c] - 0.5) < 0.08, `border channel ${c}: ${guided.rgb[3 * b + c]}`);
});

test('expandView: the completer gets the guide of the world\'s first frame by default, none with elevationGuide false', async () => {
  const eye: [number, number, number] = [0, 1.6, 0];
  const world = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  const seen: (Float32Array | undefined)[] = [];
  const inner = new InpaintCompleter();
  const recorder: Completer = { name: 'rec', complete: (v: PartialView): Promise<CompletedView> => { seen.push(v.rowGuide); return inner.complete(v); } };
  await expandView(world, yawPose(eye, -40), k, recorder, { elevationGuide: false });
  const pose = yawPose(eye, -80);
  await expandView(world, pose, k, recorder);
  assert.equal(seen[0], undefined);
  assert.deepEqual(seen[1], rowGuide(elevationStats([world.memory.frames[0]]), pose, k));
});

/** A stored level frame looking down -Z whose left half is colour `left`, right half `right`, no sky. */
function twoColourFrame(left: [number, number, number], right: [number, number, number]): MemoryFrame {
  const rgb = new Uint8Array(3 * W * H), depth = new Float32Array(W * H).fill(10);
  for (let y = 0, i = 0; y < H; y++) for (let x = 0; x < W; x++, i++) (x < W / 2 ? left : right).forEach((v, c) => { rgb[3 * i + c] = Math.round(255 * v); });
  return { id: 0, pose: Pose.identity(), intrinsics: k, width: W, height: H, rgb, depth, confidence: new Uint8Array(W * H).fill(255), splatStart: 0, splatCount: 0, prompt: null, timestamp: 0 };
}

test('direction guide: where the original view did not look, the guide blends its two edges linearly by the angle round the unseen arc', () => {
  const left: [number, number, number] = [0.9, 0.5, 0.1], right: [number, number, number] = [0.1, 0.3, 0.8];
  const stats = elevationStats([twoColourFrame(left, right)]);
  // The original sees azimuths -h..h (h = half the horizontal field of view; +X = right = positive azimuth).
  const h = (Math.atan(k.cx / k.fx) * 180) / Math.PI;
  for (const azimuth of [90, 135, 180, 225, 270]) {
    const rad = (azimuth * Math.PI) / 180;
    const guide = rowGuide(stats, Pose.lookAt([0, 0, 0], [Math.sin(rad), 0, -Math.cos(rad)]), k)!;
    // Going round from the right edge (+h) to the left edge (360 - h): 0 at the right edge, 1 at the left.
    const t = (azimuth - h) / (360 - 2 * h);
    const y = H / 2; // the horizon row: its ray at the centre column is level
    for (let c = 0; c < 3; c++) {
      const truth = right[c] + t * (left[c] - right[c]);
      // Bins are 5 degrees of a ~285-degree arc; colours are 8-bit.
      assert.ok(Math.abs(guide[4 * y + c] - truth) < 0.03 * Math.abs(left[c] - right[c]) + 0.005, `azimuth ${azimuth}, channel ${c}: guide ${guide[4 * y + c]} vs ${truth}`);
    }
    assert.equal(guide[4 * y + 3], 0, 'no sky in the original: none in the guide');
  }
  // Inside what the original saw, the guide is what it saw there.
  const ahead = rowGuide(stats, Pose.lookAt([0, 0, 0], [Math.sin(-0.35), 0, -Math.cos(-0.35)]), k)!;
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(ahead[4 * (H / 2) + c] - left[c]) < 0.005, `20 degrees left, channel ${c}: ${ahead[4 * (H / 2) + c]}`);
});

/** The ground's colour at `deg` degrees below the horizon in shoreFrame: linear in elevation (water near the horizon, grey further down). */
const groundOf = (deg: number): [number, number, number] => [0.25 - deg / 200, 0.4 + deg / 150, 0.55 + deg / 100];
/** A boat's planks: orange, every third row dark (objects are the high-contrast parts of a picture; a flat-coloured inside is not one by itself). */
const plank = (y: number): [number, number, number] => (y % 3 === 0 ? [0.45, 0.2, 0.05] : [0.9, 0.45, 0.1]);

/**
 * A stored level frame looking down -Z: sky above the horizon, below it ground of groundOf(elevation)
 * with a faint checker (+-2 levels, texture that is not an object), and orange "boats" with dark planks over
 * columns x0 .. x1 - 1 between the elevations `from` and `to` (degrees, negative below the horizon).
 */
function shoreFrame(boats: { x0: number; x1: number; from: number; to: number }[]): MemoryFrame {
  const rgb = new Uint8Array(3 * W * H), depth = new Float32Array(W * H);
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      const dx = (x + 0.5 - k.cx) / k.fx, dy = -(y + 0.5 - k.cy) / k.fy;
      const deg = (Math.atan2(dy, Math.hypot(dx, 1)) * 180) / Math.PI;
      const boat = boats.some((b) => x >= b.x0 && x < b.x1 && deg >= b.from && deg <= b.to);
      const colour: [number, number, number] = deg > 0 ? [0.4, 0.6, 0.9] : boat ? plank(y) : groundOf(deg);
      colour.forEach((v, c) => { rgb[3 * i + c] = Math.max(0, Math.min(255, Math.round(255 * v) + (deg > 0 || boat ? 0 : (x + y) % 2 ? 2 : -2))); });
      depth[i] = deg > 0 ? 0 : 10;
    }
  }
  return { id: 0, pose: Pose.identity(), intrinsics: k, width: W, height: H, rgb, depth, confidence: new Uint8Array(W * H).fill(255), splatStart: 0, splatCount: 0, prompt: null, timestamp: 0 };
}

/** Largest colour error of the guide at azimuth `azimuth` (degrees, + = right) over the rows whose elevation is within [from, to], against truth(deg). */
function worstGuideError(frame: MemoryFrame, azimuth: number, from: number, to: number, truth: (deg: number) => number[]): number {
  const rad = (azimuth * Math.PI) / 180;
  const guide = rowGuide(elevationStats([frame]), Pose.lookAt([0, 0, 0], [Math.sin(rad), 0, -Math.cos(rad)]), k)!;
  let worst = 0, rows = 0;
  for (let y = 0; y < H; y++) {
    const deg = (Math.atan(-(y + 0.5 - k.cy) / k.fy) * 180) / Math.PI;
    if (deg < from || deg > to) continue;
    rows++;
    const t = truth(deg);
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(guide[4 * y + c] - t[c]));
  }
  assert.ok(rows > 5, `rows between ${from} and ${to} degrees: ${rows}`);
  return worst;
}

test('direction guide: a small bright object at the photo\'s edge below the horizon does not colour the unseen arc (the ground round it does)', () => {
  // A boat 4 px wide at the left edge (about a fifth of the 15 degrees the edge's colour is taken over), 10 to 3 degrees down.
  const frame = shoreFrame([{ x0: 0, x1: 4, from: -10, to: -3 }]);
  // Right behind (the two edges blended) and just beyond the left edge (its colour alone).
  for (const azimuth of [180, 300]) {
    const worst = worstGuideError(frame, azimuth, -9.5, -3.5, groundOf);
    // Bins are 1 degree (the ground changes 0.01 per degree) and colours 8-bit; the boat in the mean was 0.06 off at 180 degrees.
    assert.ok(worst < 0.015, `azimuth ${azimuth}: worst colour error ${worst.toFixed(4)}`);
  }
});

test('direction guide: where the photo\'s edge is all object over some elevations below the horizon, the guide takes the ground above and below it', () => {
  // A boat covering the left edge's whole 15 degrees (30 px at the horizon), 12 to 4 degrees down.
  const frame = shoreFrame([{ x0: 0, x1: 30, from: -12, to: -4 }]);
  // The ground is linear in elevation, so interpolating across the boat's elevations gives it back.
  const worst = worstGuideError(frame, 300, -11.5, -4.5, groundOf);
  assert.ok(worst < 0.015, `worst colour error ${worst.toFixed(4)}`);
});

test('direction guide: a smooth-sided object (one flat colour, no texture) at the photo\'s edge below the horizon is found by its colour', () => {
  // A plain red hull over the right edge's last 12 px (of the ~30 the edge's colour is taken over), 8 to 2 degrees down:
  // detail energy sees only its outline, so without the colour rule its inside counts as ground.
  const frame = shoreFrame([]);
  const hull: [number, number, number] = [0.45, 0.18, 0.12];
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      const deg = (Math.atan2(-(y + 0.5 - k.cy) / k.fy, Math.hypot((x + 0.5 - k.cx) / k.fx, 1)) * 180) / Math.PI;
      if (deg > -2 || deg < -8 || x < W - 12) continue;
      hull.forEach((v, c) => { frame.rgb[3 * i + c] = Math.round(255 * v); });
    }
  }
  // Just beyond the right edge the guide is that edge's colour alone.
  const worst = worstGuideError(frame, 60, -7.5, -2.5, groundOf);
  // Without the colour rule: 0.20 off (red up, blue down).
  assert.ok(worst < 0.015, `worst colour error ${worst.toFixed(4)}`);
});

test('direction guide: at and above the horizon everything at the edge counts (hills and trees along the horizon are what a turn continues)', () => {
  // A bright band at the left edge from 1 to 6 degrees up (surface, not sky): the guide beyond that edge is the edge's mean, band included.
  const frame = shoreFrame([]);
  const k0 = frame.rgb, depth = frame.depth;
  const band: [number, number, number] = [0.2, 0.5, 0.1];
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      const deg = (Math.atan2(-(y + 0.5 - k.cy) / k.fy, Math.hypot((x + 0.5 - k.cx) / k.fx, 1)) * 180) / Math.PI;
      if (deg < 1 || deg > 6 || x >= 5) continue;
      band.forEach((v, c) => { k0[3 * i + c] = Math.round(255 * v); });
      depth[i] = 10;
    }
  }
  const rad = (-60 * Math.PI) / 180;
  const guide = rowGuide(elevationStats([frame]), Pose.lookAt([0, 0, 0], [Math.sin(rad), 0, -Math.cos(rad)]), k)!;
  const y = Math.round(k.cy - k.fy * Math.tan((3.5 * Math.PI) / 180) - 0.5);
  // 5 px of the edge's ~30 are the band: its green pulls the sky-blue mean's red down and green... measurably off the sky.
  const sky = [0.4, 0.6, 0.9];
  assert.ok(Math.abs(guide[4 * y + 2] - sky[2]) > 0.05, `row ${y}: blue ${guide[4 * y + 2]} is the sky's alone: the band was left out`);
});
