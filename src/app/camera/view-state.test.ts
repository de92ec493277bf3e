import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint } from '../../core/camera.ts';
import { forwardOf, poseFromView, rightOf, viewFromPose } from './view-state.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);
const round = (v: number[]) => v.map((x) => Math.round(x * 1e9) / 1e9 + 0); // +0 turns -0 into 0

test('yaw 0, pitch 0 is the identity pose: looks down -Z with +Y up', () => {
  const pose = poseFromView({ position: [1, 2, 3], yaw: 0, pitch: 0, fovDeg: 60 });
  assert.deepEqual(round(pose.forward()), [0, 0, -1]);
  assert.deepEqual(pose.position, [1, 2, 3]);
});

test('positive yaw turns left (toward -X), positive pitch looks up, as Pose.lookAt agrees', () => {
  const yaw = Math.PI / 2, pitch = Math.PI / 6;
  const pose = poseFromView({ position: [0, 0, 0], yaw, pitch, fovDeg: 60 });
  const f = pose.forward();
  close(f[0], -Math.cos(pitch));
  close(f[1], Math.sin(pitch));
  close(f[2], 0);
  // Independent check: lookAt toward the same direction gives the same rotation (up to sign).
  const reference = Pose.lookAt([0, 0, 0], forwardOf(yaw, pitch));
  const dot = pose.rotation.reduce((s, v, i) => s + v * reference.rotation[i], 0);
  close(Math.abs(dot), 1, 1e-9);
  // The right axis stays horizontal.
  assert.deepEqual(round(rightOf(yaw)), [0, 0, -1]);
});

test('a point ahead and to the right projects right of centre and above when it is higher', () => {
  const pose = poseFromView({ position: [0, 1, 0], yaw: 0.3, pitch: -0.2, fovDeg: 50 });
  const k = intrinsicsFromFov(200, 100, 50);
  const ahead = projectCameraPoint(k, pose.worldToCamera([-Math.sin(0.3) * 5, 1 + Math.sin(-0.2) * 5 / Math.cos(0.2), -Math.cos(0.3) * 5]));
  close(ahead.u, 100, 1e-6);
  close(ahead.v, 50, 1e-6);
});

test('viewFromPose inverts poseFromView, also when looking straight down', () => {
  for (const [yaw, pitch] of [[0.7, -0.4], [-2.9, 1.2], [3.0, 0]]) {
    const back = viewFromPose(poseFromView({ position: [4, 5, 6], yaw, pitch, fovDeg: 70 }), 70);
    close(back.yaw, yaw, 1e-9);
    close(back.pitch, pitch, 1e-9);
  }
  const down = viewFromPose(Pose.lookAt([0, 5, 0], [0, 0, 0], [-1, 0, 0]), 60);
  close(down.yaw, Math.PI / 2, 1e-9);
  assert.ok(down.pitch < -1.5);
});
