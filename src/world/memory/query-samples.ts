/**
 * The points a query camera would look at: a fixed, stratified set inside its view frustum, so the
 * relevance of a remembered frame is "which share of these can that frame see" — view-frustum
 * overlap, not camera distance.
 *
 * 4 x 4 image positions (cell centres) x 4 depths spaced evenly in log depth between near and far:
 * log spacing gives the near field (which dominates the picture) as many samples as the far field.
 * 64 points keep a query under a millisecond at 10,000 frames; finer ranking is not needed to pick
 * context frames.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';

export const SAMPLE_COLUMNS = 4;
export const SAMPLE_ROWS = 4;
export const SAMPLE_DEPTHS = 4;

export interface QuerySamples {
  /** world points, xyz per sample */
  points: Float64Array;
  count: number;
  /** a sphere holding every sample: centre xyz and radius */
  centre: [number, number, number];
  radius: number;
}

export interface QueryRange {
  /** nearest depth sampled, metres; default 0.25 */
  near?: number;
  /** farthest depth sampled, metres; default 25 (walls, furniture, terrain a few steps ahead) */
  far?: number;
}

export function querySamples(pose: Pose, k: Intrinsics, range: QueryRange = {}): QuerySamples {
  const near = range.near ?? 0.25, far = range.far ?? 25;
  if (!(near > 0 && far > near && Number.isFinite(far))) {
    throw new Error(`memory: expected a query depth range 0 < near < far < Infinity, found near ${near}, far ${far}`);
  }
  const count = SAMPLE_COLUMNS * SAMPLE_ROWS * SAMPLE_DEPTHS;
  const points = new Float64Array(count * 3);
  const m = pose.worldFromCamera, e = pose.position;
  let s = 0;
  for (let d = 0; d < SAMPLE_DEPTHS; d++) {
    const depth = near * (far / near) ** ((d + 0.5) / SAMPLE_DEPTHS);
    for (let r = 0; r < SAMPLE_ROWS; r++) {
      const v = ((r + 0.5) / SAMPLE_ROWS) * k.height;
      for (let c = 0; c < SAMPLE_COLUMNS; c++) {
        const u = ((c + 0.5) / SAMPLE_COLUMNS) * k.width;
        // camera-space point at pixel (u, v), depth `depth` (unprojectPixel in camera.ts, inlined)
        const x = ((u - k.cx) / k.fx) * depth, y = (-(v - k.cy) / k.fy) * depth, z = -depth;
        points[3 * s] = m[0] * x + m[1] * y + m[2] * z + e[0];
        points[3 * s + 1] = m[3] * x + m[4] * y + m[5] * z + e[1];
        points[3 * s + 2] = m[6] * x + m[7] * y + m[8] * z + e[2];
        s++;
      }
    }
  }
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < points.length; i++) {
    const a = i % 3;
    lo[a] = Math.min(lo[a], points[i]);
    hi[a] = Math.max(hi[a], points[i]);
  }
  const centre: [number, number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  let radius = 0;
  for (let i = 0; i < count; i++) {
    radius = Math.max(radius, Math.hypot(points[3 * i] - centre[0], points[3 * i + 1] - centre[1], points[3 * i + 2] - centre[2]));
  }
  return { points, count, centre, radius };
}
