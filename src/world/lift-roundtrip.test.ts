/**
 * The goal: the photo must come back. A textured picture with known depth (a sphere in front
 * of a tilted wall, the model's depth at half resolution) is lifted, rendered from the photo's own
 * pose with the reference rasterizer, and compared with the picture.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import type { Vec3 } from '../core/vec3.ts';
import { renderSplats } from '../render/rasterizer.ts';
import { planeDepth, rayAt, sampleDepth, sphereDepth, texturedPicture } from './analytic-scenes.ts';
import { applyWeights, inputViewWeights } from './input-view-colours.ts';
import { liftToSplats } from './lift.ts';
import { psnr, ssim } from './metrics.ts';

const W = 192, H = 144;
const K = intrinsicsFromFov(W, H, 60);
const photo = texturedPicture(W, H);
const target = Float32Array.from(photo.data, (v) => v / 255);

// The picture's red disc (centre (0.3 W, 0.5 H), radius 0.2 H) is a sphere 4 m away; the rest a wall.
const discRay = rayAt(K, 0.3 * W, 0.5 * H);
const sphereCentre = discRay.map((c) => (c * 4) / Math.hypot(...discRay)) as Vec3;
const sphereRadius = 4 * Math.sin(Math.atan((0.2 * H) / K.fy));
const wallNormal: Vec3 = [-0.25, 0.1, Math.sqrt(1 - 0.0725)];
const depth = sampleDepth(K, W / 2, H / 2, (u, v) => {
  const r = rayAt(K, u, v);
  return Math.min(sphereDepth(sphereCentre, sphereRadius, r), planeDepth(wallNormal, 7, r));
});
const pose = Pose.lookAt([0.5, 1.6, 2], [0.3, 1.5, -3]); // any pose: the photo's camera

test('round trip: the lifted photo rendered from its own pose gives the photo back (PSNR >= 30 dB)', () => {
  const cloud = liftToSplats({ image: photo, depth, intrinsics: K, pose });
  const render = renderSplats(cloud, pose, K);
  const p = psnr(render.color, target), s = ssim(render.color, target, W, H, 3);
  console.log(`round trip ${W}x${H}: PSNR ${p.toFixed(2)} dB, SSIM ${s.toFixed(4)}`);
  assert.ok(p >= 30, `PSNR ${p} dB`);
  assert.ok(s >= 0.9, `SSIM ${s}`);
  for (let i = 0; i < W * H; i++) assert.ok(render.alpha[i] > 0.98, `pixel ${i} alpha ${render.alpha[i]}`);
});

test('round trip with input-view colours: sharper, and the colour model predicts the rasterizer', () => {
  const plain = liftToSplats({ image: photo, depth, intrinsics: K, pose });
  const adjusted = liftToSplats({ image: photo, depth, intrinsics: K, pose }, { colourIterations: 4 });
  const before = psnr(renderSplats(plain, pose, K).color, target);
  const render = renderSplats(adjusted, pose, K);
  const after = psnr(render.color, target), s = ssim(render.color, target, W, H, 3);
  console.log(`round trip with 4 colour steps: PSNR ${after.toFixed(2)} dB (plain ${before.toFixed(2)}), SSIM ${s.toFixed(4)}`);
  assert.ok(after > before + 3, `adjusted colours give ${after} dB, plain ${before} dB`);
  // The linear model W the adjustment inverts, applied to the adjusted colours, against the rasterizer.
  const keys = new Float32Array(adjusted.count);
  const w = pose.cameraFromWorld;
  for (let i = 0; i < keys.length; i++) {
    const p = adjusted.positions;
    keys[i] = -w[6] * (p[3 * i] - pose.position[0]) - w[7] * (p[3 * i + 1] - pose.position[1]) - w[8] * (p[3 * i + 2] - pose.position[2]);
  }
  const sigmaClass = Uint8Array.from(adjusted.scales.filter((_, j) => j % 3 === 0), (_, i) => {
    const across = Math.max(adjusted.scales[3 * i], adjusted.scales[3 * i + 1]);
    const d = keys[i];
    return across < 0.5 * 0.65 * (d / K.fy) ? 1 : 0; // the shrunk splats beside depth jumps
  });
  const weights = inputViewWeights({ width: W, height: H, sortKey: keys, sigmaClass, sigmas: [0.65, 0.35], opacity: adjusted.opacities });
  const predicted = new Float32Array(3 * W * H);
  applyWeights(weights, adjusted.colors, predicted);
  const agreement = psnr(predicted, render.color);
  assert.ok(agreement > 40, `model and rasterizer agree to ${agreement} dB only`);
});
