/**
 * The texture source of an expansion (PartialView.texture, issue #5): the world's first view - the
 * photo - re-rendered from its own splats at the new view's pixel scale, with each pixel's class
 * (surface, sky, not covered) and, per row, the row of the new view at the same elevation.
 *
 * Why: the texture synthesis (texture-synthesis.ts) copies detail from known patches. Where a full turn
 * closes, the new view's known pixels are mostly earlier fills, which are smooth, so a fill that copies
 * only from them stays a smooth band beside the sharp photo (docs/grow, turn-180-330.png).
 *
 * Why a render and not the memory's picture: the memory keeps each frame at 128 px (posed-frame-memory.ts),
 * 4x below a 512 px view, and the 8 px patches need the detail that size throws away. Rendering only the
 * first frame's own splats (its splat range) gives back the photo at the generated size (37 dB in
 * bench/generate), needs nothing new in the memory or the bundle (old bundles get it too), and those
 * splats never change, so the render is made once per world and focal length and kept.
 */
import { type Intrinsics, type Pose, unprojectPixel } from '../../core/camera.ts';
import { apply3 } from '../../core/mat3.ts';
import { renderSplats } from '../../render/rasterizer.ts';
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
    entry = { fx: k.fx, fy: k.fy, farLimit, picture: renderFirstView(world, first, k, farLimit, signal) };
    cache.set(first, entry);
  }
  const p = entry.picture;
  if (!p) return null;
  return { width: p.width, height: p.height, rgb: p.rgb, kind: p.kind, row: matchingRows(p.pose, p.intrinsics, pose, k) };
}

/** The first frame's splats rendered at its pose with the focal length of `k` (same field of view as it was generated with). */
export function renderFirstView(world: World, first: MemoryFrame, k: Intrinsics, farLimit: number, signal?: AbortSignal): TexturePicture | null {
  const g = first.intrinsics;
  let sx = k.fx / g.fx, sy = k.fy / g.fy;
  const long = Math.max(g.width * sx, g.height * sy);
  if (long > MAX_SIDE) { sx *= MAX_SIDE / long; sy *= MAX_SIDE / long; }
  const width = Math.max(1, Math.round(g.width * sx)), height = Math.max(1, Math.round(g.height * sy));
  const intrinsics: Intrinsics = { width, height, fx: g.fx * (width / g.width), fy: g.fy * (height / g.height), cx: g.cx * (width / g.width), cy: g.cy * (height / g.height) };
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
