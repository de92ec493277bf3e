/**
 * The lift on analytic scenes: every truth here is the scene's geometry (planes, a sphere, a step),
 * never the lift's own output. Renders use the CPU reference rasterizer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint } from '../core/camera.ts';
import { quatToMat3 } from '../core/quat.ts';
import type { Vec3 } from '../core/vec3.ts';
import { renderSplats } from '../render/rasterizer.ts';
import { paint, planeDepth, rayAt, sampleDepth, sphereDepth } from './analytic-scenes.ts';
import { liftToSplats } from './lift.ts';

const W = 128, H = 96;
const K = intrinsicsFromFov(W, H, 60);
const MODEL_W = 64, MODEL_H = 48; // the model sees the photo at half resolution
const grey = paint(W, H, () => [0.6, 0.5, 0.4]);

const position = (c: { positions: Float32Array }, i: number): Vec3 => [c.positions[3 * i], c.positions[3 * i + 1], c.positions[3 * i + 2]];
const normalOf = (c: { rotations: Float32Array }, i: number): Vec3 => {
  const m = quatToMat3([c.rotations[4 * i], c.rotations[4 * i + 1], c.rotations[4 * i + 2], c.rotations[4 * i + 3]]);
  return [m[2], m[5], m[8]]; // local z, the thin axis
};
const angleDegrees = (a: Vec3, b: Vec3) => (Math.acos(Math.min(1, Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]))) * 180) / Math.PI;

test('fronto-parallel plane: splats on the plane at their pixels; rendered back opaque and uniform, also 3x closer', () => {
  const depth = sampleDepth(K, MODEL_W, MODEL_H, () => 3);
  const cloud = liftToSplats({ image: grey, depth, intrinsics: K, pose: Pose.identity() });
  assert.equal(cloud.count, W * H);
  for (const i of [0, 777, W * H - 1]) {
    const p = position(cloud, i);
    assert.ok(Math.abs(p[2] + 3) < 1e-5, `splat ${i} at z ${p[2]}`);
    const { u, v } = projectCameraPoint(K, p);
    assert.ok(Math.abs(u - ((i % W) + 0.5)) < 1e-3 && Math.abs(v - (Math.floor(i / W) + 0.5)) < 1e-3, `splat ${i} projects to (${u}, ${v})`);
  }
  // The photo's view, and views where each splat spacing covers 3 pixels: a 3x finer image, and the
  // camera moved 2 m closer (3 m -> 1 m). Inside the plane (a margin of a few splats from its border),
  // alpha must be ~1 and the colour uniform: no gaps between splats.
  const views: Array<[string, Pose, ReturnType<typeof intrinsicsFromFov>, number]> = [
    ['photo view', Pose.identity(), K, 3],
    ['3x finer image', Pose.identity(), intrinsicsFromFov(3 * W, 3 * H, 60), 9],
    ['2 m closer', new Pose([0.1, -0.05, -2], [1, 0, 0, 0]), K, 1],
  ];
  for (const [name, pose, k, margin] of views) {
    const r = renderSplats(cloud, pose, k);
    let minAlpha = 1, worstColour = 0;
    for (let y = margin; y < k.height - margin; y++) {
      for (let x = margin; x < k.width - margin; x++) {
        const i = y * k.width + x;
        minAlpha = Math.min(minAlpha, r.alpha[i]);
        [0.6, 0.5, 0.4].forEach((want, c) => { worstColour = Math.max(worstColour, Math.abs(r.color[3 * i + c] / r.alpha[i] - Math.round(want * 255) / 255)); });
      }
    }
    assert.ok(minAlpha > 0.97, `${name}: least alpha inside the plane is ${minAlpha}`);
    assert.ok(worstColour < 2e-3, `${name}: colour off by up to ${worstColour}`);
  }
});

test('tilted plane: splats on the plane, thin axis along its normal, footprint growing with distance', () => {
  const n: Vec3 = [0.3, 0.5, Math.sqrt(1 - 0.34)]; // unit, facing the camera
  const c = 3;
  const depth = sampleDepth(K, MODEL_W, MODEL_H, (u, v) => planeDepth(n, c, rayAt(K, u, v)));
  const cloud = liftToSplats({ image: grey, depth, intrinsics: K, pose: Pose.identity() });
  let worstAngle = 0, worstOffset = 0;
  for (let i = 0; i < cloud.count; i++) {
    const p = position(cloud, i);
    worstOffset = Math.max(worstOffset, Math.abs(n[0] * p[0] + n[1] * p[1] + n[2] * p[2] + c));
    worstAngle = Math.max(worstAngle, angleDegrees(normalOf(cloud, i), n));
  }
  assert.ok(worstOffset < 1e-3 * c, `farthest splat is ${worstOffset} m off the plane`);
  assert.ok(worstAngle < 0.5, `thin axis up to ${worstAngle} degrees from the plane's normal`);
  // Thin axis really thin, and farther splats (top of the image: the plane recedes upwards) larger.
  const s = cloud.scales;
  const top = W * 2 + W / 2, bottom = W * (H - 3) + W / 2;
  assert.ok(s[3 * top + 2] < 0.2 * Math.min(s[3 * top], s[3 * top + 1]));
  const depthRatio = -position(cloud, top)[2] / -position(cloud, bottom)[2];
  assert.ok(depthRatio > 1.5, `the plane recedes upwards (${depthRatio})`);
  const sizeRatio = Math.max(s[3 * top], s[3 * top + 1]) / Math.max(s[3 * bottom], s[3 * bottom + 1]);
  assert.ok(sizeRatio > depthRatio, `far splats grow at least with depth: sizes x${sizeRatio}, depth x${depthRatio}`);
  const r = renderSplats(cloud, Pose.identity(), K);
  for (let i = 0; i < W * H; i++) assert.ok(r.alpha[i] > 0.97, `photo view: alpha ${r.alpha[i]} at pixel ${i}`);
});

test('sphere in front of a wall: splats on the sphere with its normals; the rim does not smear onto the wall', () => {
  const centre: Vec3 = [0.2, -0.1, -4], radius = 1.2, wall = 9;
  const depthAt = (u: number, v: number) => Math.min(sphereDepth(centre, radius, rayAt(K, u, v)), wall);
  const depth = sampleDepth(K, MODEL_W, MODEL_H, depthAt);
  const cloud = liftToSplats({ image: grey, depth, intrinsics: K, pose: Pose.identity() });
  let checked = 0, worstAngle = 0, worstRadius = 0, between = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const p = position(cloud, i);
      const fromCentre = Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]);
      // Nothing between the sphere and the wall (a rubber sheet from the rim to the wall would be).
      if (fromCentre > radius * 1.02 && -p[2] < wall * 0.99) between++;
      const r = rayAt(K, x + 0.5, y + 0.5);
      const d = sphereDepth(centre, radius, r);
      if (!(d < Infinity)) continue;
      const hit: Vec3 = [r[0] * d, r[1] * d, r[2] * d];
      const normal: Vec3 = [(hit[0] - centre[0]) / radius, (hit[1] - centre[1]) / radius, (hit[2] - centre[2]) / radius];
      const len = Math.hypot(...r);
      const facing = -(normal[0] * r[0] + normal[1] * r[1] + normal[2] * r[2]) / len;
      // Near the rim the sphere curves faster than a half-resolution depth map can say: positions are
      // checked up to 60 degrees from facing the camera, normals up to 45; the rest by `between`.
      if (facing < 0.5) continue;
      checked++;
      worstRadius = Math.max(worstRadius, Math.abs(fromCentre - radius));
      if (facing > 0.7) worstAngle = Math.max(worstAngle, angleDegrees(normalOf(cloud, i), normal));
    }
  }
  assert.ok(checked > 1000, `only ${checked} sphere pixels`);
  assert.ok(worstRadius < 0.01 * radius, `a splat is ${worstRadius} m off the sphere`);
  assert.ok(worstAngle < 3, `thin axis up to ${worstAngle} degrees from the sphere's normal`);
  assert.equal(between, 0, `${between} splats float between the sphere and the wall`);
});

/** Side view of a step: red plane at 2 m (left of column EDGE), blue at 4 m (right). */
const EDGE = 61.3; // the photo's colour edge, deliberately between model pixels (model pixels are 2 photo pixels)
const stepPhoto = paint(W, H, (x) => (x + 0.5 < EDGE ? [0.9, 0.1, 0.1] : [0.1, 0.1, 0.9]));
const stepDepth = sampleDepth(K, MODEL_W, MODEL_H, (u) => (u < EDGE ? 2 : 4));

/**
 * Pixels of a view from `pose` that must show nothing: their ray passes the near plane's edge and
 * meets the far plane where the photo could not see it (behind the near plane), i.e. exactly where a
 * rubber sheet joining the two planes would be seen. Each is checked against the analytic geometry,
 * with two pixels of slack around the region: the rasterizer's anti-aliasing blur (0.3 px^2) and the
 * half pixel by which a pixel-sampled edge can differ from the true one.
 */
function gapPixels(pose: Pose): number[] {
  const xNearEdge = ((EDGE - K.cx) / K.fx) * 2, xFarEdge = ((EDGE - K.cx) / K.fx) * 4;
  const inGap = (u: number, v: number) => {
    const dir = pose.cameraToWorld(rayAt(K, u, v)).map((c, a) => c - pose.position[a]) as Vec3;
    const at = (z: number) => pose.position[0] + ((z - pose.position[2]) / dir[2]) * dir[0];
    return at(-2) > xNearEdge && at(-4) < xFarEdge; // misses the near plane, hits the hidden far part
  };
  const pixels: number[] = [];
  for (let y = 4; y < H - 4; y++) {
    for (let x = 0; x < W; x++) {
      let all = true;
      for (const [du, dv] of [[0, 0], [-2, 0], [2, 0], [0, -2], [0, 2]]) all &&= inGap(x + 0.5 + du, y + 0.5 + dv);
      if (all) pixels.push(y * W + x);
    }
  }
  return pixels;
}

test('step: no splat between the planes, and a side view shows nothing in the gap', () => {
  const cloud = liftToSplats({ image: stepPhoto, depth: stepDepth, intrinsics: K, pose: Pose.identity() });
  for (let i = 0; i < cloud.count; i++) {
    const z = cloud.positions[3 * i + 2];
    assert.ok(Math.abs(z + 2) < 1e-4 || Math.abs(z + 4) < 1e-4, `splat ${i} at depth ${-z}, between the planes`);
    const red = cloud.colors[3 * i] > 0.5;
    assert.equal(red, Math.abs(z + 2) < 1e-4, `splat ${i}: the depth edge must follow the colour edge`);
  }
  const side = Pose.lookAt([0.8, 0.1, 0], [0, 0, -3]);
  const gap = gapPixels(side);
  assert.ok(gap.length > 200, `the gap covers ${gap.length} pixels of the side view`);
  const r = renderSplats(cloud, side, K);
  const covered = gap.filter((i) => r.alpha[i] > 0.05);
  assert.equal(covered.length, 0, `${covered.length} of ${gap.length} gap pixels show splats (alpha up to ${Math.max(...covered.map((i) => r.alpha[i]))})`);
});

test('step: the side-view check does see rubber sheets when edge handling is switched off', () => {
  // Naive lifting: plain interpolation across the jump, no discontinuities, long grazing splats.
  const cloud = liftToSplats({ image: stepPhoto, depth: stepDepth, intrinsics: K, pose: Pose.identity() }, {
    upsample: { edgeRatio: 1e9 }, edgeAngleDegrees: 89.99999, maxStretch: 1e6,
  });
  const side = Pose.lookAt([0.8, 0.1, 0], [0, 0, -3]);
  const gap = gapPixels(side);
  const r = renderSplats(cloud, side, K);
  const covered = gap.filter((i) => r.alpha[i] > 0.05);
  assert.ok(covered.length > 0.5 * gap.length, `naive lift covers only ${covered.length} of ${gap.length} gap pixels`);
});

test('sky: no depth or low confidence at the top goes on the far shell, sized to its pixel footprint', () => {
  // Ground plane below the horizon (y = -1.5, normal up), nothing above: depth Infinity there.
  const ground = (u: number, v: number) => {
    const r = rayAt(K, u, v);
    return r[1] < -1e-6 ? planeDepth([0, 1, 0], 1.5, r) : Infinity;
  };
  const depth = sampleDepth(K, MODEL_W, MODEL_H, ground);
  // A model unsure at the top rows though it gave a (wrong) near depth there: sky too.
  const confidence = sampleDepth(K, MODEL_W, MODEL_H, (_, v) => (v < 8 ? 0.02 : 0.9));
  for (let i = 0; i < 3 * MODEL_W; i++) depth.data[i] = 5;
  const skyDistance = 200;
  const cloud = liftToSplats({ image: grey, depth, confidence, intrinsics: K, pose: Pose.identity() }, { skyDistance, farLimit: 150 });
  let sky = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const p = position(cloud, i);
      const range = Math.hypot(...p);
      if (y < 0.4 * H) {
        assert.ok(Math.abs(range - skyDistance) < 1e-3 * skyDistance, `pixel (${x}, ${y}) is ${range} m away, not on the shell`);
        // Sized to the shell's pixel footprint: the Gaussian whose image is sigma = 0.65 px has the
        // covariance 0.65^2 (a a^T + b b^T), a and b the offsets to the neighbouring pixels' points
        // on the shell (computed here from the rays, by finite differences); its principal stds are
        // 0.65 sqrt(eigenvalues of the Gram matrix [[a.a, a.b], [a.b, b.b]]).
        const onShell = (u: number, v: number) => { const r = rayAt(K, u, v), l = Math.hypot(...r); return r.map((c) => (c * skyDistance) / l); };
        const here = onShell(x + 0.5, y + 0.5);
        const a = onShell(x + 1.5, y + 0.5).map((c, j) => c - here[j]), b = onShell(x + 0.5, y + 1.5).map((c, j) => c - here[j]);
        const aa = a[0] ** 2 + a[1] ** 2 + a[2] ** 2, bb = b[0] ** 2 + b[1] ** 2 + b[2] ** 2, ab = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        const root = Math.sqrt(((aa - bb) / 2) ** 2 + ab * ab);
        const want = [0.65 * Math.sqrt((aa + bb) / 2 + root), 0.65 * Math.sqrt((aa + bb) / 2 - root)];
        const got = [cloud.scales[3 * i], cloud.scales[3 * i + 1]].sort((p, q) => q - p);
        assert.ok(Math.abs(got[0] / want[0] - 1) < 0.03 && Math.abs(got[1] / want[1] - 1) < 0.03, `sky splat stds ${got} m, expected ${want}`);
        sky++;
      }
    }
  }
  assert.ok(sky > 0);
  // Below the horizon, well inside the ground: on the ground plane, opaque (confidence 0.9 > 0.5).
  const i = (H - 10) * W + W / 2;
  assert.ok(Math.abs(position(cloud, i)[1] + 1.5) < 1e-3);
  assert.ok(Math.abs(cloud.opacities[i] - 0.99) < 1e-6);
});

test('a posed photo: the same splats as at the origin, moved by the pose', () => {
  const depth = sampleDepth(K, MODEL_W, MODEL_H, (u, v) => 2 + 0.01 * u + (v > 50 ? 1 : 0));
  const pose = Pose.lookAt([1, 2, 3], [0, 1.5, -1]);
  const atOrigin = liftToSplats({ image: grey, depth, intrinsics: K, pose: Pose.identity() });
  const posed = liftToSplats({ image: grey, depth, intrinsics: K, pose });
  atOrigin.transform({ rotation: pose.rotation, translation: pose.position }); // core's own transform as the truth
  for (let i = 0; i < posed.count; i += 37) {
    for (let a = 0; a < 3; a++) assert.ok(Math.abs(posed.positions[3 * i + a] - atOrigin.positions[3 * i + a]) < 1e-4);
    const dot = [0, 1, 2, 3].reduce((s, a) => s + posed.rotations[4 * i + a] * atOrigin.rotations[4 * i + a], 0);
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-5, `rotation of splat ${i} differs`);
  }
});

test('a large photo is shrunk to maxLongSide first, intrinsics with it', () => {
  const big = paint(2000, 1000, (x) => [x / 2000, 0.5, 0.5]);
  const k = intrinsicsFromFov(2000, 1000, 50);
  const depth = sampleDepth(k, 100, 50, () => 4);
  const cloud = liftToSplats({ image: big, depth, intrinsics: k, pose: Pose.identity() }, { maxLongSide: 500 });
  assert.equal(cloud.count, 500 * 250);
  // Splat (x, y) of the 500x250 grid is seen at the centre of the 4x4 photo block it averages.
  const i = 100 * 500 + 321;
  const { u, v } = projectCameraPoint(k, position(cloud, i));
  assert.ok(Math.abs(u - 321.5 * 4) < 1e-2 && Math.abs(v - 100.5 * 4) < 1e-2, `projects to (${u}, ${v})`);
  assert.ok(Math.abs(cloud.colors[3 * i] - ((321.5 * 4) / 2000)) < 2 / 255);
});

test('errors say what was expected and what was found; abort stops the lift', () => {
  const depth = sampleDepth(K, MODEL_W, MODEL_H, () => 3);
  assert.throws(() => liftToSplats({ image: grey, depth, intrinsics: intrinsicsFromFov(64, 48, 60), pose: Pose.identity() }),
    /^Error: lift: expected intrinsics for the image's 128x96, found 64x48$/);
  assert.throws(() => liftToSplats({ image: { ...grey, data: grey.data.subarray(1) }, depth, intrinsics: K, pose: Pose.identity() }),
    /lift: expected 36864 bytes of RGB for a 128x96 image, found 36863/);
  assert.throws(() => liftToSplats({ image: grey, depth: { ...depth, width: 10 }, intrinsics: K, pose: Pose.identity() }),
    /lift: expected depth as 1 float\(s\) per pixel of its 10x48, found 3072 values/);
  const controller = new AbortController();
  const stages: string[] = [];
  assert.throws(() => liftToSplats({ image: grey, depth, intrinsics: K, pose: Pose.identity() }, {
    signal: controller.signal,
    onProgress: (_, stage) => { stages.push(stage); if (stage === 'analyse') controller.abort(); },
  }), { name: 'AbortError' });
  assert.deepEqual(stages, ['resize', 'upsample', 'analyse']);
});

test('model normals and confidence: thin axes follow the given normals, opacity follows confidence', () => {
  const depth = sampleDepth(K, MODEL_W, MODEL_H, () => 3);
  // Normals that disagree with the depth (a bumpy surface the depth map is too coarse to show), and
  // one pointing away from the camera, which must be turned to face it.
  const given: Vec3 = [0.3, -0.2, Math.sqrt(1 - 0.13)];
  const normals = { width: MODEL_W, height: MODEL_H, data: new Float32Array(3 * MODEL_W * MODEL_H) };
  for (let i = 0; i < MODEL_W * MODEL_H; i++) normals.data.set(i < MODEL_W ? given.map((c) => -c) : given, 3 * i);
  const confidence = sampleDepth(K, MODEL_W, MODEL_H, (u) => (u < W / 2 ? 0.2 : 0.9));
  const cloud = liftToSplats({ image: grey, depth, normals, confidence, intrinsics: K, pose: Pose.identity() });
  for (const i of [W * 0 + 5, W * 40 + 20, W * 80 + 100]) {
    assert.ok(angleDegrees(normalOf(cloud, i), given) < 0.01, `splat ${i}: thin axis ${normalOf(cloud, i)}`);
  }
  // Opacity = 0.99 * min(1, confidence / 0.5): 0.2 -> 0.396, 0.9 -> 0.99 (away from the switch).
  assert.ok(Math.abs(cloud.opacities[W * 40 + 10] - 0.99 * 0.4) < 1e-3, `low confidence opacity ${cloud.opacities[W * 40 + 10]}`);
  assert.ok(Math.abs(cloud.opacities[W * 40 + 120] - 0.99) < 1e-6);
});
