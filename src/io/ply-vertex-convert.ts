/**
 * The inner loop of the PLY reader: raw vertex values as the file stores them (OpenCV axes, logit
 * opacity, log scales, f_dc, unnormalised w-first quaternion, channel-major f_rest) become SplatCloud
 * columns (program axes, linear units). Every body decoder (binary fast path, binary general path,
 * ascii) ends here, so the conventions are applied in exactly one place.
 *
 * Input is a batch of records in a Float32Array: record r's value for slot s is
 * values[r * stride + slotIndex[s]]. For the common all-float32 layout that array is the file's
 * bytes themselves and slotIndex holds byte offsets / 4; otherwise a decoder transcodes into it.
 */
import { SH_C0 } from '../core/sh.ts';
import { SH_REST_PARITY } from './opencv-axes.ts';
import type { SplatColumnsBuilder } from './splat-columns-builder.ts';
import { FIRST_REST_SLOT, SLOT_NAMES } from './ply-vertex-layout.ts';

/** exp() of a log-scale above this overflows a 32-bit float. */
const MAX_LOG_SCALE = Math.log(3.4028234663852886e38);

export interface RecordPlan {
  /** Index of each slot's value within one record of the batch array. */
  slotIndex: Int32Array;
  /** Rest coefficients per channel in the file (0, 3, 8 or 15). */
  restPerChannel: number;
  /** Property names per slot, for error messages. */
  slotNames: string[];
}

/**
 * Per destination SH value (the [coefficient][rgb] order of SplatCloud.sh), the index of its source
 * in a record and the parity sign of the axis change. Computed once per file.
 */
export interface RestPlan {
  source: Int32Array;
  sign: Float32Array;
  /** Index of f_rest_0 when f_rest_0..f_rest_{3K-1} follow each other in the record, else -1. */
  contiguousStart: number;
}

export function restPlan(plan: RecordPlan): RestPlan {
  const k = plan.restPerChannel;
  const source = new Int32Array(k * 3);
  const sign = new Float32Array(k * 3);
  for (let coef = 0; coef < k; coef++) {
    for (let c = 0; c < 3; c++) {
      // The file is channel-major: f_rest_{c * K + coef}.
      source[coef * 3 + c] = plan.slotIndex[FIRST_REST_SLOT + c * k + coef];
      sign[coef * 3 + c] = SH_REST_PARITY[coef];
    }
  }
  const first = plan.slotIndex[FIRST_REST_SLOT];
  const contiguous = k > 0 && Array.from({ length: 3 * k }, (_, i) => plan.slotIndex[FIRST_REST_SLOT + i] === first + i).every(Boolean);
  return { source, sign, contiguousStart: contiguous ? first : -1 };
}

export function recordPlanNames(restPerChannel: number): string[] {
  return [...SLOT_NAMES, ...Array.from({ length: restPerChannel * 3 }, (_, i) => `f_rest_${i}`)];
}

/**
 * Converts `count` records starting at values[0] into splats first..first+count-1 of `out`
 * (which must have room). Throws a "PLY:" error naming the vertex and property on a NaN or
 * infinite value, a log-scale too large for a float, or a zero quaternion.
 */
export function convertRecords(
  values: Float32Array,
  stride: number,
  count: number,
  plan: RecordPlan,
  rest: RestPlan,
  out: SplatColumnsBuilder,
  first: number,
): void {
  const s = plan.slotIndex;
  const ix = s[0], iy = s[1], iz = s[2], id0 = s[3], id1 = s[4], id2 = s[5], io = s[6];
  const is0 = s[7], is1 = s[8], is2 = s[9], iw = s[10], iqx = s[11], iqy = s[12], iqz = s[13];
  const { positions: P, scales: S, rotations: R, opacities: O, colors: C, sh: H } = out;
  const restSource = rest.source, restSign = rest.sign, k3 = restSource.length, k = k3 / 3;
  const restStart = rest.contiguousStart;
  for (let r = 0, b = 0, j = first; r < count; r++, b += stride, j++) {
    const x = values[b + ix], y = values[b + iy], z = values[b + iz];
    const d0 = values[b + id0], d1 = values[b + id1], d2 = values[b + id2];
    const op = values[b + io];
    const s0 = values[b + is0], s1 = values[b + is1], s2 = values[b + is2];
    const qw = values[b + iw], qx = values[b + iqx], qy = values[b + iqy], qz = values[b + iqz];
    // v * 0 is 0 for a finite v and NaN for NaN or +-Infinity: one add per value finds any bad one.
    let finite = x * 0 + y * 0 + z * 0 + d0 * 0 + d1 * 0 + d2 * 0 + op * 0;
    finite += s0 * 0 + s1 * 0 + s2 * 0 + qw * 0 + qx * 0 + qy * 0 + qz * 0;

    const j3 = j * 3, j4 = j * 4;
    // OpenCV axes -> program axes: (x, y, z) -> (x, -y, -z).
    P[j3] = x;
    P[j3 + 1] = -y;
    P[j3 + 2] = -z;
    C[j3] = 0.5 + SH_C0 * d0;
    C[j3 + 1] = 0.5 + SH_C0 * d1;
    C[j3 + 2] = 0.5 + SH_C0 * d2;
    O[j] = 1 / (1 + Math.exp(-op));
    S[j3] = Math.exp(s0);
    S[j3 + 1] = Math.exp(s1);
    S[j3 + 2] = Math.exp(s2);
    // Program from file: q = conj(q_flip) * q_file = (x, -w, z, -y), normalised (files need not be).
    const len = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
    const inv = 1 / len;
    R[j4] = qx * inv;
    R[j4 + 1] = -qw * inv;
    R[j4 + 2] = qz * inv;
    R[j4 + 3] = -qy * inv;
    if (k3 > 0) {
      const o = j * k3;
      if (restStart >= 0) {
        // The usual layout: f_rest_0..f_rest_{3K-1} side by side in the record.
        const r0 = b + restStart, r1 = r0 + k, r2 = r1 + k;
        for (let coef = 0, m = o; coef < k; coef++, m += 3) {
          const sign = restSign[coef * 3];
          const vr = values[r0 + coef], vg = values[r1 + coef], vb = values[r2 + coef];
          finite += vr * 0 + vg * 0 + vb * 0;
          H[m] = sign * vr;
          H[m + 1] = sign * vg;
          H[m + 2] = sign * vb;
        }
      } else {
        for (let m = 0; m < k3; m++) {
          const v = values[b + restSource[m]];
          finite += v * 0;
          H[o + m] = restSign[m] * v;
        }
      }
    }
    if (finite !== 0 || !(len > 0) || s0 > MAX_LOG_SCALE || s1 > MAX_LOG_SCALE || s2 > MAX_LOG_SCALE) {
      throw badRecordError(values, b, plan, j);
    }
  }
}

/** Off the hot path: finds which value of a rejected record is wrong and says so. */
function badRecordError(values: Float32Array, b: number, plan: RecordPlan, vertex: number): Error {
  const at = (slot: number) => values[b + plan.slotIndex[slot]];
  for (let slot = 0; slot < plan.slotIndex.length; slot++) {
    const v = at(slot);
    if (!Number.isFinite(v)) return new Error(`PLY: expected finite numbers, found ${v} in ${plan.slotNames[slot]} of vertex ${vertex}`);
  }
  for (let slot = 7; slot < 10; slot++) {
    if (at(slot) > MAX_LOG_SCALE) {
      return new Error(`PLY: expected log-scales below ${MAX_LOG_SCALE.toFixed(2)} (exp overflows a float above), found ${plan.slotNames[slot]} = ${at(slot)} in vertex ${vertex}`);
    }
  }
  return new Error(`PLY: expected a non-zero rotation quaternion, found rot_0..3 = (0, 0, 0, 0) in vertex ${vertex}`);
}
