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
 * Why objects are left out of the edges' colours below the horizon: the sample photo's edges below the
 * horizon are boats (its left edge from -17 to -3 degrees, its right edge from -6 to -1), and their
 * mean coloured the whole turn with a brown band at their elevations (docs/grow, band-330). Below the
 * horizon the ground is what continues round a turn and whatever stands on it is in front of it, so
 * an edge's colour there is the mean of its background pixels only: surface pixels whose local detail
 * energy is at most OBJECT_LIMIT x the frame's median below the horizon (texture-source.ts's rule for
 * the boats: objects are the high-contrast parts of the picture). Where an edge is mostly object at an
 * elevation (less than MIN_BACKGROUND of its pixels are background), its colour there is interpolated
 * in elevation between the nearest elevations where it is not: what an object hides is what is seen
 * above and below it. At and above the horizon every pixel counts as before: the far shore, the
 * hills and trees along the horizon are high-contrast too, and they are what the turn should continue.
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
/** Below the horizon, surface pixels whose local detail energy exceeds this multiple of the frame's median there are objects (texture-source.ts's objectLimit). */
const OBJECT_LIMIT = 1.5;
/** Detail energy (sum over R, G, B of squared 0..1 differences) at or below which nothing is an object: 2 levels of 255 per channel (a flat picture's median is 0). */
const ENERGY_FLOOR = 3 * (2 / 255) ** 2;
/** Below the horizon, surface pixels whose chromaticity is further than this multiple of the ground's median distance from its median chromaticity are objects (markColourOutliers). */
const CHROMA_LIMIT = 4;
/** ... and at least this far (r, g over r + g + b; grey is (1/3, 1/3), the sample's red hulls ~0.12-0.2 from its blue-grey gravel). */
const CHROMA_FLOOR = 0.05;
/** Pixels whose R + G + B (0..255 each) is below this keep their class: one level of noise moves their chromaticity by ~0.03. */
const DARK_SUM = 30;
/** An edge whose background pixels are fewer than this share of its pixels at an elevation takes its colour there from the elevations above and below. */
const MIN_BACKGROUND = 0.5;

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
  // The same over background pixels only (colour; not objects, see the header), for the edges' colours.
  const background = new Float64Array(3 * cells), backgroundCount = new Float64Array(cells);
  for (const frame of frames) {
    const k = storedIntrinsics(frame);
    const pixels = frame.width * frame.height;
    const cellOf = new Int32Array(pixels), below = new Uint8Array(pixels);
    for (let y = 0, i = 0; y < frame.height; y++) {
      for (let x = 0; x < frame.width; x++, i++) {
        const d = direction(frame.pose, k, x + 0.5, y + 0.5);
        cellOf[i] = Math.floor(d.azimuth) * BINS + binOf(d.elevation);
        below[i] = d.elevation < 0 ? 1 : 0;
      }
    }
    const object = objectPixels(frame, below);
    for (let i = 0; i < pixels; i++) {
      const cell = cellOf[i], r = frame.rgb[3 * i] / 255, g = frame.rgb[3 * i + 1] / 255, b = frame.rgb[3 * i + 2] / 255;
      sums[4 * cell] += r; sums[4 * cell + 1] += g; sums[4 * cell + 2] += b;
      sums[4 * cell + 3] += frame.depth[i] > 0 ? 0 : 1;
      cellCount[cell]++;
      count[cell % BINS]++;
      if (object[i]) continue;
      background[3 * cell] += r; background[3 * cell + 1] += g; background[3 * cell + 2] += b;
      backgroundCount[cell]++;
    }
  }
  const values = new Float32Array(4 * cells);
  fillAzimuths({ sums, cellCount, background, backgroundCount }, count, values);
  return { values, count };
}

/**
 * 1 at the pixels of a stored frame that are objects (see the header): surface pixels `below` the
 * horizon whose detail energy, |colour - the 3 x 3 mean of the surface pixels round it|^2 averaged over
 * the 5 x 5 pixels round it (sky pixels carry none: the horizon where ground meets sky is an edge between
 * classes, not an object), exceeds OBJECT_LIMIT x the median of that over the surface pixels below the
 * horizon (and ENERGY_FLOOR). The 5 x 5 mean (about 2.5 degrees at 128 px) also takes in an object's
 * smoother inside next to its edges.
 */
function objectPixels(frame: MemoryFrame, below: Uint8Array): Uint8Array {
  const { width: w, height: h, rgb, depth } = frame;
  const detail = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!(depth[i] > 0)) continue;
      let r = 0, g = 0, b = 0, n = 0;
      for (let v = Math.max(0, y - 1); v <= Math.min(h - 1, y + 1); v++) {
        for (let u = Math.max(0, x - 1); u <= Math.min(w - 1, x + 1); u++) {
          const j = v * w + u;
          if (!(depth[j] > 0)) continue;
          r += rgb[3 * j]; g += rgb[3 * j + 1]; b += rgb[3 * j + 2];
          n++;
        }
      }
      detail[i] = ((rgb[3 * i] - r / n) ** 2 + (rgb[3 * i + 1] - g / n) ** 2 + (rgb[3 * i + 2] - b / n) ** 2) / (255 * 255);
    }
  }
  // Only the ground's pixels (below the horizon, surface) need their window's energy.
  const energy = new Float32Array(w * h), ground: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!below[i] || !(depth[i] > 0)) continue;
      let s = 0, n = 0;
      for (let v = Math.max(0, y - 2); v <= Math.min(h - 1, y + 2); v++) for (let u = Math.max(0, x - 2); u <= Math.min(w - 1, x + 2); u++, n++) s += detail[v * w + u];
      energy[i] = s / n;
      ground.push(energy[i]);
    }
  }
  const object = new Uint8Array(w * h);
  if (ground.length === 0) return object;
  const sorted = Float64Array.from(ground).sort();
  const limit = Math.max(ENERGY_FLOOR, OBJECT_LIMIT * sorted[sorted.length >> 1]);
  for (let i = 0; i < w * h; i++) if (below[i] && depth[i] > 0 && energy[i] > limit) object[i] = 1;
  markColourOutliers(frame, below, object);
  return object;
}

/**
 * Marks as objects too the ground pixels whose chromaticity (r, g over r + g + b) lies further from the
 * ground's median chromaticity than CHROMA_LIMIT x the ground's median distance from it (and CHROMA_FLOOR);
 * the median is taken over the ground pixels not already objects. Why: detail energy finds an object's
 * outline and its busy parts, not a smooth painted side; the sample photo's right edge below the horizon
 * is red hulls with plain sides, counted as ground, and they coloured a turn's fills round to 180 degrees
 * with a red-brown band. What is left as ground is the colour most of the ground has, which is what
 * a turn should continue. Pixels darker than DARK_SUM keep their class: their chromaticity is noise.
 */
function markColourOutliers(frame: MemoryFrame, below: Uint8Array, object: Uint8Array): void {
  const { width: w, height: h, rgb, depth } = frame;
  const n = w * h;
  const cr = new Float32Array(n), cg = new Float32Array(n), lit = new Uint8Array(n);
  const rs: number[] = [], gs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!below[i] || !(depth[i] > 0)) continue;
    const sum = rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2];
    if (sum < DARK_SUM) continue;
    lit[i] = 1;
    cr[i] = rgb[3 * i] / sum; cg[i] = rgb[3 * i + 1] / sum;
    if (!object[i]) { rs.push(cr[i]); gs.push(cg[i]); }
  }
  if (rs.length === 0) return;
  const median = (values: number[]) => { const v = Float64Array.from(values).sort(); return v[v.length >> 1]; };
  const mr = median(rs), mg = median(gs);
  const distances: number[] = [];
  for (let i = 0; i < n; i++) if (lit[i] && !object[i]) distances.push(Math.hypot(cr[i] - mr, cg[i] - mg));
  const limit = Math.max(CHROMA_FLOOR, CHROMA_LIMIT * median(distances));
  for (let i = 0; i < n; i++) if (lit[i] && Math.hypot(cr[i] - mr, cg[i] - mg) > limit) object[i] = 1;
}

interface CellSums { sums: Float64Array; cellCount: Float64Array; background: Float64Array; backgroundCount: Float64Array }
/** An edge's colour at one elevation: the mean of all its pixels (R, G, B, sky share) and of its background pixels, and their share. */
interface Edge { all: number[]; background: number[]; share: number }

/**
 * values for every elevation bin seen and every azimuth: seen bins their mean; each run of unseen bins
 * the blend, linear in the angle, of the colours of the two edges of the seen arc on either side of it
 * (going round): the background mean of EDGE_BINS seen bins, or where those are mostly object, the
 * colour interpolated in elevation along that edge (see the header). The sky share is always that of
 * all the edge's pixels.
 */
function fillAzimuths(s: CellSums, count: Float64Array, values: Float32Array): void {
  const wrap = (a: number) => ((a % AZIMUTH_BINS) + AZIMUTH_BINS) % AZIMUTH_BINS;
  const seen = (a: number, b: number) => s.cellCount[wrap(a) * BINS + b] > 0;
  /** The edge from seen bin `a` inward by `step` at elevation b. */
  const edge = (a: number, step: number, b: number): Edge => {
    const all = [0, 0, 0, 0], background = [0, 0, 0];
    let n = 0, m = 0;
    for (let j = 0; j < EDGE_BINS && seen(a + j * step, b); j++) {
      const o = wrap(a + j * step) * BINS + b;
      for (let c = 0; c < 4; c++) all[c] += s.sums[4 * o + c];
      for (let c = 0; c < 3; c++) background[c] += s.background[3 * o + c];
      n += s.cellCount[o]; m += s.backgroundCount[o];
    }
    return { all: all.map((v) => v / n), background: background.map((v) => (m > 0 ? v / m : NaN)), share: m / n };
  };
  // Per elevation: its seen bins' means and its unseen runs (between the seen bins `from` and `to`; a
  // photo's run goes from its right edge, +azimuth, round to its left edge).
  const runs: { b: number; from: number; to: number; atFrom: Edge; atTo: Edge }[][] = [];
  for (let b = 0; b < BINS; b++) {
    runs.push([]);
    if (count[b] === 0) continue;
    let first = -1;
    for (let a = 0; a < AZIMUTH_BINS; a++) {
      if (!seen(a, b)) continue;
      if (first < 0) first = a;
      const o = a * BINS + b;
      for (let c = 0; c < 4; c++) values[4 * o + c] = s.sums[4 * o + c] / s.cellCount[o];
    }
    // Walk once round from the first seen bin.
    for (let a = first + 1; a <= first + AZIMUTH_BINS; a++) {
      if (seen(a, b) || !seen(a - 1, b)) continue;
      let to = a;
      while (!seen(to, b)) to++;
      runs[b].push({ b, from: a - 1, to, atFrom: edge(a - 1, -1, b), atTo: edge(to, 1, b) });
    }
  }
  // Edges that are mostly object take their colour from the elevations above and below, along the same
  // edge: where each elevation has one unseen run (the seen arc of one view is one piece of each row
  // of directions), its two edges are that view's two sides.
  const single = runs.filter((r) => r.length === 1).map((r) => r[0]);
  const colourOf = (side: 'atFrom' | 'atTo') => {
    const usable = single.filter((r) => r[side].share >= MIN_BACKGROUND);
    const out = new Map<number, number[]>();
    for (const r of single) {
      const e = r[side];
      if (e.share >= MIN_BACKGROUND) { out.set(r.b, e.background); continue; }
      // The nearest usable elevations below and above (bins are in order), else the mean of all the edge's pixels.
      let lo: (typeof usable)[number] | undefined, hi: (typeof usable)[number] | undefined;
      for (const u of usable) { if (u.b < r.b) lo = u; else if (!hi) hi = u; }
      if (!lo && !hi) { out.set(r.b, e.all.slice(0, 3)); continue; }
      const t = lo && hi ? (r.b - lo.b) / (hi.b - lo.b) : lo ? 0 : 1;
      const a = (lo ?? hi)![side].background, z = (hi ?? lo)![side].background;
      out.set(r.b, a.map((v, c) => v + t * (z[c] - v)));
    }
    return out;
  };
  const fromColours = colourOf('atFrom'), toColours = colourOf('atTo');
  for (const row of runs) {
    for (const r of row) {
      // Elevations with several unseen runs: each edge's background mean if it has enough, else all its pixels'.
      const plain = (e: Edge) => (e.share >= MIN_BACKGROUND ? e.background : e.all.slice(0, 3));
      const l = [...(row.length === 1 ? fromColours.get(r.b)! : plain(r.atFrom)), r.atFrom.all[3]];
      const g = [...(row.length === 1 ? toColours.get(r.b)! : plain(r.atTo)), r.atTo.all[3]];
      for (let a = r.from + 1; a < r.to; a++) {
        const t = (a - r.from) / (r.to - r.from), o = wrap(a) * BINS + r.b;
        for (let c = 0; c < 4; c++) values[4 * o + c] = l[c] + t * (g[c] - l[c]);
      }
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
