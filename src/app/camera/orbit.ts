/**
 * Orbit mode: the camera circles a target point at a distance, looking at it. It shares the yaw/pitch
 * of ViewState so switching between fly and orbit never makes the view jump.
 */
import { add, length, scale, sub, type Vec3 } from '../../core/vec3.ts';
import { type ViewState, clampPitch, forwardOf } from './view-state.ts';

export const MIN_ORBIT_DISTANCE = 0.05;

/** The point `distance` in front of the camera: where orbiting starts when the mode is switched on. */
export function orbitTargetAhead(view: ViewState, distance: number): Vec3 {
  return add(view.position, scale(forwardOf(view.yaw, view.pitch), distance));
}

/** The camera position that looks at `target` from `distance` with the view's yaw and pitch. */
export function orbitPosition(target: Vec3, yaw: number, pitch: number, distance: number): Vec3 {
  return sub(target, scale(forwardOf(yaw, pitch), distance));
}

/** Dragging turns the camera around the target: drag right moves the camera left around it. */
export function orbitRotate(view: ViewState, target: Vec3, dxPixels: number, dyPixels: number, radiansPerPixel: number): ViewState {
  const distance = Math.max(MIN_ORBIT_DISTANCE, length(sub(target, view.position)));
  const yaw = view.yaw - dxPixels * radiansPerPixel;
  const pitch = clampPitch(view.pitch - dyPixels * radiansPerPixel);
  return { ...view, yaw, pitch, position: orbitPosition(target, yaw, pitch, distance) };
}

/** The wheel moves the camera toward (deltaY < 0) or away from the target, geometrically. */
export function orbitZoom(view: ViewState, target: Vec3, deltaY: number): ViewState {
  const distance = Math.max(MIN_ORBIT_DISTANCE, length(sub(target, view.position)) * 2 ** (deltaY / 500));
  return { ...view, position: orbitPosition(target, view.yaw, view.pitch, distance) };
}
