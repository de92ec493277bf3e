/**
 * Free-flight camera motion as pure functions of (view, input, time step), so the feel of the
 * controls can be tested without a browser. The DOM wiring (input/camera-controls.ts) only turns
 * events into these inputs.
 */
import { add, scale, type Vec3 } from '../../core/vec3.ts';
import { type ViewState, clampPitch, forwardOf, rightOf } from './view-state.ts';

/** Held movement keys as axes in -1..1: forward (W/S), right (D/A), up (Space,E / C,Q). */
export interface MoveInput {
  forward: number;
  right: number;
  up: number;
  fast: boolean;
}

/** Shift multiplies the speed by this. */
export const FAST_FACTOR = 4;
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;

/**
 * World-space displacement for the held keys: forward follows the view direction (so looking down
 * and pressing W descends, as in every fly-through viewer), right stays horizontal, up is world +Y.
 * Diagonals are normalised so that W+D is not faster than W.
 */
export function moveDelta(view: ViewState, input: MoveInput, speed: number, dt: number): Vec3 {
  const f = forwardOf(view.yaw, view.pitch);
  const r = rightOf(view.yaw);
  let d: Vec3 = add(add(scale(f, input.forward), scale(r, input.right)), [0, input.up, 0]);
  const len = Math.hypot(d[0], d[1], d[2]);
  if (len === 0) return [0, 0, 0];
  if (len > 1) d = scale(d, 1 / len);
  return scale(d, speed * (input.fast ? FAST_FACTOR : 1) * dt);
}

export function flyStep(view: ViewState, input: MoveInput, speed: number, dt: number): ViewState {
  return { ...view, position: add(view.position, moveDelta(view, input, speed, dt)) };
}

/**
 * Mouse/touch look: moving the pointer right turns right, moving it up looks up.
 * `radiansPerPixel` sets the sensitivity.
 */
export function look(view: ViewState, dxPixels: number, dyPixels: number, radiansPerPixel: number): ViewState {
  return { ...view, yaw: view.yaw - dxPixels * radiansPerPixel, pitch: clampPitch(view.pitch - dyPixels * radiansPerPixel) };
}

/** The wheel scales speed geometrically: one notch (deltaY 100) away from the user slows by ~13%. */
export function speedAfterWheel(speed: number, deltaY: number): number {
  return Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed * 2 ** (-deltaY / 500)));
}
