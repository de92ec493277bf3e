/**
 * Cameras: where they are (Pose) and how they form an image (Intrinsics).
 *
 * THE COORDINATE CONVENTION OF THE WHOLE PROGRAM (stated here and nowhere else):
 *   - world: right-handed, metres, +Y up (as three.js);
 *   - camera: +X right, +Y up, the camera looks down -Z; "depth" is the distance along the view
 *     axis, i.e. -z in camera coordinates, positive in front of the camera;
 *   - image: pixel (0, 0) is the top-left corner, u grows right, v grows down; pixel (i, j) covers
 *     [i, i+1) x [j, j+1) so its centre is (i + 0.5, j + 0.5);
 *   - field of view: vertical, in degrees (as three.js PerspectiveCamera.fov).
 * File formats that use another convention (OpenCV/COLMAP for 3DGS PLY: x right, y down, z forward)
 * are converted in `src/io`, never here.
 */
import { type Mat3, apply3, transpose3 } from './mat3.ts';
import { type Quat, normalizeQuat, quatFromMat3, quatToMat3 } from './quat.ts';
import { type Vec3, cross, normalize, sub, length } from './vec3.ts';

/** Pinhole intrinsics in pixels. */
export interface Intrinsics {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/** Square-pixel intrinsics from a vertical field of view in degrees, principal point at the centre. */
export function intrinsicsFromFov(width: number, height: number, fovYDegrees: number): Intrinsics {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`camera: expected a positive integer image size, found ${width}x${height}`);
  }
  if (!(fovYDegrees > 0 && fovYDegrees < 180)) {
    throw new Error(`camera: expected a vertical field of view between 0 and 180 degrees, found ${fovYDegrees}`);
  }
  const f = height / 2 / Math.tan((fovYDegrees * Math.PI) / 360);
  return { width, height, fx: f, fy: f, cx: width / 2, cy: height / 2 };
}

export const verticalFovDegrees = (k: Intrinsics): number => (360 / Math.PI) * Math.atan(k.height / 2 / k.fy);

/**
 * The same camera's intrinsics for its picture resized to width x height: continuous pixel coordinates
 * scale by the size ratio, so pixel centres stay centres and the field of view is kept.
 */
export function scaleIntrinsics(k: Intrinsics, width: number, height: number): Intrinsics {
  const sx = width / k.width, sy = height / k.height;
  return { width, height, fx: k.fx * sx, fy: k.fy * sy, cx: k.cx * sx, cy: k.cy * sy };
}

/**
 * A rigid camera pose: `rotation` takes camera axes to world axes (camera-to-world), `position` is
 * the eye in world coordinates.
 */
export class Pose {
  readonly position: Vec3;
  readonly rotation: Quat;
  /** world-from-camera rotation matrix, and its transpose (camera-from-world), cached. */
  readonly worldFromCamera: Mat3;
  readonly cameraFromWorld: Mat3;

  constructor(position: Vec3, rotation: Quat) {
    if (!position.every(Number.isFinite)) throw new Error(`pose: expected a finite position, found (${position.join(', ')})`);
    this.position = [...position];
    this.rotation = normalizeQuat(rotation);
    this.worldFromCamera = quatToMat3(this.rotation);
    this.cameraFromWorld = transpose3(this.worldFromCamera);
  }

  static identity(): Pose {
    return new Pose([0, 0, 0], [1, 0, 0, 0]);
  }

  /** A camera at `eye` looking at `target`, with `up` as close to the image's up as it can be. */
  static lookAt(eye: Vec3, target: Vec3, up: Vec3 = [0, 1, 0]): Pose {
    const forward = sub(target, eye);
    if (!(length(forward) > 0)) throw new Error(`pose: expected the target to differ from the eye, both are (${eye.join(', ')})`);
    const back = normalize(forward).map((v) => -v) as Vec3; // camera +Z points away from the target
    const rightRaw = cross(up, back);
    if (!(length(rightRaw) > 1e-9)) {
      throw new Error(`pose: expected an up vector not parallel to the view direction, found up (${up.join(', ')})`);
    }
    const right = normalize(rightRaw);
    const trueUp = cross(back, right);
    // Columns of world-from-camera are the camera axes expressed in world coordinates.
    const m: Mat3 = [right[0], trueUp[0], back[0], right[1], trueUp[1], back[1], right[2], trueUp[2], back[2]];
    return new Pose(eye, quatFromMat3(m));
  }

  /** Direction the camera looks, in world coordinates (its -Z axis). */
  forward(): Vec3 {
    const m = this.worldFromCamera;
    return [-m[2], -m[5], -m[8]];
  }

  worldToCamera(p: Vec3): Vec3 {
    return apply3(this.cameraFromWorld, sub(p, this.position));
  }

  cameraToWorld(p: Vec3): Vec3 {
    const r = apply3(this.worldFromCamera, p);
    return [r[0] + this.position[0], r[1] + this.position[1], r[2] + this.position[2]];
  }
}

/** Pixel coordinates (continuous, see the convention above) and depth of a camera-space point. */
export function projectCameraPoint(k: Intrinsics, p: Vec3): { u: number; v: number; depth: number } {
  const depth = -p[2];
  return { u: k.cx + (k.fx * p[0]) / depth, v: k.cy - (k.fy * p[1]) / depth, depth };
}

/** Camera-space point seen at pixel (u, v) at the given depth (inverse of projectCameraPoint). */
export function unprojectPixel(k: Intrinsics, u: number, v: number, depth: number): Vec3 {
  return [((u - k.cx) / k.fx) * depth, (-(v - k.cy) / k.fy) * depth, -depth];
}
