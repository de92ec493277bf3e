/**
 * Ray casting against analytic truths: a flat ground EYE_HEIGHT below the eye, seen by a camera
 * pitched down by a known angle, and a box whose front face lies at a known distance.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { environmentFor } from './environment.ts';
import { material } from './materials.ts';
import { parsePrompt } from './parse-prompt.ts';
import { Box } from './primitives.ts';
import { raycastView } from './raycast.ts';
import type { Scene } from './scene.ts';
import { EYE_HEIGHT, Terrain } from './terrain.ts';

function flatScene(): Scene {
  const spec = parsePrompt('a field');
  const terrain = new Terrain({ seed: 1, hills: 0, hillScale: 1, mountains: 0, mountainStart: 0, dunes: 0, seaSlope: 0, slopeStart: 0, basin: null });
  return {
    spec, seed: 1, indoor: false, prims: [], bvh: null, materials: [material('plain', [0.3, 0.3, 0.3])], terrain,
    terrainMaterials: { low: 0, rock: 0, high: 0 }, water: null, lights: [], env: environmentFor(spec, 1), objects: [],
  };
}

test('flat ground: the centre pixel of a camera pitched down by a sees depth h / sin(a); every pixel matches the plane', () => {
  const scene = flatScene();
  for (const degrees of [10, 25, 60]) {
    const a = (degrees * Math.PI) / 180;
    const pose = Pose.lookAt([0, 0, 0], [0, -Math.sin(a), -Math.cos(a)]);
    const k = intrinsicsFromFov(33, 25, 40); // odd sizes: pixel (16, 12) has its centre on the axis
    const view = raycastView(scene, pose, k);
    const centre = view.depth[12 * 33 + 16];
    assert.ok(Math.abs(centre - EYE_HEIGHT / Math.sin(a)) < 2e-6 * centre, `${degrees} degrees: ${centre} vs ${EYE_HEIGHT / Math.sin(a)}`);
    // Off-axis pixels: the ray (rx, ry, -1) in camera space meets y = -h at s = -h / dir_y, and its
    // depth along the view axis is s itself.
    const R = pose.worldFromCamera;
    for (let y = 0; y < k.height; y++) {
      for (let x = 0; x < k.width; x++) {
        const rx = (x + 0.5 - k.cx) / k.fx, ry = -(y + 0.5 - k.cy) / k.fy;
        const dirY = R[3] * rx + R[4] * ry - R[5];
        const expected = dirY < 0 ? -EYE_HEIGHT / dirY : 0;
        const got = view.depth[y * k.width + x];
        if (expected === 0 || expected > 400) assert.ok(got === 0 || expected > 400, `sky expected at (${x}, ${y}), found ${got}`);
        else assert.ok(Math.abs(got - expected) < 2e-6 * expected, `(${x}, ${y}): ${got} vs ${expected}`);
      }
    }
    // Normals of the ground, in the camera frame, are the world's +Y seen by this camera.
    const n = [view.normals[3 * (12 * 33 + 16)], view.normals[3 * (12 * 33 + 16) + 1], view.normals[3 * (12 * 33 + 16) + 2]];
    assert.ok(Math.abs(n[1] - Math.cos(a)) < 1e-6 && Math.abs(n[2] - Math.sin(a)) < 1e-6, `normal ${n}`);
  }
});

test('a box 5 m ahead, turned 30 degrees about Y: depth of its nearest edge and of its faces', () => {
  const scene = flatScene();
  scene.prims.push(new Box(0, 0, -5, 1, 1, 1, Math.PI / 6, 0));
  const k = intrinsicsFromFov(65, 49, 40);
  const view = raycastView(scene, Pose.identity(), k);
  // Independently of the box code: its faces are the planes a . (p - c) = +-1 for its three world
  // axes a; a ray (rx, ry, -1) s enters where the last slab is entered, and s is the view-axis depth.
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  const axes = [[c, 0, -s], [0, 1, 0], [s, 0, c]]; // world directions of the box's local x, y, z
  for (const [px, py] of [[32, 24], [28, 24], [36, 20], [32, 30]]) {
    const rx = (px + 0.5 - k.cx) / k.fx, ry = -(py + 0.5 - k.cy) / k.fy;
    const d = [rx, ry, -1];
    let enter = -Infinity, exit = Infinity;
    for (const ax of axes) {
      const dn = ax[0] * d[0] + ax[1] * d[1] + ax[2] * d[2];
      const on = ax[0] * 0 + ax[1] * 0 + ax[2] * 5; // (origin - centre) . axis, centre (0, 0, -5)
      const t1 = (-1 - on) / dn, t2 = (1 - on) / dn;
      enter = Math.max(enter, Math.min(t1, t2));
      exit = Math.min(exit, Math.max(t1, t2));
    }
    assert.ok(enter < exit, `pixel (${px}, ${py}) should see the box`);
    const got = view.depth[py * k.width + px];
    assert.ok(Math.abs(got - enter) < 2e-6 * enter, `pixel (${px}, ${py}): depth ${got} vs ${enter}`);
  }
});

test('the BVH changes nothing: the same picture as testing every primitive, from an odd pose', async () => {
  const { buildScene } = await import('./build-scene.ts');
  for (const prompt of ['a snowy pine forest at dusk', 'a cosy library with tall shelves', 'a city street at night']) {
    const scene = buildScene(parsePrompt(prompt), 2);
    const pose = Pose.lookAt([1.3, 0.4, 0.7], [-2, -0.6, -6]);
    const k = intrinsicsFromFov(48, 36, 70);
    const fast = raycastView(scene, pose, k), slow = raycastView({ ...scene, bvh: null }, pose, k);
    assert.deepEqual(fast.depth, slow.depth, prompt);
    assert.deepEqual(fast.rgb, slow.rgb, prompt);
  }
});

test('hilly ground: every ground pixel lands on the analytic heightfield (within the grids\' interpolation error)', async () => {
  const { buildScene } = await import('./build-scene.ts');
  for (const prompt of ['a meadow', 'a lake surrounded by mountains', 'a desert']) {
    const scene = { ...buildScene(parsePrompt(prompt), 3), prims: [], bvh: null, water: null };
    const pose = Pose.lookAt([0, 0, 0], [0.3, -0.25, -1]);
    const k = intrinsicsFromFov(64, 48, 60);
    const view = raycastView(scene, pose, k);
    let ground = 0;
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 64; x++) {
        const d = view.depth[y * 64 + x];
        if (d === 0) continue;
        const [px, py, pz] = pose.cameraToWorld([((x + 0.5 - k.cx) / k.fx) * d, (-(y + 0.5 - k.cy) / k.fy) * d, -d]);
        const r = Math.hypot(px, pz);
        // 0.5 m grid near the start, 4 m beyond; past 100 m, mountain crests vary by metres within
        // one 4 m cell, and the grid is the ground there by design (terrain.ts), so they are not checked.
        if (r > 100) continue;
        const tolerance = r < 75 ? 0.03 : 0.3;
        const h = scene.terrain!.height(px, pz);
        assert.ok(Math.abs(py - h) < tolerance, `${prompt}: pixel (${x}, ${y}) at ${r.toFixed(1)} m lies ${(py - h).toFixed(3)} m off the ground`);
        ground++;
      }
    }
    assert.ok(ground > 1000, `${prompt}: ${ground} ground pixels`);
  }
});
