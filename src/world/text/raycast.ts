/**
 * Ray casting a procedural scene from any camera: per pixel, the nearest surface along the ray
 * through the pixel centre (camera.ts convention), shaded (sun or moon with shadows, hemisphere
 * ambient, point lights, emission, sky reflections, distance fog), tone-mapped and sRGB-encoded.
 * Depth is metres along the view axis, 0 where the ray sees sky.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import { skyColour } from './environment.ts';
import { albedoAt } from './materials.ts';
import { mix, noise2, smoothstep } from './noise.ts';
import type { Scene } from './scene.ts';

/** Rays give up beyond this distance (metres): what lies further is sky. */
export const FAR = 400;

export interface RaycastView {
  width: number;
  height: number;
  /** sRGB-encoded 0..1, 3 per pixel, row-major from the top-left */
  rgb: Float32Array;
  /** metres along the view axis; 0 = sky */
  depth: Float32Array;
  /** unit surface normals in the camera frame (+Z towards the viewer), 3 per pixel; 0 on sky */
  normals: Float32Array;
}

/** What a ray met. kind: 0 sky, 1 primitive, 2 ground, 3 water. */
export interface Hit {
  t: number;
  kind: number;
  prim: number;
}

const hitT = new Float64Array(1);

/** Nearest surface along o + t d (d unit) in (tMin, tMax). */
export function traceRay(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number, hit: Hit): void {
  let best = tMax, kind = 0, which = -1;
  const prims = scene.prims;
  if (scene.bvh) {
    which = scene.bvh.trace(ox, oy, oz, dx, dy, dz, tMin, tMax, hitT, false);
    if (which >= 0) { best = hitT[0]; kind = 1; }
  }
  for (let i = 0; i < (scene.bvh ? 0 : prims.length); i++) {
    const p = prims[i];
    if (missesBound(p, ox, oy, oz, dx, dy, dz, tMin, best)) continue;
    const t = p.intersect(ox, oy, oz, dx, dy, dz, tMin, best);
    if (t < best) { best = t; kind = 1; which = i; }
  }
  if (scene.water && dy < 0) {
    const t = (scene.water.level - oy) / dy;
    if (t > tMin && t < best) { best = t; kind = 3; which = -1; }
  }
  if (scene.terrain) {
    const t = scene.terrain.intersect(ox, oy, oz, dx, dy, dz, tMin, best);
    if (t < best) { best = t; kind = 2; which = -1; }
  }
  hit.t = kind === 0 ? Infinity : best;
  hit.kind = kind;
  hit.prim = which;
}

/**
 * Whether o + t d, t in (tMin, tMax), surely misses p's bounding sphere: the cheap test before the exact
 * one (distance of the sphere's centre from the ray, and whether the sphere lies within the interval).
 */
function missesBound(p: Scene['prims'][number], ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): boolean {
  const cx = p.bx - ox, cy = p.by - oy, cz = p.bz - oz;
  const tc = cx * dx + cy * dy + cz * dz;
  const r = p.br;
  if (tc + r < tMin || tc - r > tMax) return true;
  return cx * cx + cy * cy + cz * cz - tc * tc > r * r;
}

/** Whether anything that casts shadows lies along o + t d for t in (tMin, tMax). */
function occluded(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): boolean {
  if (scene.bvh) return scene.bvh.trace(ox, oy, oz, dx, dy, dz, tMin, tMax, hitT, true) >= 0;
  const prims = scene.prims;
  for (let i = 0; i < prims.length; i++) {
    const p = prims[i];
    if (!p.castsShadow || missesBound(p, ox, oy, oz, dx, dy, dz, tMin, tMax)) continue;
    if (p.intersect(ox, oy, oz, dx, dy, dz, tMin, tMax) < tMax) return true;
  }
  return false;
}

const SNOW: [number, number, number] = [0.82, 0.86, 0.93];

/**
 * Linear radiance seen along a ray into out[0..2] (fog included); returns the hit distance along
 * the ray (Infinity for sky) and writes the world normal into n[0..2].
 */
export function shadeRay(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, out: Float64Array, n: Float64Array, scratch: Float64Array, hit: Hit): number {
  const env = scene.env;
  traceRay(scene, ox, oy, oz, dx, dy, dz, 1e-4, FAR, hit);
  if (hit.kind === 0) {
    skyColour(env, dx, dy, dz, out);
    if (env.fogDensity > 0.02) {
      // Thick fog hides the sky too, most near the horizon.
      const k = 1 - smoothstep(0, 0.6, Math.max(dy, 0)) * 0.35;
      out[0] = mix(out[0], env.fogColour[0], k); out[1] = mix(out[1], env.fogColour[1], k); out[2] = mix(out[2], env.fogColour[2], k);
    }
    n[0] = 0; n[1] = 0; n[2] = 0;
    return Infinity;
  }
  const t = hit.t;
  const px = ox + t * dx, py = oy + t * dy, pz = oz + t * dz;
  let matIndex: number;
  if (hit.kind === 1) {
    const p = scene.prims[hit.prim];
    p.normal(px, py, pz, n);
    matIndex = p.materialAt(n[0], n[1], n[2]);
  } else if (hit.kind === 2) {
    scene.terrain!.normal(px, pz, n);
    const tm = scene.terrainMaterials!;
    // Mountains: rock on steep slopes, snow up high; the jitter keeps the borders from looking ruled.
    const jitter = 6 * (noise2(px * 0.1, pz * 0.1, scene.seed + 9) - 0.5);
    matIndex = n[1] < 0.78 + jitter * 0.02 ? tm.rock : py + jitter > 38 ? tm.high : tm.low;
  } else {
    n[0] = 0; n[1] = 1; n[2] = 0;
    matIndex = scene.water!.material;
  }
  // Face the viewer (both sides of a surface are lit as its front).
  if (n[0] * dx + n[1] * dy + n[2] * dz > 0) { n[0] = -n[0]; n[1] = -n[1]; n[2] = -n[2]; }
  const nx = n[0], ny = n[1], nz = n[2];
  const m = scene.materials[matIndex];
  albedoAt(m, px, py, pz, nx, ny, nz, scratch);
  let ar = scratch[0], ag = scratch[1], ab = scratch[2];
  const emission = scratch[3];
  let reflect = scratch[4];
  const outdoor = !scene.indoor;
  if (outdoor && scene.spec.snow && ny > 0.1 && hit.kind !== 3 && emission === 0) {
    // Snow settles on what faces up; on foliage (steep cones) it clings in patches.
    const n = noise2(px * 1.3, pz * 1.3 + py * 1.7, scene.seed + 5) - 0.5;
    const s = m.pattern === 'leaves' ? 0.85 * smoothstep(0.0, 0.25, ny + 0.5 * n) : smoothstep(0.5, 0.8, ny + 0.3 * n);
    ar = mix(ar, SNOW[0], s); ag = mix(ag, SNOW[1], s); ab = mix(ab, SNOW[2], s);
  }
  if (outdoor && env.wet && ny > 0.7 && hit.kind !== 3) {
    ar *= 0.6; ag *= 0.6; ab *= 0.6;
    if (hit.kind === 2 && noise2(px * 1.2, pz * 1.2, scene.seed + 13) > 0.75) reflect = 0.25; // puddles
  }
  // Direct light from the sun or moon.
  const eps = 1e-3 * (1 + t);
  const qx = px + nx * eps, qy = py + ny * eps, qz = pz + nz * eps;
  let lr = 0, lg = 0, lb = 0;
  if (outdoor) {
    const sun = env.sun, sx = sun[0], sy = sun[1], sz = sun[2];
    const ndl = nx * sx + ny * sy + nz * sz;
    if (ndl > 0 && !(env.shadows && occluded(scene, qx, qy, qz, sx, sy, sz, 0, 120))) {
      lr += env.sunColour[0] * ndl; lg += env.sunColour[1] * ndl; lb += env.sunColour[2] * ndl;
    }
  }
  const up = 0.5 + 0.5 * ny, down = 0.5 - 0.5 * ny;
  lr += env.ambientSky[0] * up + env.ambientGround[0] * down;
  lg += env.ambientSky[1] * up + env.ambientGround[1] * down;
  lb += env.ambientSky[2] * up + env.ambientGround[2] * down;
  const lights = scene.lights;
  for (let li = 0; li < lights.length; li++) {
    const light = lights[li];
    let lx = light.x - qx, ly = light.y - qy, lz = light.z - qz;
    const d2 = lx * lx + ly * ly + lz * lz;
    if (d2 > light.reach * light.reach) continue;
    const dist = Math.sqrt(d2);
    lx /= dist; ly /= dist; lz /= dist;
    const ndl = nx * lx + ny * ly + nz * lz;
    if (ndl <= 0) continue;
    const f = (light.intensity * ndl) / (d2 + 1);
    if (f < 0.003) continue; // invisible after tone mapping; spares the shadow ray
    // A shadow ray only where the light matters (its shadow would be visible).
    if (light.shadows && f > 0.03 && occluded(scene, qx, qy, qz, lx, ly, lz, 0, dist - 0.05)) continue;
    lr += light.colour[0] * f; lg += light.colour[1] * f; lb += light.colour[2] * f;
  }
  let r = ar * lr, g = ag * lg, b = ab * lb;
  if (emission > 0) {
    // Lamps and lit windows glow by their own colour, more so as it gets dark.
    const e = m.pattern === 'facade' ? emission * env.glow : emission;
    r += ar * e; g += ag * e; b += ab * e;
  }
  if (reflect > 0) {
    const cosi = -(dx * nx + dy * ny + dz * nz);
    const fresnel = reflect * (0.15 + 0.85 * Math.pow(1 - Math.max(0, cosi), 4));
    const rx = dx + 2 * cosi * nx, ry = dy + 2 * cosi * ny, rz = dz + 2 * cosi * nz;
    if (outdoor) skyColour(env, rx, Math.abs(ry), rz, scratch);
    else { scratch[0] = env.ambientSky[0]; scratch[1] = env.ambientSky[1]; scratch[2] = env.ambientSky[2]; }
    r = mix(r, scratch[0], fresnel); g = mix(g, scratch[1], fresnel); b = mix(b, scratch[2], fresnel);
  }
  if (outdoor || env.fogDensity > 0.02) {
    const f = 1 - Math.exp(-env.fogDensity * t * (outdoor ? 1 : 0.3));
    r = mix(r, env.fogColour[0], f); g = mix(g, env.fogColour[1], f); b = mix(b, env.fogColour[2], f);
  }
  out[0] = r; out[1] = g; out[2] = b;
  return t;
}

/** Linear radiance -> displayed sRGB 0..1: exposure, a soft shoulder (1 - e^-x), the sRGB curve. */
export function toDisplay(v: number, exposure: number): number {
  const x = 1 - Math.exp(-Math.max(0, v) * exposure);
  return x <= 0.0031308 ? 12.92 * x : 1.055 * Math.pow(x, 1 / 2.4) - 0.055;
}

/** The scene as a camera at `pose` with intrinsics `k` sees it, one ray per pixel centre. */
export function raycastView(scene: Scene, pose: Pose, k: Intrinsics, signal?: AbortSignal, onProgress?: (fraction: number) => void): RaycastView {
  const { width, height, fx, fy, cx, cy } = k;
  const rgb = new Float32Array(3 * width * height);
  const depth = new Float32Array(width * height);
  const normals = new Float32Array(3 * width * height);
  const R = pose.worldFromCamera;
  const [ox, oy, oz] = pose.position;
  const out = new Float64Array(3), n = new Float64Array(3), scratch = new Float64Array(5);
  const hit: Hit = { t: 0, kind: 0, prim: -1 };
  const exposure = scene.env.exposure;
  for (let y = 0; y < height; y++) {
    if ((y & 15) === 0) {
      signal?.throwIfAborted();
      onProgress?.(y / height);
    }
    const ry = -(y + 0.5 - cy) / fy;
    for (let x = 0; x < width; x++) {
      const rx = (x + 0.5 - cx) / fx;
      // Camera ray (rx, ry, -1), unit length, into the world.
      const len = Math.sqrt(rx * rx + ry * ry + 1);
      const cxr = rx / len, cyr = ry / len, czr = -1 / len;
      const dx = R[0] * cxr + R[1] * cyr + R[2] * czr;
      const dy = R[3] * cxr + R[4] * cyr + R[5] * czr;
      const dz = R[6] * cxr + R[7] * cyr + R[8] * czr;
      const t = shadeRay(scene, ox, oy, oz, dx, dy, dz, out, n, scratch, hit);
      const i = y * width + x;
      rgb[3 * i] = toDisplay(out[0], exposure);
      rgb[3 * i + 1] = toDisplay(out[1], exposure);
      rgb[3 * i + 2] = toDisplay(out[2], exposure);
      if (t < Infinity) {
        depth[i] = t / len; // along the view axis: the ray's camera z is -1/len per unit length
        // World normal into the camera frame: R^T n.
        normals[3 * i] = R[0] * n[0] + R[3] * n[1] + R[6] * n[2];
        normals[3 * i + 1] = R[1] * n[0] + R[4] * n[1] + R[7] * n[2];
        normals[3 * i + 2] = R[2] * n[0] + R[5] * n[1] + R[8] * n[2];
      }
    }
  }
  return { width, height, rgb, depth, normals };
}
