/**
 * How well one view's depth, carried into another view through the two poses, matches that view's own
 * depth. With exact depth and exact poses the two agree wherever the surface is seen by both; a wrong
 * pose or a wrong convention (rotation inverted, image upside down, ...) shows as disagreement. Used to
 * prove the view-set convention and to check depth maps against known geometry.
 */
import { type Intrinsics, type Pose, projectCameraPoint, unprojectPixel } from '../../core/camera.ts';
import type { FloatField } from '../../core/image.ts';

export interface DepthView {
  pose: Pose;
  intrinsics: Intrinsics;
  /** metres along the view axis, 0 = nothing (sky) */
  depth: FloatField;
}

export interface DepthAgreement {
  /** pixels of A with depth that land inside B, in front of it */
  landed: number;
  /** of those, the ones where B's depth is smooth around the landing point (no edge, no sky): compared */
  compared: number;
  /** compared pixels whose depth in B agrees with the carried depth within the relative tolerance */
  agreeing: number;
  /** median of |carried - B| / carried over the compared pixels */
  medianRelativeError: number;
}

/**
 * Every pixel centre of A with depth 0 < d < maxDepth is lifted with A's pose, projected into B, and
 * its depth along B's axis compared with B's depth sampled bilinearly at the landing point. Only
 * landing points whose four neighbours in B all have depth within `smooth` (relative) of each other are
 * compared, so depth edges (where bilinear sampling mixes surfaces) do not count; occluded points do
 * count, as disagreement. The fraction agreeing is high for co-visible geometry and small for a wrong
 * pose.
 */
export function depthAgreement(a: DepthView, b: DepthView, tolerance = 0.005, maxDepth = 500, smooth = 0.05): DepthAgreement {
  const { width: wa, height: ha, data: da } = a.depth;
  const { width: wb, height: hb, data: db } = b.depth;
  if (wb < 2 || hb < 2) throw new Error(`depth agreement: expected a target view of at least 2x2 pixels, found ${wb}x${hb}`);
  const errors: number[] = [];
  let landed = 0;
  let agreeing = 0;
  for (let j = 0; j < ha; j++) {
    for (let i = 0; i < wa; i++) {
      const d = da[j * wa + i];
      if (!(d > 0 && d < maxDepth)) continue;
      const world = a.pose.cameraToWorld(unprojectPixel(a.intrinsics, i + 0.5, j + 0.5, d));
      const p = projectCameraPoint(b.intrinsics, b.pose.worldToCamera(world));
      if (!(p.depth > 0) || p.u < 0 || p.v < 0 || p.u >= wb || p.v >= hb) continue;
      landed++;
      // bilinear between the pixel centres around (u, v); at the border the nearest centre is repeated
      const x = Math.min(Math.max(p.u - 0.5, 0), wb - 1);
      const y = Math.min(Math.max(p.v - 0.5, 0), hb - 1);
      const x0 = Math.min(Math.floor(x), wb - 2);
      const y0 = Math.min(Math.floor(y), hb - 2);
      const fx = x - x0;
      const fy = y - y0;
      const q00 = db[y0 * wb + x0];
      const q10 = db[y0 * wb + x0 + 1];
      const q01 = db[(y0 + 1) * wb + x0];
      const q11 = db[(y0 + 1) * wb + x0 + 1];
      const lo = Math.min(q00, q10, q01, q11);
      const hi = Math.max(q00, q10, q01, q11);
      if (!(lo > 0) || hi > lo * (1 + smooth)) continue;
      const sampled = (q00 * (1 - fx) + q10 * fx) * (1 - fy) + (q01 * (1 - fx) + q11 * fx) * fy;
      const rel = Math.abs(sampled - p.depth) / p.depth;
      errors.push(rel);
      if (rel <= tolerance) agreeing++;
    }
  }
  errors.sort((x, y) => x - y);
  return { landed, compared: errors.length, agreeing, medianRelativeError: errors.length ? errors[errors.length >> 1] : NaN };
}
