import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAST_FACTOR, flyStep, look, moveDelta, speedAfterWheel } from './fly.ts';
import { orbitRotate, orbitTargetAhead, orbitZoom } from './orbit.ts';
import type { ViewState } from './view-state.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);
const still = { forward: 0, right: 0, up: 0, fast: false };
const start: ViewState = { position: [0, 1, 0], yaw: 0, pitch: 0, fovDeg: 60 };

test('W for one second at 2 m/s moves 2 m down -Z; Shift multiplies; D goes +X; Space goes up', () => {
  assert.deepEqual(flyStep(start, { ...still, forward: 1 }, 2, 1).position, [0, 1, -2]);
  close(flyStep(start, { ...still, forward: 1, fast: true }, 2, 1).position[2], -2 * FAST_FACTOR);
  const right = moveDelta(start, { ...still, right: 1 }, 1, 1);
  close(right[0], 1);
  close(right[2], 0);
  assert.deepEqual(moveDelta(start, { ...still, up: 1 }, 1, 0.5), [0, 0.5, 0]);
});

test('diagonal movement is no faster than straight movement', () => {
  const d = moveDelta({ ...start, yaw: 1 }, { forward: 1, right: 1, up: 0, fast: false }, 3, 1);
  close(Math.hypot(...d), 3);
});

test('moving the mouse right turns right; pitch is clamped short of vertical', () => {
  const turned = look(start, 100, 0, 0.002);
  assert.ok(turned.yaw < 0);
  const d = moveDelta(turned, { ...still, forward: 1 }, 1, 1);
  assert.ok(d[0] > 0, 'after turning right, forward has a +X component');
  assert.ok(look(start, 0, -1e6, 0.01).pitch < Math.PI / 2);
});

test('wheel toward the user speeds up, away slows down, within limits', () => {
  assert.ok(speedAfterWheel(1, -100) > 1);
  assert.ok(speedAfterWheel(1, 100) < 1);
  assert.equal(speedAfterWheel(1, 1e9), 0.01);
});

test('orbiting keeps the distance to the target and keeps looking at it', () => {
  const target = orbitTargetAhead(start, 4);
  assert.deepEqual(target, [0, 1, -4]);
  const moved = orbitRotate(start, target, 300, -50, 0.005);
  const dist = Math.hypot(...moved.position.map((v, i) => v - target[i]));
  close(dist, 4, 1e-9);
  const ahead = orbitTargetAhead(moved, 4);
  ahead.forEach((v, i) => close(v, target[i], 1e-9));
  const zoomed = orbitZoom(moved, target, -500);
  close(Math.hypot(...zoomed.position.map((v, i) => v - target[i])), 2, 1e-9);
});
