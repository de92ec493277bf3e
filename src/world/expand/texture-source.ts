/**
 * The texture source of an expansion (PartialView.texture, issue #5): the world's first view - the
 * photo - re-rendered from its own splats at the new view's pixel scale, with each pixel's class
 * (surface, sky, not covered) and, per row, the row of the new view at the same elevation.
 *
 * Why: the texture synthesis (texture-synthesis.ts) copies detail from known patches. Where a full turn
 * closes, the new view's known pixels are mostly earlier fills, which are smooth, so a fill that copies
 * only from them stays a smooth band beside the sharp photo (docs/grow, turn-180-330.png).
 *
 * Why the splats and not the memory's picture: the memory keeps each frame at 128 px (posed-frame-memory.ts),
 * 4x below a 512 px view, and the 8 px patches need the detail that size throws away. The first frame's
 * own splats (its splat range) give back the photo at the generated size (37 dB in bench/generate), need
 * nothing new in the memory or the bundle (old bundles get it too), and never change, so the picture is
 * made once per world and focal length and kept. A photo world's splats are read as the grid they were
 * lifted from (liftedPicture, ~5x cheaper); other first frames are rendered (renderFirstView).
 */
import { type Intrinsics, type Pose, projectCameraPoint, scaleIntrinsics, unprojectPixel } from '../../core/camera.ts';
import { apply3 } from '../../core/mat3.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { RENDER_LOW_PASS } from '../input-view-colours.ts';
import { areaDownsample, bilinearResample } from '../resample.ts';
import { SIGMA_PER_PIXEL } from '../splat-footprint.ts';
import type { MemoryFrame } from '../memory/frame.ts';
import type { World } from '../world.ts';
import type { TextureSource } from './completer.ts';

/** Longest side of the re-rendered photo: its render is paid once per world, but a huge focal length should not make it unbounded. */
const MAX_SIDE = 1024;

export interface TexturePicture {
  width: number;
  height: number;
  /** the intrinsics it was rendered with, at the first frame's pose */
  intrinsics: Intrinsics;
  pose: Pose;
  rgb: Float32Array;
  kind: Uint8Array;
}

const cache = new WeakMap<MemoryFrame, { fx: number; fy: number; farLimit: number; picture: TexturePicture | null }>();

/**
 * The world's first view as a texture source for a view at `pose` with intrinsics `k`; null when the
 * world has no first frame with splats. `farLimit`: rendered depth beyond it is sky (as expandView's).
 */
export function photoTextureSource(world: World, pose: Pose, k: Intrinsics, farLimit = 100, signal?: AbortSignal): TextureSource | null {
  const first = world.memory.frames[0];
  if (!first || first.splatCount === 0) return null;
  let entry = cache.get(first);
  // farLimit is part of the key: it decides which pixels are sky (kind), not only the focal length.
  if (!entry || entry.fx !== k.fx || entry.fy !== k.fy || entry.farLimit !== farLimit) {
    entry = { fx: k.fx, fy: k.fy, farLimit, picture: liftedPicture(world, first, k, farLimit) ?? renderFirstView(world, first, k, farLimit, signal) };
    cache.set(first, entry);
  }
  const p = entry.picture;
  if (!p) return null;
  return { width: p.width, height: p.height, rgb: p.rgb, kind: p.kind, row: matchingRows(p.pose, p.intrinsics, pose, k) };
}

/** The size and intrinsics of the first frame's picture at the focal length of `k` (same field of view), at most MAX_SIDE long. */
function pictureIntrinsics(g: Intrinsics, k: Intrinsics): Intrinsics {
  let sx = k.fx / g.fx, sy = k.fy / g.fy;
  const long = Math.max(g.width * sx, g.height * sy);
  if (long > MAX_SIDE) { sx *= MAX_SIDE / long; sy *= MAX_SIDE / long; }
  const width = Math.max(1, Math.round(g.width * sx)), height = Math.max(1, Math.round(g.height * sy));
  return scaleIntrinsics(g, width, height);
}

/**
 * A photo world's first frame without a render: generate lifts one splat per pixel in row order, each
 * at its pixel's ray, so those splats' colours ARE a picture of the frame and only need resampling to
 * the view's scale (tens of ms against 1.5x a render of the world). Null where the frame is not such a
 * grid (a frame lifted with a keep mask, a world read from a .ply whose splats lie elsewhere): each
 * splat must project into its own pixel.
 */
export function liftedPicture(world: World, first: MemoryFrame, k: Intrinsics, farLimit: number): TexturePicture | null {
  const g = first.intrinsics, n = g.width * g.height;
  if (first.splatCount !== n || first.splatStart + n > world.splats.count) return null;
  const { positions, colors } = world.splats;
  const R = first.pose.cameraFromWorld, [ex, ey, ez] = first.pose.position;
  const colour = new Float32Array(3 * n), sky = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const j = first.splatStart + i;
    const camera = apply3(R, [positions[3 * j] - ex, positions[3 * j + 1] - ey, positions[3 * j + 2] - ez]);
    const { u, v, depth } = projectCameraPoint(g, camera);
    if (!(depth > 0)) return null;
    if (Math.floor(u) !== i % g.width || Math.floor(v) !== Math.floor(i / g.width)) return null;
    for (let c = 0; c < 3; c++) colour[3 * i + c] = Math.min(1, Math.max(0, colors[3 * j + c]));
    sky[i] = depth > farLimit ? 1 : 0;
  }
  const blurred = footprintBlur(colour, g.width, g.height);
  const intrinsics = pictureIntrinsics(g, k);
  const { width, height } = intrinsics;
  const shrink = width <= g.width && height <= g.height;
  const resample = shrink ? areaDownsample : bilinearResample;
  const rgb = resample(blurred, g.width, g.height, 3, width, height);
  const skyShare = resample(sky, g.width, g.height, 1, width, height);
  const kind = new Uint8Array(width * height);
  for (let i = 0; i < kind.length; i++) kind[i] = skyShare[i] > 0.5 ? 1 : 0;
  return { width, height, intrinsics, pose: first.pose, rgb, kind };
}

/**
 * The splats' colours are not the photo: generate adjusts them (input-view-colours.ts) so that, drawn as
 * Gaussians sigma SIGMA_PER_PIXEL wide plus the renderer's low-pass, they give the photo back. So the grid
 * is blurred by that footprint (separable, 5 taps), which brings it within a few dB of the render of
 * the same splats instead of a sharpened photo (whose detail the synthesis would copy as too strong).
 */
function footprintBlur(rgb: Float32Array, width: number, height: number): Float32Array {
  const variance = SIGMA_PER_PIXEL * SIGMA_PER_PIXEL + RENDER_LOW_PASS;
  const t1 = Math.exp(-1 / (2 * variance)), t2 = Math.exp(-4 / (2 * variance)), norm = 1 + 2 * (t1 + t2);
  const w0 = 1 / norm, w1 = t1 / norm, w2 = t2 / norm;
  const rowLength = 3 * width;
  // Along rows (edges repeat their pixel), then across rows from five whole rows at a time: both passes
  // walk memory in order.
  const across = new Float32Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const row = y * rowLength;
    for (let x = 0; x < width; x++) {
      const l1 = row + 3 * Math.max(0, x - 1), l2 = row + 3 * Math.max(0, x - 2);
      const r1 = row + 3 * Math.min(width - 1, x + 1), r2 = row + 3 * Math.min(width - 1, x + 2);
      for (let c = 0; c < 3; c++) {
        across[row + 3 * x + c] = w0 * rgb[row + 3 * x + c] + w1 * (rgb[l1 + c] + rgb[r1 + c]) + w2 * (rgb[l2 + c] + rgb[r2 + c]);
      }
    }
  }
  const out = new Float32Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const o = y * rowLength;
    const u1 = Math.max(0, y - 1) * rowLength, u2 = Math.max(0, y - 2) * rowLength;
    const d1 = Math.min(height - 1, y + 1) * rowLength, d2 = Math.min(height - 1, y + 2) * rowLength;
    for (let i = 0; i < rowLength; i++) {
      out[o + i] = w0 * across[o + i] + w1 * (across[u1 + i] + across[d1 + i]) + w2 * (across[u2 + i] + across[d2 + i]);
    }
  }
  return out;
}

/** The first frame's splats rendered at its pose with the focal length of `k` (same field of view as it was generated with). */
export function renderFirstView(world: World, first: MemoryFrame, k: Intrinsics, farLimit: number, signal?: AbortSignal): TexturePicture | null {
  const g = first.intrinsics;
  const intrinsics = pictureIntrinsics(g, k);
  const { width, height } = intrinsics;
  const end = Math.min(world.splats.count, first.splatStart + first.splatCount);
  if (end <= first.splatStart) return null;
  // While the world is its first view alone (the first expansion), no copy of its splats is needed.
  let splats = world.splats;
  if (first.splatStart !== 0 || end !== world.splats.count) {
    const indices = new Int32Array(end - first.splatStart);
    for (let j = 0; j < indices.length; j++) indices[j] = first.splatStart + j;
    splats = world.splats.subset(indices);
  }
  const render = renderSplats(splats, first.pose, intrinsics, { signal });
  const n = width * height;
  const rgb = new Float32Array(3 * n), kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = render.alpha[i];
    // Half-covered pixels are the picture's edge: what they show is part background.
    if (!(a >= 0.5)) { kind[i] = 2; continue; }
    const d = render.depth[i];
    kind[i] = d > 0 && d <= farLimit ? 0 : 1;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.min(1, render.color[3 * i + c] / a);
  }
  return { width, height, intrinsics, pose: first.pose, rgb, kind };
}

/**
 * Per row of a picture taken at (`fromPose`, `from`): the row of the view at (`pose`, `k`) whose centre
 * column looks at the same elevation. Exact for cameras without roll (a turn on the spot, a tilt);
 * with roll it is the centre column's elevation, an approximation.
 */
export function matchingRows(fromPose: Pose, from: Intrinsics, pose: Pose, k: Intrinsics): Float32Array {
  const pitch = elevationOf(pose, k, k.cx, k.cy);
  const limit = (89 * Math.PI) / 180;
  const rows = new Float32Array(from.height);
  for (let r = 0; r < from.height; r++) {
    const off = Math.max(-limit, Math.min(limit, elevationOf(fromPose, from, from.cx, r + 0.5) - pitch));
    // Row v of the view (no roll): its centre column's elevation is pitch + atan((cy - v) / fy).
    rows[r] = k.cy - k.fy * Math.tan(off) - 0.5;
  }
  return rows;
}

/** Elevation (radians above the horizontal, world Y up) of the ray through pixel (u, v). */
function elevationOf(pose: Pose, k: Intrinsics, u: number, v: number): number {
  const ray = unprojectPixel(k, u, v, 1);
  const [, wy] = apply3(pose.worldFromCamera, ray);
  return Math.asin(Math.max(-1, Math.min(1, wy / Math.hypot(ray[0], ray[1], ray[2]))));
}
