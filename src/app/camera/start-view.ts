/**
 * Where to stand when a world opens: outside its bulk, looking at its middle, far enough back that
 * the bulk fits the view. "Bulk" is the 5th-95th percentile box of the splat centres, so a few far
 * outliers (or a sky shell, which is thin) do not push the camera kilometres away.
 */
import { Pose } from '../../core/camera.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { type ViewState, viewFromPose } from './view-state.ts';

export const DEFAULT_FOV_DEG = 60;
const SAMPLE_LIMIT = 50_000;

/** Per-axis low/high percentile box of the splat centres (a strided sample of big clouds). */
export function robustBox(cloud: SplatCloud, low = 0.05, high = 0.95): { min: Vec3; max: Vec3 } | null {
  if (cloud.count === 0) return null;
  const stride = Math.max(1, Math.floor(cloud.count / SAMPLE_LIMIT));
  const n = Math.ceil(cloud.count / stride);
  const min: Vec3 = [0, 0, 0];
  const max: Vec3 = [0, 0, 0];
  const values = new Float64Array(n);
  for (let a = 0; a < 3; a++) {
    for (let j = 0; j < n; j++) values[j] = cloud.positions[3 * j * stride + a];
    values.sort();
    min[a] = values[Math.floor(low * (n - 1))];
    max[a] = values[Math.ceil(high * (n - 1))];
  }
  return { min, max };
}

export function startViewForCloud(cloud: SplatCloud, fovDeg = DEFAULT_FOV_DEG, aspect = 16 / 9): ViewState {
  const box = robustBox(cloud);
  if (!box) return { position: [0, 0, 3], yaw: 0, pitch: 0, fovDeg };
  const centre: Vec3 = [0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2) as Vec3;
  const radius = Math.max(1e-3, Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]) / 2);
  // Fit the bounding sphere in the narrower of the two fields of view.
  const halfV = (fovDeg * Math.PI) / 360;
  const halfH = Math.atan(Math.tan(halfV) * aspect);
  const distance = radius / Math.sin(Math.min(halfV, halfH));
  // From the +Z side (the way a camera at the origin looking down -Z sees a photo world), a little above.
  const eye: Vec3 = [centre[0], centre[1] + 0.25 * distance, centre[2] + distance];
  return viewFromPose(Pose.lookAt(eye, centre), fovDeg);
}
