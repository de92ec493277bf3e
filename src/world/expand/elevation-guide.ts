/**
 * A colour guide by direction (issue #5, the seam where a full turn closes): the mean colour and sky
 * share of the world's ORIGINAL view per direction, in bins of 5 degrees of azimuth (about world Y)
 * by 1 degree of elevation above the horizontal, and from it one colour + sky share per row of a new view.
 *
 * Why: the inpainter's row profile comes from the known pixels around the hole in the current view,
 * which after the first stop of a turn are the previous fill. Each fill continues the last, colour
 * drifts stop by stop, and the fill that closes the loop must jump from the drifted colour to the
 * photo's other edge within its width (docs/grow/seam-330.png). A guide taken from the original view
 * alone does not drift.
 *
 * Why by azimuth too: the original view's mean colour per elevation alone (what this guide was first)
 * is neither of the photo's edges, so the closing fill still jumps from that mean to the edge it meets.
 * Here, directions the original view did not see take, per elevation, the colours of its two edges
 * blended linearly by the angle round the unseen arc: right after the photo's right edge the guide IS
 * that edge's colours, and turning on it moves steadily to the left edge's colours, which it reaches
 * where the turn closes on the photo's left edge. (For colours constant along each edge this is the
 * harmonic fill of the unseen part of the cylinder of directions: linear in azimuth.) Each edge's
 * colours are the mean over the last EDGE_BINS bins of that elevation the view saw, not the last
 * bin alone, so one boat at the edge does not colour the whole turn.
 *
 * Which frame is original: the world's first (id order). Every world starts as one view (a photo or a
 * prompt: cli generate, the viewer's worker) and everything after it was appended by expansions; frames
 * carry no origin flag, and none is needed while that holds, so the bundle format is unchanged.
 */
import { type Intrinsics, type Pose, unprojectPixel } from '../../core/camera.ts';
import { apply3 } from '../../core/mat3.ts';
import type { MemoryFrame } from '../memory/frame.ts';
import { storedIntrinsics } from '../memory/frame.ts';

/** Elevation bins of 1 degree from -90 to +90. */
const BINS = 180;
/** Azimuth bins of 5 degrees round the vertical (a 128 px stored frame of 60-90 degrees has ~7-10 columns per bin). */
export const AZIMUTH_BINS = 72;
/** Bins (of AZIMUTH_BINS) at each end of the seen arc whose mean is that edge's colour: 15 degrees. */
const EDGE_BINS = 3;

export interface ElevationStats {
  /**
   * per azimuth bin a and elevation bin b, at 4 (a BINS + b): mean R, G, B (sRGB 0..1) and sky share
   * 0..1; meaningful where count[b] > 0 (azimuths the view did not see at that elevation hold the
   * blend of its edges, see above)
   */
  values: Float32Array;
  /** pixels per elevation bin, all azimuths together */
  count: Float64Array;
}

const binOf = (elevationRadians: number) => Math.min(BINS - 1, Math.max(0, Math.floor((elevationRadians * 180) / Math.PI + 90)));
/** Continuous azimuth bin coordinate 0..AZIMUTH_BINS of a world direction (0 = -Z, growing toward +X). */
const azimuthCoordinate = (wx: number, wz: number) => {
  const a = ((Math.atan2(wx, -wz) / (2 * Math.PI)) * AZIMUTH_BINS + AZIMUTH_BINS) % AZIMUTH_BINS;
  return a >= AZIMUTH_BINS ? 0 : a;
};

/** Elevation (radians, up positive) and azimuth coordinate (bins) of the ray through pixel (u, v) of a camera at `pose`. */
function direction(pose: Pose, k: Intrinsics, u: number, v: number): { elevation: number; azimuth: number } {
  // The camera-space point at depth 1 on the ray, turned into world axes (no translation: a direction).
  const ray = unprojectPixel(k, u, v, 1);
  const [wx, wy, wz] = apply3(pose.worldFromCamera, ray);
  return { elevation: Math.asin(Math.max(-1, Math.min(1, wy / Math.sqrt(ray[0] * ray[0] + ray[1] * ray[1] + 1)))), azimuth: azimuthCoordinate(wx, wz) };
}

/** Per-direction colour and sky share of stored frames (their 128 px pictures; depth <= 0 is sky). */
export function elevationStats(frames: readonly MemoryFrame[]): ElevationStats {
  const cells = AZIMUTH_BINS * BINS;
  const sums = new Float64Array(4 * cells), cellCount = new Float64Array(cells), count = new Float64Array(BINS);
  for (const frame of frames) {
    const k = storedIntrinsics(frame);
    for (let y = 0, i = 0; y < frame.height; y++) {
      for (let x = 0; x < frame.width; x++, i++) {
        const d = direction(frame.pose, k, x + 0.5, y + 0.5);
        const b = binOf(d.elevation), cell = Math.floor(d.azimuth) * BINS + b;
        sums[4 * cell] += frame.rgb[3 * i] / 255; sums[4 * cell + 1] += frame.rgb[3 * i + 1] / 255; sums[4 * cell + 2] += frame.rgb[3 * i + 2] / 255;
        sums[4 * cell + 3] += frame.depth[i] > 0 ? 0 : 1;
        cellCount[cell]++;
        count[b]++;
      }
    }
  }
  const values = new Float32Array(4 * cells);
  for (let b = 0; b < BINS; b++) if (count[b] > 0) fillAzimuths(sums, cellCount, b, values);
  return { values, count };
}

/**
 * values at elevation bin b for every azimuth: seen bins their mean; each run of unseen bins the blend,
 * linear in the angle, of the means of the EDGE_BINS seen bins on either side of it (going round).
 */
function fillAzimuths(sums: Float64Array, cellCount: Float64Array, b: number, values: Float32Array): void {
  const seen = (a: number) => cellCount[(((a % AZIMUTH_BINS) + AZIMUTH_BINS) % AZIMUTH_BINS) * BINS + b] > 0;
  const cell = (a: number) => (((a % AZIMUTH_BINS) + AZIMUTH_BINS) % AZIMUTH_BINS) * BINS + b;
  let first = -1;
  for (let a = 0; a < AZIMUTH_BINS; a++) {
    if (!seen(a)) continue;
    if (first < 0) first = a;
    for (let c = 0; c < 4; c++) values[4 * cell(a) + c] = sums[4 * cell(a) + c] / cellCount[cell(a)];
  }
  if (first < 0) return;
  /** Mean over up to EDGE_BINS seen bins from `a` stepping by `step` (weighted by their pixels). */
  const edge = (a: number, step: number): number[] => {
    const s = [0, 0, 0, 0];
    let n = 0;
    for (let j = 0; j < EDGE_BINS && seen(a + j * step); j++) {
      const o = cell(a + j * step);
      for (let c = 0; c < 4; c++) s[c] += sums[4 * o + c];
      n += cellCount[o];
    }
    return s.map((v) => v / n);
  };
  // Walk once round from the first seen bin: each unseen run lies between the seen bins `from` and `to`.
  for (let a = first + 1; a <= first + AZIMUTH_BINS; a++) {
    if (seen(a) || !seen(a - 1)) continue;
    const from = a - 1;
    let to = a;
    while (!seen(to)) to++;
    const left = edge(from, -1), right = edge(to, 1);
    for (let g = a; g < to; g++) {
      const t = (g - from) / (to - from);
      for (let c = 0; c < 4; c++) values[4 * cell(g) + c] = left[c] + t * (right[c] - left[c]);
    }
  }
}

/** The guide of a world: the stats of its first frame (its original view), or null for an empty world. */
export function worldElevationStats(frames: readonly MemoryFrame[]): ElevationStats | null {
  return frames.length > 0 ? elevationStats(frames.slice(0, 1)) : null;
}

/**
 * One colour + sky share (4 values) per row of a view at `pose` with intrinsics `k`, from the direction
 * of each row's ray at the view's centre column: linear in azimuth between the centres of the two
 * nearest azimuth bins, and linear in elevation between the centres of the elevation bins seen (a
 * 384-row view has ~6 rows per degree: no steps). Elevations beyond those seen take the nearest seen
 * bin (as the inpainter's row profile does beyond its first and last rows); null if no bin was seen.
 */
export function rowGuide(stats: ElevationStats, pose: Pose, k: Intrinsics): Float32Array | null {
  const seen: number[] = [];
  for (let b = 0; b < BINS; b++) if (stats.count[b] > 0) seen.push(b);
  if (seen.length === 0) return null;
  const out = new Float32Array(4 * k.height);
  const v = stats.values;
  for (let y = 0; y < k.height; y++) {
    const d = direction(pose, k, k.cx, y + 0.5);
    // Continuous bin coordinates: bin b's centre is at b.
    const t = (d.elevation * 180) / Math.PI + 90 - 0.5;
    const s = d.azimuth - 0.5, a0 = Math.floor(s), wa = s - a0;
    const az0 = ((a0 % AZIMUTH_BINS) + AZIMUTH_BINS) % AZIMUTH_BINS, az1 = (az0 + 1) % AZIMUTH_BINS;
    const at = (b: number, c: number) => (1 - wa) * v[4 * (az0 * BINS + b) + c] + wa * v[4 * (az1 * BINS + b) + c];
    let r = 0;
    while (r < seen.length && seen[r] < t) r++;
    const above = r < seen.length ? seen[r] : -1, below = r > 0 ? seen[r - 1] : -1;
    for (let c = 0; c < 4; c++) {
      if (below < 0) out[4 * y + c] = at(above, c);
      else if (above < 0) out[4 * y + c] = at(below, c);
      else out[4 * y + c] = at(below, c) + ((t - below) / (above - below)) * (at(above, c) - at(below, c));
    }
  }
  return out;
}
