/**
 * Which remembered views' splats still form the lift's pixel grid (lift.ts: splat i of a view is pixel
 * (i % width, floor(i / width)) of its working-size picture), so that neighbouring pixels' splats can
 * be found by index (merge-blocks.ts). A generated photo's view does; an expansion's fill does not
 * (it lifts only its hole pixels, in pixel order, and the memory does not keep which).
 *
 * Nothing in a frame records its lift's size, so it is inferred from the splat count and the view's
 * aspect, then checked: sampled splats must project, through the frame's own camera, into the very
 * pixel their index names. A fill whose count happens to factor at the right aspect fails that check.
 */
import { type Intrinsics, type Pose, scaleIntrinsics } from '../../core/camera.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import type { MemoryFrame } from '../memory/frame.ts';

export interface LiftGrid {
  /** first splat of the grid in the cloud, and the grid's size: splatStart + y * width + x is pixel (x, y) */
  splatStart: number;
  width: number;
  height: number;
  /** the frame's camera and its intrinsics at the grid's size */
  pose: Pose;
  intrinsics: Intrinsics;
}

/** Splats checked per frame: enough that a fill passing by chance is out of the question, cheap at any size. */
const CHECKED_SPLATS = 97;
/** How far (pixels) a checked splat's projection may lie from its pixel's centre (float32 positions at 200 m: ~1e-4 px). */
const PIXEL_TOLERANCE = 0.01;

/** The frame's lift grid, or null where its splats are not one splat per pixel of a picture of its aspect. */
export function liftGridOf(frame: MemoryFrame, cloud: SplatCloud): LiftGrid | null {
  const { splatStart, splatCount, pose } = frame;
  const k = frame.intrinsics;
  if (splatCount < 4 || splatStart + splatCount > cloud.count) return null;
  // count = w h with w / h = k.width / k.height, up to rounding of the working size (lift.ts shrinkPhoto).
  const aspect = k.width / k.height;
  const around = Math.round(Math.sqrt(splatCount / aspect));
  let grid: { width: number; height: number } | null = null;
  for (let height = Math.max(1, around - 2); height <= around + 2 && !grid; height++) {
    const width = splatCount / height;
    if (Number.isInteger(width) && Math.abs(width / height - aspect) <= 1.5 / height) grid = { width, height };
  }
  if (!grid) return null;
  const intrinsics = scaleIntrinsics(k, grid.width, grid.height);
  const w = pose.cameraFromWorld, [ex, ey, ez] = pose.position, p = cloud.positions;
  for (let n = 0; n < CHECKED_SPLATS; n++) {
    // Spread over the whole grid, first and last splats included.
    const i = Math.round((n * (splatCount - 1)) / (CHECKED_SPLATS - 1));
    const x = i % grid.width, y = (i - x) / grid.width;
    const q = 3 * (splatStart + i);
    const dx = p[q] - ex, dy = p[q + 1] - ey, dz = p[q + 2] - ez;
    const cx = w[0] * dx + w[1] * dy + w[2] * dz, cy = w[3] * dx + w[4] * dy + w[5] * dz, d = -(w[6] * dx + w[7] * dy + w[8] * dz);
    if (!(d > 0)) return null;
    const u = intrinsics.cx + (intrinsics.fx * cx) / d, v = intrinsics.cy - (intrinsics.fy * cy) / d;
    if (!(Math.abs(u - (x + 0.5)) <= PIXEL_TOLERANCE && Math.abs(v - (y + 0.5)) <= PIXEL_TOLERANCE)) return null;
  }
  return { splatStart, width: grid.width, height: grid.height, pose, intrinsics };
}
