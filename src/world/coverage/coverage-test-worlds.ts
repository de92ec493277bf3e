/**
 * Analytic worlds for the coverage tests: rectangles of flat splats on a plane, and the exact depth
 * a camera sees of such a plane (0 = nothing there), so frames can be remembered without lift.
 */
import { type Intrinsics, Pose } from '../../core/camera.ts';
import type { Quat } from '../../core/quat.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import { type Vec3, dot } from '../../core/vec3.ts';
import type { FrameInput } from '../memory/posed-frame-memory.ts';

export interface Rectangle {
  /** a corner, and the two edge vectors from it (their cross product is the normal) */
  origin: Vec3;
  edgeU: Vec3;
  edgeV: Vec3;
  /** splat rotation whose local +Z is the plane's normal */
  rotation: Quat;
}

/** Splats on a grid of `spacing` metres over the rectangle, std 0.65 spacing, flat, opaque, grey. */
export function rectangleSplats(rect: Rectangle, spacing: number): SplatCloud {
  const lenU = Math.hypot(...rect.edgeU), lenV = Math.hypot(...rect.edgeV);
  const nu = Math.round(lenU / spacing) + 1, nv = Math.round(lenV / spacing) + 1;
  const cloud = SplatCloud.create(nu * nv);
  for (let b = 0, i = 0; b < nv; b++) {
    for (let a = 0; a < nu; a++, i++) {
      for (let ax = 0; ax < 3; ax++) cloud.positions[3 * i + ax] = rect.origin[ax] + (a / (nu - 1)) * rect.edgeU[ax] + (b / (nv - 1)) * rect.edgeV[ax];
      cloud.scales.set([0.65 * spacing, 0.65 * spacing, 0.05 * spacing], 3 * i);
      cloud.rotations.set(rect.rotation, 4 * i);
      cloud.colors.set([0.5, 0.5, 0.5], 3 * i);
    }
  }
  return cloud;
}

/** Exact depth (along the view axis) at each pixel centre of a w x h picture where the ray meets the rectangle; 0 elsewhere. */
export function rectangleDepth(rect: Rectangle, pose: Pose, k: Intrinsics, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const normal: Vec3 = [
    rect.edgeU[1] * rect.edgeV[2] - rect.edgeU[2] * rect.edgeV[1],
    rect.edgeU[2] * rect.edgeV[0] - rect.edgeU[0] * rect.edgeV[2],
    rect.edgeU[0] * rect.edgeV[1] - rect.edgeU[1] * rect.edgeV[0],
  ];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = ((x + 0.5) * k.width) / w, v = ((y + 0.5) * k.height) / h;
      const dir = pose.cameraToWorld([(u - k.cx) / k.fx, -(v - k.cy) / k.fy, -1]).map((c, i) => c - pose.position[i]) as Vec3;
      const t = dot(normal, rect.origin.map((c, i) => c - pose.position[i]) as Vec3) / dot(normal, dir); // depth, as dir has unit depth
      if (!(t > 0 && t < Infinity)) continue;
      const hit = dir.map((c, i) => pose.position[i] + t * c - rect.origin[i]) as Vec3;
      const a = dot(hit, rect.edgeU) / dot(rect.edgeU, rect.edgeU), b = dot(hit, rect.edgeV) / dot(rect.edgeV, rect.edgeV);
      if (a >= 0 && a <= 1 && b >= 0 && b <= 1) out[y * w + x] = t;
    }
  }
  return out;
}

/** A remembered view of the rectangle: a uniform grey picture of k's size, exact depth at 64 x 48. */
export function viewOf(rect: Rectangle, pose: Pose, k: Intrinsics): FrameInput {
  return {
    pose,
    intrinsics: k,
    image: { width: k.width, height: k.height, data: new Uint8Array(k.width * k.height * 3).fill(128) },
    depth: { width: 64, height: 48, data: rectangleDepth(rect, pose, k, 64, 48) },
  };
}
