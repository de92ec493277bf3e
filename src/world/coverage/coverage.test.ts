import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { quatFromAxisAngle } from '../../core/quat.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import { World } from '../world.ts';
import { HOLE_EMPTY, HOLE_POORLY_SEEN, coverage, coverageFromRender, shouldExpand } from './coverage.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { type Rectangle, rectangleSplats, viewOf } from './coverage-test-worlds.ts';

const K = intrinsicsFromFov(640, 480, 60);
const facingZ = quatFromAxisAngle([0, 0, 1], 0);

/** A wall at z = -5 spanning x -6..xMax, y -4..4, remembered from the origin looking down -Z (which sees x -3.85..3.85). */
function wallWorld(xMax = 2): { world: World; rect: Rectangle } {
  const rect: Rectangle = { origin: [-6, -4, -5], edgeU: [xMax + 6, 0, 0], edgeV: [0, 8, 0], rotation: facingZ };
  const world = World.empty();
  world.append(viewOf(rect, Pose.identity(), K), rectangleSplats(rect, 0.1));
  return { world, rect };
}

test('the wall seen head-on from where it was generated is known', () => {
  const { world } = wallWorld(6);
  const c = coverage(world, Pose.identity(), K);
  assert.equal(c.mask.length, 128 * 96);
  assert.ok(c.unknownFraction < 0.01, `unknown ${c.unknownFraction}`);
  assert.equal(shouldExpand(c), false);
  assert.ok(Math.abs(c.depth[48 * 128 + 64] - 5) < 0.01);
});

test('coverage renders the splats it is given in place of the world\'s (a stand-in such as the render cloud)', () => {
  const { world, rect } = wallWorld(6);
  // The left half of the wall only: the right half of the view is empty in that render.
  const half = coverage(world, Pose.identity(), K, { splats: rectangleSplats({ ...rect, edgeU: [6, 0, 0] }, 0.1) });
  assert.ok(half.unknownFraction > 0.4 && half.unknownFraction < 0.6, `unknown ${half.unknownFraction}`);
  assert.ok(coverage(world, Pose.identity(), K).unknownFraction < 0.01);
});

test('turned 90 degrees away, nothing is known', () => {
  const { world } = wallWorld();
  const c = coverage(world, new Pose([0, 0, 0], quatFromAxisAngle([0, 1, 0], Math.PI / 2)), K);
  assert.ok(c.unknownFraction > 0.99, `unknown ${c.unknownFraction}`);
  assert.ok(c.mask.every((m) => m === HOLE_EMPTY));
  assert.equal(shouldExpand(c), true);
});

test('moved sideways, the unknown share is the image share beyond the wall edge', () => {
  const { world } = wallWorld();
  for (const shift of [0, 1, 2]) {
    // The edge x = 2 projects to column u = cx + fx (2 - shift) / 5; everything right of it is empty.
    const expected = 1 - (K.cx + (K.fx * (2 - shift)) / 5) / K.width; // 0.240, 0.370 and 0.5
    const c = coverage(world, new Pose([shift, 0, 0], facingZ), K);
    assert.ok(Math.abs(c.unknownFraction - expected) < 0.02, `shift ${shift}: unknown ${c.unknownFraction}, expected ${expected}`);
  }
});

test('a floor seen only at a grazing angle in its only frame is flagged; seen from above it is known', () => {
  // Floor y = 0, x -6..6, z -14..-1 (normal +Y: splat +Z turned onto +Y).
  const rect: Rectangle = { origin: [-6, 0, -1], edgeU: [0, 0, -13], edgeV: [12, 0, 0], rotation: quatFromAxisAngle([1, 0, 0], -Math.PI / 2) };
  const splats = rectangleSplats(rect, 0.08);
  // Query: 6 m above (0, 0, -7), looking straight down, 30 degree FoV: sees z -8.6..-5.4, where the
  // low frame (eye 1 m up at z = 0) looks at 79.5..83.5 degrees from the normal, with a footprint
  // ratio of ~1.3 (its pixels are fine enough): only the angle can flag it.
  const query = Pose.lookAt([0, 6, -7], [0, 0, -7], [0, 0, -1]);
  const kQuery = intrinsicsFromFov(640, 480, 30);
  const kFrame = intrinsicsFromFov(1280, 960, 60);

  const low = World.empty();
  low.append(viewOf(rect, Pose.lookAt([0, 1, 0], [0, 0, -6]), kFrame), splats);
  const grazing = coverage(low, query, kQuery);
  assert.ok(grazing.unknownFraction > 0.97, `unknown ${grazing.unknownFraction}`);
  assert.ok(grazing.mask.filter((m) => m === HOLE_POORLY_SEEN).length > 0.97 * grazing.mask.length);

  const above = World.empty();
  above.append(viewOf(rect, Pose.lookAt([0, 6, -7], [0, 0, -7], [0, 0, -1]), kFrame), splats);
  const known = coverage(above, query, kQuery);
  assert.ok(known.unknownFraction < 0.01, `unknown ${known.unknownFraction}`);

  // The same frame from far away (footprint ratio 4 > 2): flagged for resolution.
  const far = World.empty();
  far.append(viewOf(rect, Pose.lookAt([0, 24, -7], [0, 0, -7], [0, 0, -1]), intrinsicsFromFov(640, 480, 30)), splats);
  assert.ok(coverage(far, query, kQuery).unknownFraction > 0.97);
});

test('splats without any remembered frame are judged by alpha alone', () => {
  const rect: Rectangle = { origin: [-6, -4, -5], edgeU: [12, 0, 0], edgeV: [0, 8, 0], rotation: facingZ };
  const world = World.restore(rectangleSplats(rect, 0.1), []);
  assert.ok(coverage(world, Pose.identity(), K).unknownFraction < 0.01);
  assert.ok(coverage(World.restore(SplatCloud.create(0), []), Pose.identity(), K).unknownFraction === 1);
});

test('coverage from the view\'s own render (expansion\'s shortcut) agrees with coverage\'s own low-resolution render', () => {
  const floor: Rectangle = { origin: [-6, 0, -1], edgeU: [0, 0, -13], edgeV: [12, 0, 0], rotation: quatFromAxisAngle([1, 0, 0], -Math.PI / 2) };
  const query = Pose.lookAt([0, 6, -7], [0, 0, -7], [0, 0, -1]);
  const grazing = World.empty();
  grazing.append(viewOf(floor, Pose.lookAt([0, 1, 0], [0, 0, -6]), intrinsicsFromFov(1280, 960, 60)), rectangleSplats(floor, 0.08));
  const cases: [string, World, Pose, typeof K][] = [
    ...[0, 1, 2].map((shift): [string, World, Pose, typeof K] => [`wall shifted ${shift}`, wallWorld().world, new Pose([shift, 0, 0], facingZ), K]),
    ['wall turned 30 degrees', wallWorld().world, new Pose([0, 0, 0], quatFromAxisAngle([0, 1, 0], Math.PI / 6)), K],
    ['floor seen grazing', grazing, query, intrinsicsFromFov(640, 480, 30)],
  ];
  for (const [name, world, pose, k] of cases) {
    const direct = coverage(world, pose, k);
    const shortcut = coverageFromRender(world, pose, k, renderSplats(world.splats, pose, k));
    assert.equal(shortcut.mask.length, direct.mask.length);
    let agree = 0;
    for (let i = 0; i < direct.mask.length; i++) if (direct.mask[i] === shortcut.mask[i]) agree++;
    assert.ok(agree > 0.98 * direct.mask.length, `${name}: ${agree} of ${direct.mask.length} pixels agree`);
    assert.ok(Math.abs(shortcut.unknownFraction - direct.unknownFraction) < 0.01, `${name}: unknown ${shortcut.unknownFraction} vs ${direct.unknownFraction}`);
  }
  // At the coverage size itself the render is coverage's own: the same result, value for value.
  const small = intrinsicsFromFov(128, 96, 60), world = wallWorld().world, pose = new Pose([1, 0, 0], facingZ);
  assert.deepEqual(coverageFromRender(world, pose, small, renderSplats(world.splats, pose, small)), coverage(world, pose, small));
  assert.throws(() => coverageFromRender(world, pose, K, renderSplats(world.splats, pose, small)), /^Error: coverage: expected a render of 640x480 \(307200 alpha and depth values\), found 12288 and 12288$/);
});
