/**
 * Unit quaternions, stored w first (w, x, y, z) as in the 3DGS file formats, so no reordering is
 * ever needed between memory and files.
 */
import type { Mat3 } from './mat3.ts';
import type { Vec3 } from './vec3.ts';

export type Quat = [number, number, number, number];

export const identityQuat = (): Quat => [1, 0, 0, 0];

/** Hamilton product a*b: rotating by b first, then by a. */
export function multiplyQuat(a: Quat, b: Quat): Quat {
  const [aw, ax, ay, az] = a;
  const [bw, bx, by, bz] = b;
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

export function normalizeQuat(q: Quat): Quat {
  const len = Math.hypot(q[0], q[1], q[2], q[3]);
  if (!(len > 0)) throw new Error(`quaternion: expected a non-zero finite quaternion, found (${q.join(', ')})`);
  return [q[0] / len, q[1] / len, q[2] / len, q[3] / len];
}

export function quatFromAxisAngle(axis: Vec3, angle: number): Quat {
  const len = Math.hypot(axis[0], axis[1], axis[2]);
  const s = Math.sin(angle / 2) / len;
  return [Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

/** Rotation matrix of a unit quaternion (row-major). */
export function quatToMat3(q: Quat): Mat3 {
  const [w, x, y, z] = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

/** Quaternion of a rotation matrix (Shepperd's method: stable for every rotation). */
export function quatFromMat3(m: Mat3): Quat {
  const q: Quat = [1, 0, 0, 0];
  shepperd(m, q, 0);
  return normalizeQuat(q);
}

/**
 * quatFromMat3 written into out[at..at + 3], allocating nothing (for loops over many splats). A
 * matrix that is not a rotation gives what Shepperd's formulas give, normalised, not an error.
 */
export function quatFromMat3Into(m: ArrayLike<number>, out: { [i: number]: number }, at: number): void {
  shepperd(m, out, at);
  const w = out[at], x = out[at + 1], y = out[at + 2], z = out[at + 3];
  const len = Math.sqrt(w * w + x * x + y * y + z * z);
  out[at] = w / len; out[at + 1] = x / len; out[at + 2] = y / len; out[at + 3] = z / len;
}

/** The unnormalised quaternion of Shepperd's method into out[at..at + 3]. */
function shepperd(m: ArrayLike<number>, out: { [i: number]: number }, at: number): void {
  const trace = m[0] + m[4] + m[8];
  let w: number, x: number, y: number, z: number;
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    w = 0.25 * s; x = (m[7] - m[5]) / s; y = (m[2] - m[6]) / s; z = (m[3] - m[1]) / s;
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = Math.sqrt(1 + m[0] - m[4] - m[8]) * 2;
    w = (m[7] - m[5]) / s; x = 0.25 * s; y = (m[1] + m[3]) / s; z = (m[2] + m[6]) / s;
  } else if (m[4] > m[8]) {
    const s = Math.sqrt(1 + m[4] - m[0] - m[8]) * 2;
    w = (m[2] - m[6]) / s; x = (m[1] + m[3]) / s; y = 0.25 * s; z = (m[5] + m[7]) / s;
  } else {
    const s = Math.sqrt(1 + m[8] - m[0] - m[4]) * 2;
    w = (m[3] - m[1]) / s; x = (m[2] + m[6]) / s; y = (m[5] + m[7]) / s; z = 0.25 * s;
  }
  out[at] = w; out[at + 1] = x; out[at + 2] = y; out[at + 3] = z;
}
