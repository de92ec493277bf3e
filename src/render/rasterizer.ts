/**
 * The CPU reference rasterizer: EWA splatting of 3D Gaussians as the 3DGS reference CUDA rasterizer
 * does it (Kerbl et al. 2023), the truth that GPU renders and quality metrics are compared with.
 *
 *   1. project (project.ts): cull, project centre and covariance, conic, footprint, SH colour;
 *   2. sort (sort.ts): by depth of the centre, front to back;
 *   3. composite (composite.ts): per pixel, alpha = min(0.99, opacity exp(-1/2 d^T conic d)), skip
 *      alpha < 1/255, stop when T (1 - alpha) < 1e-4 (before adding that splat), C += colour alpha T,
 *      T *= 1 - alpha; colour = C + T background, alpha = 1 - T, depth = sum(alpha T z) / (1 - T).
 *
 * Deliberate differences from the reference, each documented where it is made: the footprint is the
 * exact 1/255 level instead of 3 sigma (nothing that passes the alpha test is truncated), the near
 * plane is an option (default 0.01 m instead of 0.2), and the arithmetic is double precision.
 */
import type { Intrinsics, Pose } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { type CompositeResult, compositeSplats } from './composite.ts';
import { PACKED_STRIDE, type ProjectionRoom, projectSplats } from './project.ts';
import { sortByKey } from './sort.ts';

export interface RenderOptions {
  /** linear rgb composited behind the splats; default black */
  background?: [number, number, number];
  /** cap on the SH degree used; default the cloud's */
  shDegree?: number;
  /** splats whose centre is nearer than this (metres, along the view axis) are culled; default 0.01 */
  near?: number;
  /** added to the diagonal of every 2D covariance, px^2; default 0.3 (as 3DGS) */
  lowPass?: number;
  signal?: AbortSignal;
  /** fraction 0..1 of the whole render, and the stage: 'project', 'sort' or 'rasterize' */
  onProgress?: (fraction: number, stage: string) => void;
}

export interface RenderResult {
  width: number;
  height: number;
  /** rgb per pixel, row-major from the top-left, background composited: C + T bg */
  color: Float32Array;
  /** accumulated opacity 1 - T */
  alpha: Float32Array;
  /** expected depth (metres along the view axis) of what was hit: sum(w z) / sum(w), 0 where alpha is 0 */
  depth: Float32Array;
}

const PROJECT_SHARE = 0.3;
const SORT_SHARE = 0.05;

export function renderSplats(cloud: SplatCloud, pose: Pose, intrinsics: Intrinsics, options: RenderOptions = {}): RenderResult {
  const { width, height } = checkIntrinsics(intrinsics);
  return { width, height, ...renderRows(cloud, pose, intrinsics, [0, height], options) };
}

/**
 * Rows [start, end) of renderSplats' picture, the same bits (band-render.ts): only the splats that
 * touch them are projected, sorted (a stable sort of a subset keeps their order) and composited.
 */
export function renderRows(cloud: SplatCloud, pose: Pose, intrinsics: Intrinsics, rows: readonly [number, number], options: RenderOptions = {}): CompositeResult {
  const { width, height } = checkIntrinsics(intrinsics);
  const background = options.background ?? [0, 0, 0];
  if (!(background.length === 3 && background.every(Number.isFinite))) {
    throw new Error(`render: expected background as three finite numbers, found (${background.join(', ')})`);
  }
  const near = options.near ?? 0.01;
  if (!(near >= 0 && Number.isFinite(near))) throw new Error(`render: expected a finite near distance >= 0, found ${near}`);
  const lowPass = options.lowPass ?? 0.3;
  if (!(lowPass >= 0 && Number.isFinite(lowPass))) throw new Error(`render: expected a finite lowPass >= 0 px^2, found ${lowPass}`);
  const shDegree = options.shDegree ?? cloud.shDegree;
  if (!(Number.isInteger(shDegree) && shDegree >= 0)) throw new Error(`render: expected shDegree as an integer >= 0, found ${shDegree}`);
  const { signal, onProgress } = options;
  signal?.throwIfAborted();

  // Stage 1: project.
  const n = cloud.count;
  onProgress?.(0, 'project');
  const tickProject = signal || onProgress
    ? (done: number) => {
        signal?.throwIfAborted();
        onProgress?.((PROJECT_SHARE * done) / n, 'project');
      }
    : undefined;
  const room = takeRoom(n);
  try {
    const p = projectSplats(cloud, pose, intrinsics, { near, lowPass, shDegree, rows }, tickProject, room);

    // Stage 2: sort front to back.
    signal?.throwIfAborted();
    onProgress?.(PROJECT_SHARE, 'sort');
    const order = sortByKey(p.depth, p.count);

    // Stage 3: composite front to back.
    signal?.throwIfAborted();
    onProgress?.(PROJECT_SHARE + SORT_SHARE, 'rasterize');
    const rasterShare = 1 - PROJECT_SHARE - SORT_SHARE;
    const tickRaster = signal || onProgress
      ? (fraction: number) => {
          signal?.throwIfAborted();
          onProgress?.(PROJECT_SHARE + SORT_SHARE + rasterShare * fraction, 'rasterize');
        }
      : undefined;
    const result = compositeSplats(p, order, width, height, background, tickRaster, rows);
    onProgress?.(1, 'rasterize');
    return result;
  } finally {
    if (room) roomInUse = false;
  }
}

// The projection's arrays (128 bytes a splat: 16 MB for the 127k splats of the sample world's
// 512x384 stops, 27 MB for its 215k at 128x96), kept from one render to the next on this thread:
// fresh ones are mapped anew each time (larger than what malloc recycles) and their pages zeroed by the
// system at first touch, ~4,000-6,700 page faults per render, ~10 us each on the 2-core machine. They
// never outlive a render (the picture is copied out of the composite), and a render that starts while
// they are taken (from a progress callback) gets fresh ones. A cloud larger than the kept arrays makes
// new ones with room for twice its splats (at most 1M more; pages never touched cost nothing), so a
// growing world does not replace them at every stop.
let kept: ProjectionRoom | null = null;
let roomInUse = false;

function takeRoom(n: number): ProjectionRoom | undefined {
  if (roomInUse) return undefined;
  if (!kept || kept.index.length < n) {
    const c = n + Math.min(n, 1 << 20);
    kept = null; // the old arrays can go before the new ones are made
    kept = { index: new Uint32Array(c), packed: new Float64Array(PACKED_STRIDE * c), depth: new Float32Array(c) };
  }
  roomInUse = true;
  return kept;
}

/** 8-bit RGBA of a render (for PNG): colour clamped to 0..1, scaled by 255 and rounded; alpha 255. */
export function toRgba8(result: RenderResult): Uint8ClampedArray {
  const { width, height, color } = result;
  const out = new Uint8ClampedArray(4 * width * height);
  for (let i = 0, n = width * height; i < n; i++) {
    for (let ch = 0; ch < 3; ch++) {
      const value = color[3 * i + ch];
      out[4 * i + ch] = value > 0 ? (value < 1 ? Math.round(value * 255) : 255) : 0;
    }
    out[4 * i + 3] = 255;
  }
  return out;
}

function checkIntrinsics(k: Intrinsics): Intrinsics {
  if (!(Number.isInteger(k.width) && Number.isInteger(k.height) && k.width > 0 && k.height > 0)) {
    throw new Error(`render: expected a positive integer image size, found ${k.width}x${k.height}`);
  }
  if (!(k.fx > 0 && k.fy > 0 && Number.isFinite(k.fx) && Number.isFinite(k.fy))) {
    throw new Error(`render: expected positive finite focal lengths, found fx ${k.fx}, fy ${k.fy}`);
  }
  if (!(Number.isFinite(k.cx) && Number.isFinite(k.cy))) {
    throw new Error(`render: expected a finite principal point, found (${k.cx}, ${k.cy})`);
  }
  return k;
}
