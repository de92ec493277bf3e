import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { randomCloud } from '../../core/random.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { cameraPath } from '../expand/camera-paths.ts';
import { psnr } from '../metrics.ts';
import { areaDownsample } from '../resample.ts';
import { liftedWorld } from './lod-test-world.ts';
import { RenderCloud, RenderCloudCache, mergeableGrids } from './render-cloud.ts';

test('render cloud: a view lifted at twice the render size, merged, is a better picture of the world at that size', () => {
  // The truth: the world's own splats rendered at 4x and averaged down (what a pixel of the world covers).
  const { world, scene } = liftedWorld(192, 144);
  const k = intrinsicsFromFov(96, 72, 60), fine = intrinsicsFromFov(384, 288, 60);
  const poses = [scene.pose, ...cameraPath('turn', scene.pose, 12, 3).slice(0, 2)];
  const grids = mergeableGrids(world, k, poses);
  assert.equal(grids.length, 1);
  const lod = RenderCloud.of(world, grids);
  assert.ok(lod.cloud.count < 0.3 * world.splats.count, `${lod.cloud.count} splats`);
  for (const pose of poses) {
    const truth = renderSplats(world.splats, pose, fine);
    const colour = areaDownsample(truth.color, fine.width, fine.height, 3, k.width, k.height);
    const alpha = areaDownsample(truth.alpha, fine.width, fine.height, 1, k.width, k.height);
    const all = renderSplats(world.splats, pose, k), merged = renderSplats(lod.cloud, pose, k);
    const wrongHoles = (r: { alpha: Float32Array }) => r.alpha.reduce((n, a, i) => n + +((a < 0.5) !== (alpha[i] < 0.5)), 0);
    const [pAll, pMerged] = [psnr(all.color, colour), psnr(merged.color, colour)];
    console.log(`pose: all splats ${pAll.toFixed(2)} dB, ${wrongHoles(all)} wrong hole pixels; merged ${pMerged.toFixed(2)} dB, ${wrongHoles(merged)}`);
    // Measured: 31.2 / 26.3 / 28.0 dB -> 37.0 / 31.9 / 34.2 dB; 0 / 49 / 32 fewer wrong hole pixels.
    assert.ok(pMerged >= pAll + 3, `merged ${pMerged} dB against all ${pAll} dB`);
    assert.ok(wrongHoles(merged) <= wrongHoles(all));
  }
});

test('render cloud: nothing is merged where a pose sees the view at less than 1.5 splats per pixel', () => {
  const { world, scene } = liftedWorld(192, 144);
  // 160 x 120: 1.2 splats per pixel from the view's own eye.
  assert.equal(mergeableGrids(world, intrinsicsFromFov(160, 120, 60), [scene.pose]).length, 0);
  // 96 x 72 (2 per pixel), but one pose walked 60% of the way to what the view saw (its median depth).
  const depths = world.memory.frames[0].depth.filter((d) => d > 0).sort();
  const toward = depths[depths.length >> 1] * 0.6;
  const forward = scene.pose.worldFromCamera;
  const eye = scene.pose.position.map((p, i) => p - toward * forward[3 * i + 2]) as [number, number, number];
  const k = intrinsicsFromFov(96, 72, 60);
  assert.equal(mergeableGrids(world, k, [scene.pose, new Pose(eye, scene.pose.rotation)]).length, 0);
  assert.equal(mergeableGrids(world, k, [scene.pose, new Pose(scene.pose.position, scene.pose.rotation)]).length, 1);
  // No grid: the world's own cloud, the same object.
  const own = RenderCloud.of(world, []);
  assert.equal(own.cloud, world.splats);
  assert.equal(own.follow(world.splats), world.splats);
});

test('render cloud: follow() appends what the world gained since, as it is', () => {
  const { world, scene } = liftedWorld(64, 48);
  const lod = RenderCloud.of(world, mergeableGrids(world, intrinsicsFromFov(32, 24, 60), [scene.pose]));
  const before = lod.cloud.count;
  const fill = randomCloud(50, 3);
  world.append({ pose: scene.pose, intrinsics: scene.intrinsics, image: scene.image, depth: { width: 1, height: 1, data: new Float32Array(1) } }, fill);
  const cloud = lod.follow(world.splats);
  assert.equal(cloud.count, before + 50);
  assert.deepEqual(cloud.positions.subarray(3 * before), fill.positions);
  assert.deepEqual(cloud.colors.subarray(3 * before), fill.colors);
  assert.equal(lod.follow(world.splats).count, before + 50); // nothing new: nothing appended
  assert.throws(() => lod.follow(randomCloud(10)), /render cloud: expected the world it was made for/);
});

test('render cloud cache: kept and followed while views merge the same views, the world\'s own where none do, made again for another world', () => {
  const { world, scene } = liftedWorld(64, 48);
  const cache = new RenderCloudCache();
  const k = intrinsicsFromFov(32, 24, 60);
  const first = cache.cloudFor(world, k, scene.pose);
  assert.ok(first !== world.splats && first.count < 0.35 * world.splats.count);
  const turned = cameraPath('turn', scene.pose, 4, 3)[0];
  assert.equal(cache.cloudFor(world, k, turned), first);
  const before = first.count;
  world.append({ pose: turned, intrinsics: scene.intrinsics, image: scene.image, depth: { width: 1, height: 1, data: new Float32Array(1) } }, randomCloud(20, 4));
  assert.equal(cache.cloudFor(world, k, turned).count, before + 20);
  // At the view's own density (64 x 48) nothing merges.
  assert.equal(cache.cloudFor(world, intrinsicsFromFov(64, 48, 60), turned), world.splats);
  const other = liftedWorld(64, 48).world;
  const again = cache.cloudFor(other, k, scene.pose);
  assert.ok(again !== first && again.count < 0.35 * other.splats.count);
});
