/**
 * Surface normals in the camera frame (+X right, +Y up, +Z towards the viewer; see camera.ts), unit
 * length, facing the camera (n . P < 0 for the surface point P).
 */
import type { Intrinsics } from '../core/camera.ts';
import { EDGE_DOWN, EDGE_LEFT, EDGE_RIGHT, EDGE_UP } from './depth-edges.ts';

/**
 * Normals from a depth map: the cross product of the surface's tangents along image rows and columns.
 * A tangent never crosses a depth discontinuity: central differences where both neighbours are on
 * the same surface, one-sided where only one is; where neither is (a one-pixel sliver) or the depth is
 * infinite (sky), the normal faces the camera along the pixel's ray.
 * With `only`, just the pixels where it is non-zero get their normal (the rest stay 0): each normal
 * reads its own pixel's neighbourhood alone, so those come out as a whole map's would. A lift that
 * keeps part of its picture (an expansion's hole) reads no other.
 */
export function normalsFromDepth(depth: Float32Array, edges: Uint8Array, k: Intrinsics, only?: Uint8Array): Float32Array {
  const { width, height, fx, fy, cx, cy } = k;
  const normals = new Float32Array(3 * width * height);
  // Camera-space point of pixel (x, y) into p[0..2].
  const point = (x: number, y: number, p: Float64Array, at: number) => {
    const d = depth[y * width + x];
    p[at] = ((x + 0.5 - cx) / fx) * d;
    p[at + 1] = (-(y + 0.5 - cy) / fy) * d;
    p[at + 2] = -d;
  };
  const p = new Float64Array(12); // prev, next along a row; prev, next along a column
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (only !== undefined && only[i] === 0) continue;
      const e = edges[i];
      const d = depth[i];
      let ok = d > 0 && d < Infinity;
      let tux = 0, tuy = 0, tuz = 0, tvx = 0, tvy = 0, tvz = 0;
      if (ok) {
        const left = x > 0 && !(e & EDGE_LEFT), right = x + 1 < width && !(e & EDGE_RIGHT);
        const up = y > 0 && !(e & EDGE_UP), down = y + 1 < height && !(e & EDGE_DOWN);
        if ((left || right) && (up || down)) {
          point(left ? x - 1 : x, y, p, 0);
          point(right ? x + 1 : x, y, p, 3);
          point(x, up ? y - 1 : y, p, 6);
          point(x, down ? y + 1 : y, p, 9);
          tux = p[3] - p[0]; tuy = p[4] - p[1]; tuz = p[5] - p[2];
          tvx = p[9] - p[6]; tvy = p[10] - p[7]; tvz = p[11] - p[8];
        } else {
          ok = false;
        }
      }
      // n = t_v x t_u: t_u points right, t_v down, so for a fronto-parallel surface n = +Z.
      let nx = tvy * tuz - tvz * tuy, ny = tvz * tux - tvx * tuz, nz = tvx * tuy - tvy * tux;
      let len = Math.sqrt(nx * nx + ny * ny + nz * nz);
      if (!ok || !(len > 0) || !Number.isFinite(len)) {
        // Along the ray, towards the camera.
        nx = -((x + 0.5 - cx) / fx); ny = (y + 0.5 - cy) / fy; nz = 1;
        len = Math.sqrt(nx * nx + ny * ny + nz * nz);
      }
      writeFacingCamera(normals, i, nx / len, ny / len, nz / len, x + 0.5, y + 0.5, k);
    }
  }
  return normals;
}

/**
 * Normals given per pixel (by a model, already at this resolution): normalised and turned to face
 * the camera; a missing or degenerate one faces the camera along the ray.
 */
export function normalsFromModel(given: Float32Array, k: Intrinsics): Float32Array {
  const { width, height, fx, fy, cx, cy } = k;
  const normals = new Float32Array(3 * width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let nx = given[3 * i], ny = given[3 * i + 1], nz = given[3 * i + 2];
      let len = Math.sqrt(nx * nx + ny * ny + nz * nz);
      if (!(len > 1e-6) || !Number.isFinite(len)) {
        nx = -((x + 0.5 - cx) / fx); ny = (y + 0.5 - cy) / fy; nz = 1;
        len = Math.sqrt(nx * nx + ny * ny + nz * nz);
      }
      writeFacingCamera(normals, i, nx / len, ny / len, nz / len, x + 0.5, y + 0.5, k);
    }
  }
  return normals;
}

/** Writes n, flipped if it faces away from the camera (n . ray > 0). */
function writeFacingCamera(out: Float32Array, i: number, nx: number, ny: number, nz: number, u: number, v: number, k: Intrinsics): void {
  const rx = (u - k.cx) / k.fx, ry = -(v - k.cy) / k.fy; // rz = -1
  const s = nx * rx + ny * ry - nz > 0 ? -1 : 1;
  out[3 * i] = s * nx;
  out[3 * i + 1] = s * ny;
  out[3 * i + 2] = s * nz;
}
