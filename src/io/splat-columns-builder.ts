/**
 * The columns a reader decodes into, before they become a SplatCloud. Readers write straight into
 * these arrays (no per-splat objects, no second copy). When the final count is known up front the
 * arrays are allocated once at that size; a stream of unknown length grows them geometrically, but
 * never past the count its header declares.
 */
import { shRestCount, type ShDegree } from '../core/sh.ts';
import { SplatCloud } from '../core/splat-cloud.ts';

export class SplatColumnsBuilder {
  positions = new Float32Array(0);
  scales = new Float32Array(0);
  rotations = new Float32Array(0);
  opacities = new Float32Array(0);
  colors = new Float32Array(0);
  /** [splat][coefficient][rgb] with restPerChannel coefficients, as the file declares them. */
  sh = new Float32Array(0);
  capacity = 0;

  /**
   * @param maxCount the number of splats the file declares; capacity never exceeds it.
   * @param restPerChannel rest SH coefficients per channel in the file (0, 3, 8 or 15).
   * @param errorPrefix "PLY" or ".splat", for the out-of-memory message.
   */
  constructor(
    readonly maxCount: number,
    readonly restPerChannel: number,
    private readonly errorPrefix: string,
  ) {}

  /** Makes room for `count` splats (count <= maxCount); keeps what is already decoded. */
  reserve(count: number): void {
    if (count <= this.capacity) return;
    const capacity = Math.min(this.maxCount, Math.max(count, this.capacity * 2, 4096));
    const k3 = this.restPerChannel * 3;
    try {
      this.positions = grow(this.positions, capacity * 3);
      this.scales = grow(this.scales, capacity * 3);
      this.rotations = grow(this.rotations, capacity * 4);
      this.opacities = grow(this.opacities, capacity);
      this.colors = grow(this.colors, capacity * 3);
      this.sh = grow(this.sh, capacity * k3);
    } catch (e) {
      if (e instanceof RangeError) {
        throw new Error(`${this.errorPrefix}: expected a splat count that fits in memory, found ${this.maxCount} splats (${capacity} could not be allocated)`);
      }
      throw e;
    }
    this.capacity = capacity;
  }

  /**
   * The SplatCloud of the first `count` splats. Its SH degree is the lowest one that loses nothing:
   * a file declaring 45 f_rest whose higher coefficients are all exactly zero (as our writer pads a
   * degree-1 cloud) reads back at degree 1, so a write-read round trip keeps the degree and a
   * zero-padded file costs no memory or render time for coefficients that are not there.
   */
  finish(count: number): SplatCloud {
    const k = this.restPerChannel;
    const degree = lowestExactDegree(this.sh, count, k);
    const kd = shRestCount(degree);
    let sh: Float32Array | null = null;
    if (kd === k) sh = this.sh.subarray(0, count * k * 3);
    else if (kd > 0) {
      // Compact in place (each destination lies before its source), then copy out the smaller part
      // so the larger buffer can be freed.
      for (let i = 0; i < count; i++) this.sh.copyWithin(i * kd * 3, i * k * 3, i * k * 3 + kd * 3);
      sh = this.sh.slice(0, count * kd * 3);
    }
    return SplatCloud.fromColumns({
      positions: this.positions.subarray(0, count * 3),
      scales: this.scales.subarray(0, count * 3),
      rotations: this.rotations.subarray(0, count * 4),
      opacities: this.opacities.subarray(0, count),
      colors: this.colors.subarray(0, count * 3),
      sh,
    });
  }
}

function grow(old: Float32Array, length: number): Float32Array<ArrayBuffer> {
  if (old.length === length) return old as Float32Array<ArrayBuffer>;
  const next = new Float32Array(length);
  next.set(old.subarray(0, Math.min(old.length, length)));
  return next;
}

/** The lowest SH degree whose dropped coefficients are all exactly zero in every splat. */
function lowestExactDegree(sh: Float32Array, count: number, restPerChannel: number): ShDegree {
  const k3 = restPerChannel * 3;
  let needed = 0; // coefficients (per channel) that hold a non-zero value somewhere
  for (let i = 0; i < count && needed < restPerChannel; i++) {
    const base = i * k3;
    for (let m = k3 - 1; m >= needed * 3; m--) {
      if (sh[base + m] !== 0) {
        needed = Math.floor(m / 3) + 1;
        break;
      }
    }
  }
  if (needed === 0) return 0;
  return needed <= 3 ? 1 : needed <= 8 ? 2 : 3;
}
