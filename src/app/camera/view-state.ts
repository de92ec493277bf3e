/**
 * The viewer's camera as a free-flying person holds it: an eye position, a heading (yaw) and a tilt
 * (pitch), no roll, and a vertical field of view. Yaw/pitch rather than a quaternion because mouse
 * look and touch look are naturally two angles, and clamping the pitch keeps "up" up.
 *
 * Angles are radians. yaw = 0, pitch = 0 looks down -Z (the program's convention, core/camera.ts);
 * positive yaw turns left (counter-clockwise seen from above, about +Y); positive pitch looks up.
 */
import { Pose } from '../../core/camera.ts';
import { multiplyQuat, quatFromAxisAngle } from '../../core/quat.ts';
import type { Vec3 } from '../../core/vec3.ts';

export interface ViewState {
  position: Vec3;
  yaw: number;
  pitch: number;
  fovDeg: number;
}

/** Looking straight up or down makes yaw meaningless; stop just short of it. */
export const MAX_PITCH = (89 * Math.PI) / 180;

export const clampPitch = (pitch: number): number => Math.max(-MAX_PITCH, Math.min(MAX_PITCH, pitch));

/** Unit vector the camera looks along. */
export function forwardOf(yaw: number, pitch: number): Vec3 {
  const c = Math.cos(pitch);
  return [-Math.sin(yaw) * c, Math.sin(pitch), -Math.cos(yaw) * c];
}

/** Unit vector to the camera's right, always horizontal (no roll). */
export function rightOf(yaw: number): Vec3 {
  return [Math.cos(yaw), 0, -Math.sin(yaw)];
}

/** Camera-to-world rotation: turn about world +Y by yaw after tilting about camera +X by pitch. */
export function poseFromView(view: ViewState): Pose {
  const q = multiplyQuat(quatFromAxisAngle([0, 1, 0], view.yaw), quatFromAxisAngle([1, 0, 0], view.pitch));
  return new Pose(view.position, q);
}

/** The yaw/pitch of a pose's viewing direction; any roll in the pose is dropped. */
export function viewFromPose(pose: Pose, fovDeg: number): ViewState {
  const [fx, fy, fz] = pose.forward();
  const pitch = clampPitch(Math.asin(Math.max(-1, Math.min(1, fy))));
  // Straight up or down the forward vector has no heading; the right axis (first column) still does.
  const m = pose.worldFromCamera;
  const yaw = Math.hypot(fx, fz) > 1e-9 ? Math.atan2(-fx, -fz) : Math.atan2(-m[6], m[0]);
  return { position: [...pose.position], yaw, pitch, fovDeg };
}
