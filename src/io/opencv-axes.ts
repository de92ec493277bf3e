/**
 * The axis change between the program (camera.ts: Y up, cameras look down -Z) and the OpenCV/COLMAP
 * axes that 3DGS files (INRIA PLY, .splat) are written in (x right, y down, z forward).
 *
 * The change is the 180-degree turn about X: (x, y, z) -> (x, -y, -z). It is its own inverse for
 * points, so the readers and the writers share the position rule. It is a proper rotation (not a
 * mirror), so orientations compose with a quaternion and SH coefficients change only by the parity
 * of their basis function. The readers and writers apply these rules per record while they decode or
 * encode, never by copying the whole cloud.
 */

/**
 * Sign of each rest SH coefficient (index 1..15 of the 3DGS basis, i.e. our rest index 0..14) under
 * (x, y, z) -> (x, -y, -z): -1 where the basis polynomial has an odd power of y plus z in total.
 * It is the diagonal of shRotation(3, diag(1, -1, -1)); a test checks that they agree.
 */
export const SH_REST_PARITY: readonly number[] = [-1, -1, 1, -1, 1, 1, -1, 1, -1, 1, -1, -1, 1, -1, 1];

/*
 * Quaternions (w, x, y, z). With q_flip = (w=0, x=1, y=0, z=0), the 180-degree turn about X:
 *   file from program:  q_file = q_flip * q        = (-x,  w, -z,  y)
 *   program from file:  q      = conj(q_flip) * q_file = ( x, -w,  z, -y)
 * The two are inverse to each other exactly (not just up to sign), so a write-then-read gives back
 * the very quaternion that was written. The hot loops inline these four-component shuffles; these
 * helpers are for the cooler paths and for tests.
 */

/** Program-axes quaternion -> file-axes quaternion, written into out at offset o. */
export function quatToFileAxes(w: number, x: number, y: number, z: number, out: Float32Array | number[], o = 0): void {
  out[o] = -x;
  out[o + 1] = w;
  out[o + 2] = -z;
  out[o + 3] = y;
}

/** File-axes quaternion -> program-axes quaternion, written into out at offset o. */
export function quatFromFileAxes(w: number, x: number, y: number, z: number, out: Float32Array | number[], o = 0): void {
  out[o] = x;
  out[o + 1] = -w;
  out[o + 2] = z;
  out[o + 3] = -y;
}
