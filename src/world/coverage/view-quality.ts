/**
 * How well a remembered frame saw a surface point: whether it saw the point at all (the point lies
 * on the surface the frame's stored depth shows there, not behind it nor in the free space before
 * it), and if so, how fine its pixels were there and how obliquely it looked.
 */
import { storedIntrinsics } from '../memory/frame.ts';
import type { MemoryFrame } from '../memory/frame.ts';

/** Relative depth tolerance of "on the surface the frame saw": stored depth is point-sampled at thumbnail resolution. */
const SURFACE_TOLERANCE = 0.05;

export interface FrameView {
  /** world -> frame camera, eye, stored picture intrinsics, generated focal length */
  frame: MemoryFrame;
  r: readonly number[];
  eye: readonly number[];
  fx: number; fy: number; cx: number; cy: number;
  focal: number;
}

export function frameView(frame: MemoryFrame): FrameView {
  const k = storedIntrinsics(frame);
  return { frame, r: frame.pose.cameraFromWorld, eye: frame.pose.position, fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy, focal: Math.sqrt(frame.intrinsics.fx * frame.intrinsics.fy) };
}

/**
 * Where world point (x, y, z) falls in the frame's stored picture, written into `out` (reused: this runs
 * per pixel per frame): [u, v] its pixel coordinates (right, down), [2] its depth along the frame's
 * axis. False where it is not more than `minDepth` in front of the frame's eye, or outside its picture.
 */
export function projectIntoFrame(view: FrameView, x: number, y: number, z: number, minDepth: number, out: Float64Array): boolean {
  const { r, eye, frame } = view;
  const dx = x - eye[0], dy = y - eye[1], dz = z - eye[2];
  const depth = -(r[6] * dx + r[7] * dy + r[8] * dz);
  if (!(depth > minDepth)) return false;
  const u = view.cx + (view.fx * (r[0] * dx + r[1] * dy + r[2] * dz)) / depth;
  const v = view.cy - (view.fy * (r[3] * dx + r[4] * dy + r[5] * dz)) / depth;
  if (!(u >= 0 && u < frame.width && v >= 0 && v < frame.height)) return false;
  out[0] = u;
  out[1] = v;
  out[2] = depth;
  return true;
}

const projected = new Float64Array(3);

export interface Sighting {
  /** metres per pixel of the frame at the point (frontal), at the resolution it was generated */
  footprint: number;
  /** |cos| of the angle between the frame's ray to the point and the surface normal */
  cosIncidence: number;
}

/**
 * The frame's sighting of world point x with unit world normal n, written into `out` (reused: this
 * runs per pixel per frame); false when the frame did not see the point. Visibility: the point's depth must lie within the stored depths of the 2 x 2 pixels
 * around its projection (widened by 5%), so a sloped surface between pixel centres still counts.
 */
export function sighting(view: FrameView, x: number, y: number, z: number, nx: number, ny: number, nz: number, out: Sighting): boolean {
  if (!projectIntoFrame(view, x, y, z, 0, projected)) return false;
  const u = projected[0], v = projected[1], depth = projected[2];
  const { eye, frame } = view;
  const w = frame.width, h = frame.height;
  // The 2 x 2 pixel centres around (u, v), clamped at the border.
  const x0 = Math.max(0, Math.min(w - 1, Math.floor(u - 0.5))), x1 = Math.min(w - 1, x0 + 1);
  const y0 = Math.max(0, Math.min(h - 1, Math.floor(v - 0.5))), y1 = Math.min(h - 1, y0 + 1);
  const stored = frame.depth;
  const d00 = stored[y0 * w + x0], d01 = stored[y0 * w + x1], d10 = stored[y1 * w + x0], d11 = stored[y1 * w + x1];
  // 0 is sky: the frame saw through there, so it bounds nothing (Infinity for lo, 0 for hi).
  const lo = Math.min(d00 || Infinity, d01 || Infinity, d10 || Infinity, d11 || Infinity);
  const hi = Math.max(d00, d01, d10, d11);
  if (!(depth >= lo * (1 - SURFACE_TOLERANCE) && depth <= hi * (1 + SURFACE_TOLERANCE))) return false;
  const dx = x - eye[0], dy = y - eye[1], dz = z - eye[2];
  const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
  out.footprint = depth / view.focal;
  out.cosIncidence = Math.abs(dx * nx + dy * ny + dz * nz) / distance;
  return true;
}
