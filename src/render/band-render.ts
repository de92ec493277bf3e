/**
 * A picture rendered as two bands of rows, one per thread (src/cli/render-thread.ts), the same bits as
 * renderSplats: each band is renderRows of its rows (rasterizer.ts), and joinBands lays them one above
 * the other.
 *
 * Why bands of rows: a pixel's colour depends only on the splats that cover it and their order. A
 * band's projection keeps exactly the splats whose footprint meets its rows, with the records the
 * whole picture gives them, in cloud order; the depth sort is stable, so sorting that subset keeps
 * their relative order; and the composite takes dy from the picture's own row numbers. Each band
 * projects every splat, but a splat whose footprint misses the band is dropped by the cheap bound
 * before its covariance (on the sample photo's world, all 655k splats rejected cost ~20 ms), so the
 * costly part of the projection, the sort and the composite are shared.
 *
 * Where to cut: where the photo fills half the view, that half holds nearly all the work, so the cut
 * follows the splats, not the rows: splitRow counts the centres of a sample of the splats per row.
 */
import type { Intrinsics, Pose } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import type { CompositeResult } from './composite.ts';

/**
 * splitRow counts about this many splats, evenly spaced in the cloud (it needs shares, not counts):
 * it runs once per picture, cold at the first, where a pass over every 8th of the sample world's
 * 655k splats took ~80 ms against ~3 ms warm.
 */
const SAMPLES = 16384;
/** Work of an empty row, as sampled splats: the composite's per-pixel setup and output. */
const ROW_BASE = 2;

/**
 * The row that cuts the picture into [0, row) and [row, height) with `share` (0..1) of the estimated
 * work above the cut: projected centres of a sample of the splats, per row, plus a little per row.
 * Only a balance: any row from 1 to height - 1 gives the same picture (height 1: 1, one band).
 */
export function splitRow(cloud: SplatCloud, pose: Pose, k: Intrinsics, share: number, near = 0.01): number {
  const { width, height, fx, fy, cx, cy } = k;
  if (height < 2) return height;
  const perRow = new Float64Array(height).fill(ROW_BASE);
  const w = pose.cameraFromWorld;
  const ex = pose.position[0], ey = pose.position[1], ez = pose.position[2];
  const positions = cloud.positions;
  const stride = Math.max(1, Math.floor(cloud.count / SAMPLES));
  for (let i = 0; i < cloud.count; i += stride) {
    const px = positions[3 * i] - ex, py = positions[3 * i + 1] - ey, pz = positions[3 * i + 2] - ez;
    const d = -(w[6] * px + w[7] * py + w[8] * pz);
    if (!(d > near)) continue;
    const u = cx + (fx * (w[0] * px + w[1] * py + w[2] * pz)) / d;
    const v = cy - (fy * (w[3] * px + w[4] * py + w[5] * pz)) / d;
    if (u >= 0 && u < width && v >= 0 && v < height) perRow[v | 0]++;
  }
  let total = 0;
  for (let y = 0; y < height; y++) total += perRow[y];
  const goal = total * share;
  let sum = 0;
  for (let y = 0; y < height - 1; y++) {
    sum += perRow[y];
    if (sum >= goal) return Math.max(1, y + 1);
  }
  return height - 1;
}

/** The picture from its bands, top to bottom (each of `width` columns; their rows add up to the picture's). */
export function joinBands(width: number, height: number, bands: readonly CompositeResult[]): CompositeResult {
  const color = new Float32Array(3 * width * height), alpha = new Float32Array(width * height), depth = new Float32Array(width * height);
  let at = 0;
  for (const band of bands) {
    const rows = band.alpha.length / width;
    if (!(Number.isInteger(rows) && band.color.length === 3 * band.alpha.length && band.depth.length === band.alpha.length && at + band.alpha.length <= alpha.length)) {
      throw new Error(`render bands: expected whole rows of ${width} pixels within ${width}x${height}, found a band of ${band.alpha.length} pixels after ${at}`);
    }
    color.set(band.color, 3 * at);
    alpha.set(band.alpha, at);
    depth.set(band.depth, at);
    at += band.alpha.length;
  }
  if (at !== alpha.length) throw new Error(`render bands: expected ${height} rows of ${width} pixels, found ${at / width}`);
  return { color, alpha, depth };
}
