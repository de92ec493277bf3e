/**
 * The CPU reference rasterizer: EWA splatting of 3D Gaussians as the 3DGS reference CUDA rasterizer
 * does it (Kerbl et al. 2023), the truth that GPU renders and quality metrics are compared with.
 *
 *   1. project (project.ts): cull, project centre and covariance, conic, footprint, SH colour;
 *   2. sort (sort.ts): by depth of the centre, front to back;
 *   3. composite: per pixel, alpha = min(0.99, opacity exp(-1/2 d^T conic d)), skip alpha < 1/255,
 *      stop when T (1 - alpha) < 1e-4 (before adding that splat), C += colour alpha T, T *= 1 - alpha.
 *
 * Step 3 walks the splats in sorted order and, for each, the pixels of its footprint, keeping C, T
 * and the "done" state per pixel. Every pixel sees the same splats in the same order as the
 * reference's per-pixel (per-tile) lists, so the result is the same; it is just much faster in JS.
 * Within a footprint row only the exact span of the ellipse d^T conic d <= level is visited.
 */
import type { Intrinsics, Pose } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { projectSplats } from './project.ts';
import { expNonPositive } from './exp.ts';
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

const ALPHA_MIN = 1 / 255;
const ALPHA_MAX = 0.99;
const T_MIN = 1e-4;
const TILE_SHIFT = 4;
const TILE = 1 << TILE_SHIFT;
const PROJECT_SHARE = 0.3;
const SORT_SHARE = 0.05;

export function renderSplats(cloud: SplatCloud, pose: Pose, intrinsics: Intrinsics, options: RenderOptions = {}): RenderResult {
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
  const p = projectSplats(cloud, pose, intrinsics, { near, lowPass, shDegree }, tickProject);

  // Stage 2: sort front to back.
  signal?.throwIfAborted();
  onProgress?.(PROJECT_SHARE, 'sort');
  const order = sortByKey(p.depth, p.count);

  // Stage 3: composite. acc holds T, r, g, b, sum(w z) per pixel; T < 0 marks a finished pixel
  // (its transmittance is -T: the splat that would take it below 1e-4 was not added).
  signal?.throwIfAborted();
  onProgress?.(PROJECT_SHARE + SORT_SHARE, 'rasterize');
  const pixels = width * height;
  const acc = new Float64Array(5 * pixels);
  for (let i = 0; i < pixels; i++) acc[5 * i] = 1;
  // Finished pixels are skipped with a disjoint-set "next open pixel" per row (one extra slot per row
  // as a sentinel that never closes): next[i] === i while pixel i is open; a finished pixel points
  // to its right neighbour, and lookups compress the chains (path halving). Dense views saturate
  // most pixels early, and this keeps the cost proportional to the pixels still being composited.
  const rowStride = width + 1;
  const next = new Int32Array(rowStride * height);
  for (let i = 0; i < next.length; i++) next[i] = i;
  // Open pixels per TILE x TILE block: bands of a footprint whose blocks are all finished are skipped
  // without looking at their rows (in a dense view most splats end up hidden behind finished pixels).
  const tilesX = (width + TILE - 1) >> TILE_SHIFT;
  const tilesY = (height + TILE - 1) >> TILE_SHIFT;
  const tileOpen = new Int32Array(tilesX * tilesY);
  for (let ty = 0; ty < tilesY; ty++) {
    for (let tx = 0; tx < tilesX; tx++) {
      tileOpen[ty * tilesX + tx] = (Math.min(TILE, width - tx * TILE)) * (Math.min(TILE, height - ty * TILE));
    }
  }
  const { u, v, conicA, conicB, conicC, opacity, level, depth, rgb, rect } = p;
  const count = p.count;
  const rasterShare = 1 - PROJECT_SHARE - SORT_SHARE;

  for (let r = 0; r < count; r++) {
    if ((r & 1023) === 1023) {
      signal?.throwIfAborted();
      onProgress?.(PROJECT_SHARE + SORT_SHARE + (rasterShare * r) / count, 'rasterize');
    }
    const s = order[r];
    const mu = u[s], mv = v[s];
    const a = conicA[s], b = conicB[s], c = conicC[s];
    const o = opacity[s], lv = level[s], z = depth[s];
    const cr = rgb[3 * s], cg = rgb[3 * s + 1], cb = rgb[3 * s + 2];
    const x0 = rect[4 * s], y0 = rect[4 * s + 1], x1 = rect[4 * s + 2], y1 = rect[4 * s + 3];
    const halfA = -0.5 * a;
    const invA = 1 / a;
    const detC = a * c - b * b;
    const aLevel = a * lv;
    const tx0 = x0 >> TILE_SHIFT, tx1 = x1 >> TILE_SHIFT;
    for (let y = y0; y <= y1; y++) {
      if (y === y0 || (y & (TILE - 1)) === 0) {
        // Entering a band of tiles: skip it whole if every tile it shares with the footprint is finished.
        const tileRow = (y >> TILE_SHIFT) * tilesX;
        let open = false;
        for (let tx = tx0; tx <= tx1; tx++) {
          if (tileOpen[tileRow + tx] !== 0) {
            open = true;
            break;
          }
        }
        if (!open) {
          y |= TILE - 1;
          continue;
        }
      }
      const dy = y + 0.5 - mv;
      // Span of the ellipse a dx^2 + 2 b dx dy + c dy^2 <= level on this row.
      const disc = aLevel - detC * dy * dy;
      if (disc < 0) continue;
      const root = Math.sqrt(disc) * invA;
      const centre = mu - b * dy * invA - 0.5;
      let xs = Math.ceil(centre - root);
      let xe = Math.floor(centre + root);
      if (xs < x0) xs = x0;
      if (xe > x1) xe = x1;
      if (xs > xe) continue;
      const rowC = -0.5 * c * dy * dy;
      const rowB = -b * dy;
      // Visit only the pixels of [xs, xe] that are still open, skipping finished runs.
      const rowBase = y * rowStride;
      const pixBase = y * width;
      let x = findOpen(next, rowBase + xs) - rowBase;
      while (x <= xe) {
        const idx = 5 * (pixBase + x);
        const dx = x + 0.5 - mu;
        let alpha = o * expNonPositive(rowC + dx * (rowB + halfA * dx));
        if (alpha > ALPHA_MAX) alpha = ALPHA_MAX;
        if (alpha >= ALPHA_MIN) {
          const t = acc[idx];
          const nextT = t * (1 - alpha);
          if (nextT < T_MIN) {
            acc[idx] = -t;
            next[rowBase + x] = rowBase + x + 1;
            tileOpen[(y >> TILE_SHIFT) * tilesX + (x >> TILE_SHIFT)]--;
          } else {
            const wt = alpha * t;
            acc[idx + 1] += wt * cr;
            acc[idx + 2] += wt * cg;
            acc[idx + 3] += wt * cb;
            acc[idx + 4] += wt * z;
            acc[idx] = nextT;
          }
        }
        x = findOpen(next, rowBase + x + 1) - rowBase;
      }
    }
  }

  const color = new Float32Array(3 * pixels);
  const alphaOut = new Float32Array(pixels);
  const depthOut = new Float32Array(pixels);
  const [bgR, bgG, bgB] = background;
  for (let i = 0; i < pixels; i++) {
    const t = Math.abs(acc[5 * i]);
    color[3 * i] = acc[5 * i + 1] + t * bgR;
    color[3 * i + 1] = acc[5 * i + 2] + t * bgG;
    color[3 * i + 2] = acc[5 * i + 3] + t * bgB;
    const hit = 1 - t;
    alphaOut[i] = hit;
    depthOut[i] = hit > 0 ? acc[5 * i + 4] / hit : 0;
  }
  onProgress?.(1, 'rasterize');
  return { width, height, color, alpha: alphaOut, depth: depthOut };
}

/** First open pixel at or after slot i of its row (the row's sentinel slot is always open). */
function findOpen(next: Int32Array, i: number): number {
  let j = next[i];
  while (j !== i) {
    const k = next[j];
    next[i] = k;
    i = j;
    j = k;
  }
  return i;
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
