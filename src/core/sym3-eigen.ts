/**
 * Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations: what turns a Gaussian's
 * covariance back into the scales and rotation a splat stores. Jacobi rather than the closed-form
 * cubic because covariances of flat splats are nearly singular (one eigenvalue ~1e-2 of the others),
 * where the cubic's trigonometric roots lose the small eigenvalue to cancellation; Jacobi keeps every
 * eigenvalue to relative precision and its eigenvectors orthonormal by construction.
 */

/** Sweeps after which the off-diagonal is negligible for any input (each sweep squares the error). */
const MAX_SWEEPS = 12;
/**
 * Off-diagonal (sum of magnitudes) against the trace at which the matrix counts as diagonal: eigenvalues
 * 1e-4 of the largest (a splat 100x thinner than wide) keep ~8 digits, more than float32 storage holds.
 */
const TOLERANCE = 1e-12;

/**
 * Eigenvalues of the symmetric matrix [xx xy xz; xy yy yz; xz yz zz] into `values` (unsorted), and
 * its eigenvectors as the columns of the row-major 3x3 `vectors` (vectors[3 * row + column]), a
 * rotation (determinant +1): values[j] belongs to column j.
 *
 * `start` (row-major, a rotation): a guess of the eigenvectors, from which the sweeps begin. Merging
 * splats that lie side by side (lod/merge-blocks.ts), one of their rotations is nearly right, and the
 * sweeps then drop from ~4 to ~2. The result does not depend on it beyond rounding.
 */
export function symmetricEigen3(
  xx: number, xy: number, xz: number, yy: number, yz: number, zz: number,
  values: Float64Array, vectors: Float64Array, start?: ArrayLike<number>,
): void {
  // a: the matrix being diagonalised (S^T A S for the start S), row-major; v accumulates S J1 J2 ...
  let a00 = xx, a01 = xy, a02 = xz, a11 = yy, a12 = yz, a22 = zz;
  let v00 = 1, v01 = 0, v02 = 0, v10 = 0, v11 = 1, v12 = 0, v20 = 0, v21 = 0, v22 = 1;
  if (start) {
    v00 = start[0]; v01 = start[1]; v02 = start[2]; v10 = start[3]; v11 = start[4]; v12 = start[5]; v20 = start[6]; v21 = start[7]; v22 = start[8];
    // A S, then S^T (A S), symmetric: six entries.
    const as00 = xx * v00 + xy * v10 + xz * v20, as01 = xx * v01 + xy * v11 + xz * v21, as02 = xx * v02 + xy * v12 + xz * v22;
    const as10 = xy * v00 + yy * v10 + yz * v20, as11 = xy * v01 + yy * v11 + yz * v21, as12 = xy * v02 + yy * v12 + yz * v22;
    const as20 = xz * v00 + yz * v10 + zz * v20, as21 = xz * v01 + yz * v11 + zz * v21, as22 = xz * v02 + yz * v12 + zz * v22;
    a00 = v00 * as00 + v10 * as10 + v20 * as20;
    a01 = v00 * as01 + v10 * as11 + v20 * as21;
    a02 = v00 * as02 + v10 * as12 + v20 * as22;
    a11 = v01 * as01 + v11 * as11 + v21 * as21;
    a12 = v01 * as02 + v11 * as12 + v21 * as22;
    a22 = v02 * as02 + v12 * as12 + v22 * as22;
  }
  const scale = Math.abs(a00) + Math.abs(a11) + Math.abs(a22);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const off = Math.abs(a01) + Math.abs(a02) + Math.abs(a12);
    if (off <= TOLERANCE * scale || off === 0) break;
    // Rotation in the (0, 1) plane.
    if (a01 !== 0) {
      const { c, s } = jacobiAngle(a00, a11, a01);
      const n00 = c * c * a00 - 2 * s * c * a01 + s * s * a11;
      const n11 = s * s * a00 + 2 * s * c * a01 + c * c * a11;
      const n02 = c * a02 - s * a12, n12 = s * a02 + c * a12;
      a00 = n00; a11 = n11; a01 = 0; a02 = n02; a12 = n12;
      let t0 = v00, t1 = v01; v00 = c * t0 - s * t1; v01 = s * t0 + c * t1;
      t0 = v10; t1 = v11; v10 = c * t0 - s * t1; v11 = s * t0 + c * t1;
      t0 = v20; t1 = v21; v20 = c * t0 - s * t1; v21 = s * t0 + c * t1;
    }
    // (0, 2)
    if (a02 !== 0) {
      const { c, s } = jacobiAngle(a00, a22, a02);
      const n00 = c * c * a00 - 2 * s * c * a02 + s * s * a22;
      const n22 = s * s * a00 + 2 * s * c * a02 + c * c * a22;
      const n01 = c * a01 - s * a12, n12 = s * a01 + c * a12;
      a00 = n00; a22 = n22; a02 = 0; a01 = n01; a12 = n12;
      let t0 = v00, t2 = v02; v00 = c * t0 - s * t2; v02 = s * t0 + c * t2;
      t0 = v10; t2 = v12; v10 = c * t0 - s * t2; v12 = s * t0 + c * t2;
      t0 = v20; t2 = v22; v20 = c * t0 - s * t2; v22 = s * t0 + c * t2;
    }
    // (1, 2)
    if (a12 !== 0) {
      const { c, s } = jacobiAngle(a11, a22, a12);
      const n11 = c * c * a11 - 2 * s * c * a12 + s * s * a22;
      const n22 = s * s * a11 + 2 * s * c * a12 + c * c * a22;
      const n01 = c * a01 - s * a02, n02 = s * a01 + c * a02;
      a11 = n11; a22 = n22; a12 = 0; a01 = n01; a02 = n02;
      let t1 = v01, t2 = v02; v01 = c * t1 - s * t2; v02 = s * t1 + c * t2;
      t1 = v11; t2 = v12; v11 = c * t1 - s * t2; v12 = s * t1 + c * t2;
      t1 = v21; t2 = v22; v21 = c * t1 - s * t2; v22 = s * t1 + c * t2;
    }
  }
  values[0] = a00; values[1] = a11; values[2] = a22;
  // Products of rotations are rotations: determinant +1 if the start was one.
  vectors[0] = v00; vectors[1] = v01; vectors[2] = v02;
  vectors[3] = v10; vectors[4] = v11; vectors[5] = v12;
  vectors[6] = v20; vectors[7] = v21; vectors[8] = v22;
}

const angle = { c: 1, s: 0 };

/**
 * Cosine and sine of the rotation that zeroes the off-diagonal `apq` of [[app, apq], [apq, aqq]]
 * (the smaller of the two angles, for stability; one shared object: this runs per splat).
 */
function jacobiAngle(app: number, aqq: number, apq: number): { c: number; s: number } {
  const theta = (aqq - app) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  angle.c = 1 / Math.sqrt(t * t + 1);
  angle.s = t * angle.c;
  return angle;
}
