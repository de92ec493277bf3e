import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint, unprojectPixel, verticalFovDegrees } from './camera.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test('a camera at the origin looking down -Z sees +X right and +Y up', () => {
  const pose = Pose.lookAt([0, 0, 0], [0, 0, -5]);
  const k = intrinsicsFromFov(640, 480, 90); // f = 240 px
  close(k.fy, 240);
  const right = projectCameraPoint(k, pose.worldToCamera([1, 0, -5]));
  close(right.u, 320 + 240 / 5);
  close(right.v, 240);
  close(right.depth, 5);
  const up = projectCameraPoint(k, pose.worldToCamera([0, 1, -5]));
  assert.ok(up.v < 240, 'a point above the axis lands in the upper half');
});

test('lookAt from the side: the target projects to the image centre, up stays up', () => {
  const pose = Pose.lookAt([3, 2, 1], [-1, 0.5, -4]);
  const k = intrinsicsFromFov(100, 80, 50);
  const c = projectCameraPoint(k, pose.worldToCamera([-1, 0.5, -4]));
  close(c.u, 50, 1e-9);
  close(c.v, 40, 1e-9);
  const above = projectCameraPoint(k, pose.worldToCamera([-1, 1.5, -4]));
  assert.ok(above.v < 40);
  close(verticalFovDegrees(k), 50, 1e-9);
});

test('unproject inverts project, and camera/world transforms invert each other', () => {
  const k = intrinsicsFromFov(64, 48, 70);
  const p = unprojectPixel(k, 10.25, 33.5, 7);
  const back = projectCameraPoint(k, p);
  close(back.u, 10.25);
  close(back.v, 33.5);
  close(back.depth, 7);
  const pose = Pose.lookAt([1, 2, 3], [0, 0, 0], [0, 1, 0]);
  const w = pose.cameraToWorld([0.3, -0.2, -4]);
  const c = pose.worldToCamera(w);
  close(c[0], 0.3, 1e-12);
  close(c[1], -0.2, 1e-12);
  close(c[2], -4, 1e-12);
});

test('bad camera input is rejected with what was expected and found', () => {
  assert.throws(() => intrinsicsFromFov(0, 10, 60), /expected a positive integer image size, found 0x10/);
  assert.throws(() => intrinsicsFromFov(10, 10, 180), /between 0 and 180 degrees, found 180/);
  assert.throws(() => Pose.lookAt([0, 0, 0], [0, 0, 0]), /target to differ/);
  assert.throws(() => Pose.lookAt([0, 0, 0], [0, 5, 0], [0, 1, 0]), /not parallel/);
});
