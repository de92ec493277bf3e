import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicsFromFov, projectCameraPoint } from '../../core/camera.ts';
import { randomCloud } from '../../core/random.ts';
import { startViewForCloud } from './start-view.ts';
import { poseFromView } from './view-state.ts';

test('the start view sees the whole bulk of a world, centred', () => {
  const cloud = randomCloud(5000, 3, 0, 2).transform({ translation: [10, -3, 7] });
  const view = startViewForCloud(cloud, 60, 16 / 9);
  const pose = poseFromView(view);
  const k = intrinsicsFromFov(160, 90, 60);
  const centre = projectCameraPoint(k, pose.worldToCamera([10, -3, 7]));
  assert.ok(Math.abs(centre.u - 80) < 3 && Math.abs(centre.v - 45) < 3, `centre at ${centre.u}, ${centre.v}`);
  let inside = 0;
  for (let i = 0; i < cloud.count; i++) {
    const p = projectCameraPoint(k, pose.worldToCamera([cloud.positions[3 * i], cloud.positions[3 * i + 1], cloud.positions[3 * i + 2]]));
    if (p.depth > 0 && p.u >= 0 && p.u < 160 && p.v >= 0 && p.v < 90) inside++;
  }
  assert.ok(inside / cloud.count > 0.9, `${inside} of ${cloud.count} in view`);
});
