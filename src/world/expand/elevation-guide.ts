/**
 * A colour guide by elevation (issue #5, the seam where a full turn closes): the mean colour and sky
 * share of the world's ORIGINAL view per 1-degree bin of the ray's elevation above the horizontal
 * (world Y up), and from it one colour + sky share per row of a new view.
 *
 * Why: the inpainter's row profile comes from the known pixels around the hole in the current view,
 * which after the first stop of a turn are the previous fill. Each fill continues the last, colour
 * drifts stop by stop, and the fill that closes the loop must jump from the drifted colour to the
 * photo's other edge within its width. A guide taken from the original view alone does not drift: both
 * sides of the closing seam tend to the same per-elevation colour.
 *
 * Which frame is original: the world's first (id order). Every world starts as one view (a photo or a
 * prompt: cli generate, the viewer's worker) and everything after it was appended by expansions; frames
 * carry no origin flag, and none is needed while that holds, so the bundle format is unchanged.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import type { MemoryFrame } from '../memory/frame.ts';
import { storedIntrinsics } from '../memory/frame.ts';

/** Bins of 1 degree from -90 to +90. */
const BINS = 180;

export interface ElevationStats {
  /** per bin: mean R, G, B (sRGB 0..1) and sky share 0..1, 4 values; meaningful where count > 0 */
  values: Float32Array;
  /** pixels per bin */
  count: Float64Array;
}

const binOf = (elevationRadians: number) => Math.min(BINS - 1, Math.max(0, Math.floor((elevationRadians * 180) / Math.PI + 90)));

/** The elevation (radians, up positive) of the ray through pixel (u, v) of a camera at `pose`. */
function elevation(pose: Pose, k: Intrinsics, u: number, v: number): number {
  const m = pose.worldFromCamera;
  const dx = (u - k.cx) / k.fx, dy = -(v - k.cy) / k.fy, dz = -1;
  const wy = m[3] * dx + m[4] * dy + m[5] * dz;
  return Math.asin(Math.max(-1, Math.min(1, wy / Math.sqrt(dx * dx + dy * dy + 1))));
}

/** Per-elevation colour and sky share of stored frames (their 128 px pictures; depth <= 0 is sky). */
export function elevationStats(frames: readonly MemoryFrame[]): ElevationStats {
  const values = new Float32Array(4 * BINS), count = new Float64Array(BINS);
  const sums = new Float64Array(4 * BINS);
  for (const frame of frames) {
    const k = storedIntrinsics(frame);
    for (let y = 0, i = 0; y < frame.height; y++) {
      for (let x = 0; x < frame.width; x++, i++) {
        const b = binOf(elevation(frame.pose, k, x + 0.5, y + 0.5));
        sums[4 * b] += frame.rgb[3 * i] / 255; sums[4 * b + 1] += frame.rgb[3 * i + 1] / 255; sums[4 * b + 2] += frame.rgb[3 * i + 2] / 255;
        sums[4 * b + 3] += frame.depth[i] > 0 ? 0 : 1;
        count[b]++;
      }
    }
  }
  for (let b = 0; b < BINS; b++) if (count[b] > 0) for (let c = 0; c < 4; c++) values[4 * b + c] = sums[4 * b + c] / count[b];
  return { values, count };
}

/** The guide of a world: the stats of its first frame (its original view), or null for an empty world. */
export function worldElevationStats(frames: readonly MemoryFrame[]): ElevationStats | null {
  return frames.length > 0 ? elevationStats(frames.slice(0, 1)) : null;
}

/**
 * One colour + sky share (4 values) per row of a view at `pose` with intrinsics `k`, from the elevation
 * of each row's ray at the view's centre column, linear between the centres of the bins seen (a 384-row
 * view has ~6 rows per degree: no steps). Elevations beyond those seen take the nearest seen bin (as the
 * inpainter's row profile does beyond its first and last rows); null if no bin was seen.
 */
export function rowGuide(stats: ElevationStats, pose: Pose, k: Intrinsics): Float32Array | null {
  const seen: number[] = [];
  for (let b = 0; b < BINS; b++) if (stats.count[b] > 0) seen.push(b);
  if (seen.length === 0) return null;
  const out = new Float32Array(4 * k.height);
  for (let y = 0; y < k.height; y++) {
    // Continuous bin coordinate: bin b's centre is at b.
    const t = (elevation(pose, k, k.cx, y + 0.5) * 180) / Math.PI + 90 - 0.5;
    let r = 0;
    while (r < seen.length && seen[r] < t) r++;
    const above = r < seen.length ? seen[r] : -1, below = r > 0 ? seen[r - 1] : -1;
    for (let c = 0; c < 4; c++) {
      const v = stats.values;
      if (below < 0) out[4 * y + c] = v[4 * above + c];
      else if (above < 0) out[4 * y + c] = v[4 * below + c];
      else out[4 * y + c] = v[4 * below + c] + ((t - below) / (above - below)) * (v[4 * above + c] - v[4 * below + c]);
    }
  }
  return out;
}
