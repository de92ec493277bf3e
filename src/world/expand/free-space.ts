/**
 * Free space: what the remembered views saw through. A view that saw a surface at depth D along a
 * pixel's ray saw nothing in front of it, and one that saw sky saw nothing all the way out. A new
 * splat put in that space shows in front of what the view saw, so the place looks different when the
 * camera comes back: the one thing expansion must never do (issue #5).
 *
 * The completer cannot know this. Orbiting the sample photo's world (`explore --path orbit`), a stop
 * that looked back across the photo's view from the side filled its hole with a surface in front of
 * the boats, and after the tour the photo's own pose rendered 83% of its pixels differently (11.5 dB
 * against itself).
 *
 * So a hole pixel whose completed surface lies well in front of what a remembered view saw there, or
 * against its sky, becomes sky: its colour goes to the new view's sky shell, behind everything any
 * view saw (skyShellRadius), and the new view still shows it where the completer put it. A point only
 * a little in front (it would be behind every seen surface at 1.25x its depth or less) stays: walking
 * towards a surface, the stop refines it at the depth the world renders there, a blend of the old
 * coarse splats 5-15% nearer than the frames' own depth; made sky, 720 of the 860 hole pixels of the
 * second stop of a walk into a .ply's courtyard were, and 7.4% of that view stayed unknown.
 * Orbiting the sample photo's world, the photo's pose after the tour: 11.5 dB and 83% of pixels
 * changed by more than 8 levels before, 28.8 dB and 6.3% now; every point made sky, 29.5 dB and 6.1%.
 * Tried and not kept: pushing each point back along its ray to just behind the seen surface. Far
 * pushes, lifted in a depth map full of steps, made large faint splats that veiled the old views
 * again; near ones hid the refinement behind the old coarse splats it was meant to replace.
 *
 * Free space is read from each frame's stored depth (128 px, point-sampled) at the pixel the point
 * projects into: in front of it by more than `tolerance`, or anywhere where the frame saw sky (depth 0
 * with a confidence above 0). A fill that continues a surface the frame saw lands within the tolerance.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import { type FrameView, projectIntoFrame } from '../coverage/view-quality.ts';
import { DEFAULT_SKY_DISTANCE } from '../lift.ts';

export interface FreeSpaceOptions {
  /** depth beyond this is sky already (the lift's far shell); default 100, as lift's farLimit */
  farLimit?: number;
  /** a point this much (relative) in front of a frame's stored depth is in its free space; default 0.03 */
  tolerance?: number;
  /**
   * a point that would be behind every surface the frames saw (by `tolerance`) at this factor of its
   * depth or less stays where it is; default 1.25 (see the header)
   */
  near?: number;
}

export interface FreeSpaceResult {
  /** hole pixels in some frame's free space but near what it saw, left where they are */
  near: number;
  /** hole pixels made sky */
  sky: number;
}

/** Below this distance along a frame's axis a point is at its eye, not in its picture. */
const NEAR = 1e-3;

/**
 * Makes sky (0), in place, of the hole pixels (mask != 0) of a view at `pose` whose surface depth
 * (metres along the view axis, 0 = sky) lies in the free space of any of `frames` and not near what
 * they saw (the header says what both mean). Returns how many pixels were judged each way.
 */
export function skyWhereSeenThrough(
  depth: Float32Array, mask: Uint8Array, pose: Pose, k: Intrinsics, frames: readonly FrameView[], options: FreeSpaceOptions = {},
): FreeSpaceResult {
  const farLimit = options.farLimit ?? 100, tolerance = options.tolerance ?? 0.03, near = options.near ?? 1.25;
  if (!(farLimit > 0 && tolerance >= 0 && tolerance < 1 && near >= 1)) {
    throw new Error(`free space: expected farLimit > 0, tolerance in [0, 1) and near >= 1, found ${farLimit}, ${tolerance} and ${near}`);
  }
  const result: FreeSpaceResult = { near: 0, sky: 0 };
  if (frames.length === 0) return result;
  const { width, height, fx, fy, cx, cy } = k;
  const m = pose.worldFromCamera, [ex, ey, ez] = pose.position;
  const ray = new Float64Array(3);
  const behind = (t: number) => behindSeen(frames, t, ex + ray[0] * t, ey + ray[1] * t, ez + ray[2] * t, ray, tolerance);
  for (let y = 0; y < height; y++) {
    const ry = -(y + 0.5 - cy) / fy;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const d = depth[p];
      if (mask[p] === 0 || !(d > 0 && d <= farLimit)) continue;
      // The world step per metre of depth along this pixel's ray (lift.ts unprojects the same way).
      const rx = (x + 0.5 - cx) / fx;
      ray[0] = m[0] * rx + m[1] * ry - m[2];
      ray[1] = m[3] * rx + m[4] * ry - m[5];
      ray[2] = m[6] * rx + m[7] * ry - m[8];
      let t = behind(d);
      if (t === -Infinity) continue;
      // How far back it would have to go: a few rounds, since out of one frame's free space can be
      // into another's.
      for (let round = 1; round < ROUNDS && t <= d * near; round++) {
        const further = behind(t);
        if (further === -Infinity) break;
        t = further;
      }
      if (t <= d * near && behind(t) === -Infinity) result.near++;
      else { depth[p] = 0; result.sky++; }
    }
  }
  return result;
}

/** Rounds of "behind what that frame saw" before a point counts as far in front of what was seen. */
const ROUNDS = 3;

const projected = new Float64Array(3);

/**
 * Where along the ray (in the units of `t`, the point's depth in its own view) the point at t lies
 * just behind every surface the frames saw in front of it: -Infinity when no frame saw through it,
 * Infinity when one saw sky there or cannot be left by going further (a ray running towards or across
 * that frame's view), else the furthest of the frames' answers. Free space is read from the frame's
 * stored depth at the pixel the point projects into (point-sampled at 128 px): in front of it by more
 * than `tolerance`; "just behind" is `tolerance` behind it, where the frame's own splats hide the point.
 */
function behindSeen(frames: readonly FrameView[], t: number, px: number, py: number, pz: number, ray: Float64Array, tolerance: number): number {
  let needed = -Infinity;
  for (let f = 0; f < frames.length; f++) {
    const view = frames[f], r = view.r, frame = view.frame;
    if (!projectIntoFrame(view, px, py, pz, NEAR, projected)) continue;
    const z = projected[2];
    const at = Math.floor(projected[1]) * frame.width + Math.floor(projected[0]), stored = frame.depth[at];
    // Depth 0 is sky (seen through), unless confidence 0 says the view saw nothing there (explore's
    // first view of a .ply, rendered from its splats, where they leave a gap).
    if (stored === 0) {
      if (frame.confidence[at] > 0) return Infinity;
      continue;
    }
    if (!(z < stored * (1 - tolerance))) continue;
    // The frame's depth of the point grows by `growth` per unit of t along the ray.
    const growth = -(r[6] * ray[0] + r[7] * ray[1] + r[8] * ray[2]);
    if (!(growth > 0)) return Infinity;
    const hidden = t + (stored * (1 + tolerance) - z) / growth;
    if (hidden > needed) needed = hidden;
  }
  return needed;
}

/** Shells stop growing here, well inside the viewer's far plane (5 km). */
export const MAX_SKY_SHELL = 2000;
const shellOf = new WeakMap<object, number>();

/**
 * The radius of the sky shell for a view from `eye` that lies behind the shell of every remembered
 * view: a sphere of radius R round eye e lies wholly outside one of radius Rf round ef when
 * R >= Rf + |e - ef|. A view a few metres off the first eye would otherwise cut through the older
 * shells, and the sky made of its fills (above) would speckle their skies. Each frame's radius follows
 * from the frames before it by the same rule, so nothing is stored; views from one eye (a turn) keep
 * the first radius. Capped at MAX_SKY_SHELL.
 */
export function skyShellRadius(frames: readonly { pose: Pose }[], eye: readonly number[]): number {
  const radii: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    let r = shellOf.get(frames[i]);
    if (r === undefined) {
      r = shellAround(frames, i, frames[i].pose.position, radii);
      shellOf.set(frames[i], r);
    }
    radii.push(r);
  }
  return shellAround(frames, frames.length, eye, radii);
}

/** The radius round `eye` that clears the shells of frames[0..count). */
function shellAround(frames: readonly { pose: Pose }[], count: number, eye: readonly number[], radii: readonly number[]): number {
  let r = DEFAULT_SKY_DISTANCE; // the first views' shell: the lift's default
  for (let j = 0; j < count; j++) {
    const e = frames[j].pose.position;
    const need = radii[j] + Math.hypot(eye[0] - e[0], eye[1] - e[1], eye[2] - e[2]);
    if (need > r) r = need;
  }
  return Math.min(MAX_SKY_SHELL, r);
}
