/**
 * A synthetic outdoor scene whose every view is known exactly, for the expansion tests and benchmark:
 * a textured ground plane (y = 0), textured boxes standing on it all around the origin, and a sky
 * (a gradient by elevation with soft clouds). Views are ray cast, not rendered from splats, so they
 * are an independent truth: colour (sRGB 0..1, 2x2 supersampled) and depth along the view axis
 * (0 = sky) at any pose.
 */
import { type Intrinsics, Pose } from '../../core/camera.ts';
import { seededRandom } from '../../core/random.ts';
import type { RgbImage } from '../../core/image.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { liftToSplats } from '../lift.ts';
import { World } from '../world.ts';

export interface SceneBox {
  min: Vec3;
  max: Vec3;
  /** base sRGB colour, modulated by a texture */
  colour: Vec3;
}

export interface SyntheticScene {
  boxes: SceneBox[];
  seed: number;
}

/** Boxes around the origin at 6-18 m in every direction (so a 360 degree turn always sees some), seeded. */
export function courtyardScene(seed = 1, count = 14): SyntheticScene {
  const random = seededRandom(seed);
  const boxes: SceneBox[] = [];
  for (let b = 0; b < count; b++) {
    const angle = (2 * Math.PI * (b + 0.3 * random())) / count;
    const distance = 6 + 12 * random();
    const cx = Math.sin(angle) * distance, cz = -Math.cos(angle) * distance;
    const sx = 0.5 + 2 * random(), sz = 0.5 + 2 * random(), sy = 0.8 + 4 * random();
    boxes.push({
      min: [cx - sx / 2, 0, cz - sz / 2],
      max: [cx + sx / 2, sy, cz + sz / 2],
      colour: [0.3 + 0.6 * random(), 0.3 + 0.6 * random(), 0.3 + 0.6 * random()],
    });
  }
  return { boxes, seed };
}

export interface CastView {
  width: number;
  height: number;
  /** sRGB 0..1, 3 per pixel */
  rgb: Float32Array;
  /** metres along the view axis at the pixel centre; 0 = sky */
  depth: Float32Array;
}

/** Ray casts the scene from `pose` with intrinsics `k` (colour averaged over 2x2 rays per pixel). */
export function castView(scene: SyntheticScene, pose: Pose, k: Intrinsics): CastView {
  const { width, height } = k;
  const rgb = new Float32Array(3 * width * height), depth = new Float32Array(width * height);
  const m = pose.worldFromCamera, e = pose.position;
  const hit = { t: 0, colour: [0, 0, 0] as Vec3 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      for (let s = 0; s < 5; s++) {
        // Sample 0 is the pixel centre (for depth); 1-4 the 2x2 grid averaged for colour.
        const u = x + (s === 0 ? 0.5 : s === 1 || s === 3 ? 0.25 : 0.75), v = y + (s === 0 ? 0.5 : s <= 2 ? 0.25 : 0.75);
        const cx = (u - k.cx) / k.fx, cy = -(v - k.cy) / k.fy; // camera ray with unit depth (z = -1)
        const d: Vec3 = [m[0] * cx + m[1] * cy - m[2], m[3] * cx + m[4] * cy - m[5], m[6] * cx + m[7] * cy - m[8]];
        trace(scene, e, d, hit);
        if (s === 0) { depth[i] = Number.isFinite(hit.t) ? hit.t : 0; continue; }
        for (let c = 0; c < 3; c++) rgb[3 * i + c] += 0.25 * hit.colour[c];
      }
    }
  }
  return { width, height, rgb, depth };
}

export function toRgbImage(view: CastView): RgbImage {
  const data = new Uint8Array(view.rgb.length);
  for (let j = 0; j < data.length; j++) data[j] = Math.round(255 * Math.min(1, Math.max(0, view.rgb[j])));
  return { width: view.width, height: view.height, data };
}

/**
 * Nearest hit along eye + t d (d has unit depth along the view axis, so t is the depth): t and colour,
 * or t = Infinity and the sky's colour.
 */
function trace(scene: SyntheticScene, e: Vec3, d: Vec3, out: { t: number; colour: Vec3 }): void {
  let best = Infinity, kind = 0, face = 0, which = -1;
  if (d[1] < 0) { best = -e[1] / d[1]; kind = 1; }
  for (let b = 0; b < scene.boxes.length; b++) {
    const box = scene.boxes[b];
    let tNear = -Infinity, tFar = Infinity, axisNear = 0;
    for (let a = 0; a < 3; a++) {
      const inv = 1 / d[a];
      let t1 = (box.min[a] - e[a]) * inv, t2 = (box.max[a] - e[a]) * inv;
      if (t1 > t2) [t1, t2] = [t2, t1];
      if (t1 > tNear) { tNear = t1; axisNear = a; }
      if (t2 < tFar) tFar = t2;
    }
    if (tNear <= tFar && tNear > 1e-6 && tNear < best) { best = tNear; kind = 2; face = axisNear; which = b; }
  }
  out.t = best;
  if (kind === 0) { skyColour(d, out.colour); return; }
  const px = e[0] + best * d[0], py = e[1] + best * d[1], pz = e[2] + best * d[2];
  if (kind === 1) {
    // Ground: grass-and-stone value noise, octaves from 4 m down to 0.25 m.
    const n = fbm(px, pz, 0.25, 4, scene.seed);
    const stones = fbm(px + 100, pz, 1, 2, scene.seed + 7) > 0.15 ? 1 : 0;
    out.colour[0] = 0.33 + 0.25 * n + 0.2 * stones;
    out.colour[1] = 0.45 + 0.25 * n + 0.12 * stones;
    out.colour[2] = 0.22 + 0.15 * n + 0.2 * stones;
    return;
  }
  const box = scene.boxes[which];
  // Faces: texture in the face's plane, a little darker on faces along x (a fixed light direction).
  const [a, b] = face === 0 ? [pz, py] : face === 1 ? [px, pz] : [px, py];
  const n = fbm(a + 31 * which, b, 0.2, 3, scene.seed + which);
  const shade = face === 0 ? 0.8 : face === 1 ? 1.1 : 1;
  for (let c = 0; c < 3; c++) out.colour[c] = Math.min(1, Math.max(0, shade * box.colour[c] * (0.75 + 0.5 * n)));
}

function skyColour(d: Vec3, out: Vec3): void {
  const len = Math.hypot(d[0], d[1], d[2]);
  const up = Math.max(0, d[1] / len);
  // Soft clouds on the unit direction, blended over a blue gradient that pales toward the horizon.
  const cloud = Math.max(0, fbm(8 * d[0] / len, 8 * d[2] / len + 3 * up, 1, 3, 99));
  out[0] = 0.55 - 0.3 * up + 0.5 * cloud;
  out[1] = 0.7 - 0.2 * up + 0.45 * cloud;
  out[2] = 0.95 - 0.05 * up + 0.05 * cloud;
  for (let c = 0; c < 3; c++) out[c] = Math.min(1, out[c]);
}

/** Fractal value noise in about -0.5..0.5: octaves of `cell` metres doubling up to `largest`. */
function fbm(x: number, y: number, cell: number, largest: number, seed: number): number {
  let sum = 0, amplitude = 0.5, total = 0;
  for (let size = largest; size >= cell; size /= 2) {
    sum += amplitude * valueNoise(x / size, y / size, seed);
    total += amplitude;
    amplitude *= 0.6;
  }
  return sum / total;
}

function valueNoise(x: number, y: number, seed: number): number {
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const tx = x - x0, ty = y - y0;
  const sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
  const a = lattice(x0, y0, seed), b = lattice(x0 + 1, y0, seed), c = lattice(x0, y0 + 1, seed), d = lattice(x0 + 1, y0 + 1, seed);
  return a + sx * (b - a) + sy * (c + sx * (d - c) - a - sx * (b - a));
}

/** Integer hash of a lattice point to -0.5..0.5. */
function lattice(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) ^ Math.imul(y, 668265263) ^ Math.imul(seed, 2147483647);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 - 0.5;
}

/** The pose of a camera at `eye` turned `yawDegrees` to the left (counter-clockwise seen from above) from looking down -Z. */
export function yawPose(eye: Vec3, yawDegrees: number): Pose {
  const a = (yawDegrees * Math.PI) / 180;
  return Pose.lookAt(eye, [eye[0] - Math.sin(a), eye[1], eye[2] - Math.cos(a)]);
}

/** The world a perfect depth model would make of the scene's view from `pose`: its lift, remembered as the first frame. */
export function worldFromView(scene: SyntheticScene, pose: Pose, k: Intrinsics): World {
  const view = castView(scene, pose, k);
  const image = toRgbImage(view);
  const depth = { width: k.width, height: k.height, data: view.depth };
  const splats = liftToSplats({ image, depth, intrinsics: k, pose }, { maxLongSide: Math.max(k.width, k.height) });
  const world = World.empty();
  world.append({ pose, intrinsics: k, image, depth }, splats);
  return world;
}
