/**
 * Real spherical harmonics as 3D Gaussian Splatting uses them (same basis order and signs as the
 * reference CUDA rasterizer), so coefficients read from any 3DGS file mean the same thing here.
 *
 * In a SplatCloud the degree-0 term is folded into `colors` (colour = 0.5 + SH_C0 * f_dc) and the
 * higher-order ("rest") coefficients live in `sh`, laid out [splat][coefficient][rgb], expressed in the
 * program's own world axes.
 */
import type { Mat3 } from './mat3.ts';

export const SH_C0 = 0.28209479177387814;
const C1 = 0.4886025119029199;
const C2 = [1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792, 0.5462742152960396];
const C3 = [
  -0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154, -0.4570457994644658,
  1.445305721320277, -0.5900435899266435,
];

export type ShDegree = 0 | 1 | 2 | 3;

/** Number of rest coefficients (per colour channel) for a degree: 0, 3, 8, 15. */
export const shRestCount = (degree: number): number => (degree + 1) * (degree + 1) - 1;

/** Degree for a count of rest coefficients per channel, or -1 when the count matches no degree. */
export function shDegreeForRestCount(count: number): ShDegree | -1 {
  for (const d of [0, 1, 2, 3] as const) if (shRestCount(d) === count) return d;
  return -1;
}

/**
 * Writes the rest basis functions (without the DC term) for unit direction (x, y, z) into `out`
 * (length >= shRestCount(degree)).
 */
export function shBasisRest(degree: number, x: number, y: number, z: number, out: Float64Array | number[]): void {
  if (degree < 1) return;
  out[0] = -C1 * y;
  out[1] = C1 * z;
  out[2] = -C1 * x;
  if (degree < 2) return;
  const xx = x * x, yy = y * y, zz = z * z, xy = x * y, yz = y * z, xz = x * z;
  out[3] = C2[0] * xy;
  out[4] = C2[1] * yz;
  out[5] = C2[2] * (2 * zz - xx - yy);
  out[6] = C2[3] * xz;
  out[7] = C2[4] * (xx - yy);
  if (degree < 3) return;
  out[8] = C3[0] * y * (3 * xx - yy);
  out[9] = C3[1] * xy * z;
  out[10] = C3[2] * y * (4 * zz - xx - yy);
  out[11] = C3[3] * z * (2 * zz - 3 * xx - 3 * yy);
  out[12] = C3[4] * x * (4 * zz - xx - yy);
  out[13] = C3[5] * z * (xx - yy);
  out[14] = C3[6] * x * (xx - 3 * yy);
}

/**
 * For a rotation R of the world, the matrix M (restCount x restCount, row-major, block-diagonal per
 * band) such that rest coefficients c become M c: the rotated radiance satisfies f'(d) = f(R^T d).
 *
 * Each band is closed under rotation, so M is found exactly by least squares over sample directions;
 * that avoids hand-written Wigner matrices and works for any rotation (including the axis flips
 * between file conventions).
 */
export function shRotation(degree: number, r: Mat3): Float64Array {
  const n = shRestCount(degree);
  const m = new Float64Array(n * n);
  if (n === 0) return m;
  const dirs = sampleDirections(32);
  const a = new Float64Array(dirs.length * n); // basis at d
  const b = new Float64Array(dirs.length * n); // basis at R^T d
  const tmp = new Float64Array(n);
  dirs.forEach(([x, y, z], j) => {
    shBasisRest(degree, x, y, z, tmp);
    a.set(tmp, j * n);
    // R^T d: row i of R^T is column i of R.
    const rx = r[0] * x + r[3] * y + r[6] * z;
    const ry = r[1] * x + r[4] * y + r[7] * z;
    const rz = r[2] * x + r[5] * y + r[8] * z;
    shBasisRest(degree, rx, ry, rz, tmp);
    b.set(tmp, j * n);
  });
  // Solve (A^T A) M^T = A^T B: row k of the unknown is how basis k of the old function maps.
  // We want sum_k c'_k A_jk = sum_k c_k B_jk for all j, so c' = (A^T A)^-1 A^T B c, i.e. M = (A^T A)^-1 A^T B.
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n * n);
  for (let j = 0; j < dirs.length; j++) {
    for (let p = 0; p < n; p++) {
      const ajp = a[j * n + p];
      for (let q = 0; q < n; q++) {
        ata[p * n + q] += ajp * a[j * n + q];
        atb[p * n + q] += ajp * b[j * n + q];
      }
    }
  }
  solveInPlace(ata, atb, n);
  m.set(atb);
  // Bands never mix; zero the numerical dust so a flip gives exact signs.
  for (let i = 0; i < n * n; i++) if (Math.abs(m[i]) < 1e-12) m[i] = 0;
  return m;
}

/** Deterministic, well-spread unit directions (a Fibonacci sphere). */
function sampleDirections(count: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < count; i++) {
    const y = 1 - (2 * (i + 0.5)) / count;
    const r = Math.sqrt(1 - y * y);
    out.push([Math.cos(golden * i) * r, y, Math.sin(golden * i) * r]);
  }
  return out;
}

/** Gauss-Jordan with partial pivoting: overwrites `rhs` (n x n) with A^-1 rhs. */
function solveInPlace(a: Float64Array, rhs: Float64Array, n: number): void {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]];
        [rhs[col * n + c], rhs[pivot * n + c]] = [rhs[pivot * n + c], rhs[col * n + c]];
      }
    }
    const inv = 1 / a[col * n + col];
    for (let c = 0; c < n; c++) {
      a[col * n + c] *= inv;
      rhs[col * n + c] *= inv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let c = 0; c < n; c++) {
        a[r * n + c] -= f * a[col * n + c];
        rhs[r * n + c] -= f * rhs[col * n + c];
      }
    }
  }
}
