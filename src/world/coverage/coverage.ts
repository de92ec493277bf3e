/**
 * Coverage: what a camera at `pose` would see of the world, and where that is not known well
 * enough, so expansion knows whether (shouldExpand) and where (mask) to generate.
 *
 * The world is rendered at low resolution (default 128 x 96: 12,288 pixels, enough to measure a
 * hole share to about 1% and to place a mask, while the render stays cheap). A pixel is a hole when
 *   1. empty: accumulated alpha < 0.5, i.e. the world contributes less than the background to the
 *      pixel's colour: what shows there is mostly nothing; or
 *   2. poorly seen: the memory has frames that saw its surface point (retrieved by nearest(), then
 *      checked with their stored depth), but none saw it both
 *        - at a footprint no coarser than 2x the query's (a frame's pixels at that point cover at
 *          most 2 x 2 of the query's: beyond that the splats there are visibly blurred, a full
 *          mip level below what the query view asks for), and
 *        - at no more than 75 degrees from the surface normal (foreshortening 1/cos 75 = 3.9x along
 *          one axis; lift caps a splat's stretch at 4 footprints for the same reason, so beyond
 *          that the surface was not resolved), or no more obliquely than the query itself looks at
 *          it (within 10% of its cosine): then no view from here could resolve it better.
 *      Points that no retrieved frame saw (splats imported without frames, or occlusion edges) are
 *      judged by alpha alone: there is nothing to compare with.
 * The query's footprint is measured at `intrinsics` (the resolution of the view that would be
 * generated there), a frame's at the resolution it was generated at.
 */
import { type Intrinsics, type Pose, scaleIntrinsics } from '../../core/camera.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { areaDownsample } from '../resample.ts';
import { depthEdges, edgeJumpThreshold } from '../depth-edges.ts';
import { normalsFromDepth } from '../surface-normals.ts';
import type { World } from '../world.ts';
import { type Sighting, frameView, sighting } from './view-quality.ts';

export const HOLE_EMPTY = 1;
export const HOLE_POORLY_SEEN = 2;

export interface CoverageOptions {
  /** render size; default 128 x 96 */
  width?: number;
  height?: number;
  /** frames retrieved from the memory to judge how well points were seen; default 8 */
  frames?: number;
  /** default 0.5 */
  minAlpha?: number;
  /** a frame's footprint over the query's above this is too coarse; default 2 */
  maxFootprintRatio?: number;
  /** a frame looking more obliquely than this (degrees from the normal) did not resolve the surface; default 75 */
  maxIncidenceDegrees?: number;
  /**
   * the splats coverage() renders; default the world's. `explore` passes its render cloud (lod/), whose
   * merged views render the world as truly at this size and ~3x faster.
   */
  splats?: SplatCloud;
}

export interface Coverage {
  width: number;
  height: number;
  /** per pixel: 0 known, HOLE_EMPTY or HOLE_POORLY_SEEN */
  mask: Uint8Array;
  /** share of hole pixels, 0..1 */
  unknownFraction: number;
  alpha: Float32Array;
  /** metres along the query's view axis, 0 where nothing was hit */
  depth: Float32Array;
}

export function coverage(world: World, pose: Pose, intrinsics: Intrinsics, options: CoverageOptions = {}): Coverage {
  const k = coverageIntrinsics(intrinsics, options);
  const { alpha, depth } = renderSplats(options.splats ?? world.splats, pose, k);
  return judge(world, pose, intrinsics, k, alpha, depth, options);
}

/**
 * The same coverage, from a render of the world at `pose` and `intrinsics` that the caller already
 * has (expansion renders the view anyway): its alpha is area-averaged down to the coverage size, and
 * its depth likewise weighted by alpha (the render's depth is sum(w z) / sum(w) with alpha = sum(w),
 * so this is the depth a render of the merged pixels would report), instead of rendering the world
 * a second time. At the coverage size itself it is exactly coverage(). A pixel is empty when its
 * area is, on average, less than half covered, the low-resolution render's rule for its own pixel.
 */
export function coverageFromRender(
  world: World, pose: Pose, intrinsics: Intrinsics, render: { alpha: Float32Array; depth: Float32Array }, options: CoverageOptions = {},
): Coverage {
  const pixels = intrinsics.width * intrinsics.height;
  if (render.alpha.length !== pixels || render.depth.length !== pixels) {
    throw new Error(`coverage: expected a render of ${intrinsics.width}x${intrinsics.height} (${pixels} alpha and depth values), found ${render.alpha.length} and ${render.depth.length}`);
  }
  const k = coverageIntrinsics(intrinsics, options);
  if (k.width === intrinsics.width && k.height === intrinsics.height) return judge(world, pose, intrinsics, k, render.alpha, render.depth, options);
  // A view smaller than the coverage raster: render that raster as coverage() does.
  if (k.width > intrinsics.width || k.height > intrinsics.height) return coverage(world, pose, intrinsics, options);
  const { alpha, depth } = shrinkAlphaDepth(render.alpha, render.depth, intrinsics.width, intrinsics.height, k.width, k.height);
  return judge(world, pose, intrinsics, k, alpha, depth, options);
}

/** Alpha and alpha-weighted depth, area-averaged to width x height (a function of its own: a small loop is optimised once). */
function shrinkAlphaDepth(alphaIn: Float32Array, depthIn: Float32Array, inWidth: number, inHeight: number, width: number, height: number) {
  const weighted = new Float32Array(2 * alphaIn.length);
  for (let i = 0; i < alphaIn.length; i++) {
    weighted[2 * i] = alphaIn[i];
    weighted[2 * i + 1] = alphaIn[i] * depthIn[i];
  }
  const small = areaDownsample(weighted, inWidth, inHeight, 2, width, height);
  const alpha = new Float32Array(width * height), depth = new Float32Array(width * height);
  for (let i = 0; i < alpha.length; i++) {
    const a = small[2 * i];
    alpha[i] = a;
    depth[i] = a > 0 ? small[2 * i + 1] / a : 0;
  }
  return { alpha, depth };
}

/** The coverage raster: the query's intrinsics scaled to the coverage size (default 128 x 96). */
function coverageIntrinsics(intrinsics: Intrinsics, options: CoverageOptions): Intrinsics {
  return scaleIntrinsics(intrinsics, options.width ?? 128, options.height ?? 96);
}

/** Classifies every pixel of the coverage raster `k` from its alpha and depth (see the header). */
function judge(
  world: World, pose: Pose, intrinsics: Intrinsics, k: Intrinsics, alpha: Float32Array, depth: Float32Array, options: CoverageOptions,
): Coverage {
  const { width, height } = k;
  const minAlpha = options.minAlpha ?? 0.5;
  const maxRatio = options.maxFootprintRatio ?? 2;
  const minCos = Math.cos(((options.maxIncidenceDegrees ?? 75) * Math.PI) / 180);

  const views = world.memory.nearest(pose, intrinsics, options.frames ?? 8).map((r) => frameView(r.frame));
  // Normals in the query's camera frame, not across depth jumps (the lift's own rule, 85 degrees).
  const normals = views.length ? normalsFromDepth(depth, depthEdges(depth, width, height, edgeJumpThreshold(85, k.fy)), k) : null;
  const queryFocal = Math.sqrt(intrinsics.fx * intrinsics.fy);
  const m = pose.worldFromCamera, e = pose.position;

  const mask = new Uint8Array(width * height);
  let holes = 0;
  const seenAt: Sighting = { footprint: 0, cosIncidence: 0 };
  for (let j = 0, i = 0; j < height; j++) {
    for (let c = 0; c < width; c++, i++) {
      if (!(alpha[i] >= minAlpha)) { mask[i] = HOLE_EMPTY; holes++; continue; }
      if (!normals) continue;
      // The pixel's surface point and normal in the world.
      const d = depth[i];
      const px = ((c + 0.5 - k.cx) / k.fx) * d, py = (-(j + 0.5 - k.cy) / k.fy) * d, pz = -d;
      const x = m[0] * px + m[1] * py + m[2] * pz + e[0], y = m[3] * px + m[4] * py + m[5] * pz + e[1], z = m[6] * px + m[7] * py + m[8] * pz + e[2];
      const cx = normals[3 * i], cy = normals[3 * i + 1], cz = normals[3 * i + 2];
      const nx = m[0] * cx + m[1] * cy + m[2] * cz, ny = m[3] * cx + m[4] * cy + m[5] * cz, nz = m[6] * cx + m[7] * cy + m[8] * cz;
      const queryFootprint = d / queryFocal;
      // A frame that looked no more obliquely than the query does (within 10%) saw the surface as well as
      // a view from here could: the ground far from a standing eye is beyond 75 degrees from every eye
      // at that height, and a turn on the spot must not call it unknown for ever.
      const cosQuery = Math.abs(cx * px + cy * py + cz * pz) / Math.sqrt(px * px + py * py + pz * pz);
      const cosEnough = Math.min(minCos, 0.9 * cosQuery);
      let seen = false, seenWell = false;
      for (let f = 0; f < views.length; f++) {
        if (!sighting(views[f], x, y, z, nx, ny, nz, seenAt)) continue;
        seen = true;
        if (seenAt.footprint <= maxRatio * queryFootprint && seenAt.cosIncidence >= cosEnough) { seenWell = true; break; }
      }
      if (seen && !seenWell) { mask[i] = HOLE_POORLY_SEEN; holes++; }
    }
  }
  return { width, height, mask, unknownFraction: holes / (width * height), alpha, depth };
}

/** Whether enough of the view is unknown to be worth generating (default: more than 5% of it). */
export function shouldExpand(result: Pick<Coverage, 'unknownFraction'>, threshold = 0.05): boolean {
  return result.unknownFraction > threshold;
}
