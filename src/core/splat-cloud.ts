/**
 * SplatCloud: a set of 3D Gaussians as columns of typed arrays (one array per property), the way
 * GPU uploads and file formats want them, with no per-splat objects.
 *
 * Units and meanings in memory (file encodings such as log-scales and logit-opacities live in io/):
 *   positions  xyz, metres, program axes (see camera.ts)
 *   scales     standard deviation along the Gaussian's local x, y, z axes, metres (> 0)
 *   rotations  unit quaternion (w, x, y, z), local-to-world
 *   opacities  peak opacity 0..1
 *   colors     base colour rgb (the view-independent SH term, 0.5 + SH_C0 * f_dc); the same values the
 *              3DGS renderers blend, usually 0..1 but may overshoot
 *   sh         optional view-dependent SH "rest" coefficients, [splat][coefficient][rgb], degree 1..3
 */
import { type Mat3 } from './mat3.ts';
import { type Quat, multiplyQuat, normalizeQuat, quatToMat3 } from './quat.ts';
import { type ShDegree, shRestCount, shRotation } from './sh.ts';
import type { Vec3 } from './vec3.ts';

export interface SplatColumns {
  positions: Float32Array;
  scales: Float32Array;
  rotations: Float32Array;
  opacities: Float32Array;
  colors: Float32Array;
  sh?: Float32Array | null;
}

/** Internal storage: every column present (sh empty at degree 0). */
type Columns = { [K in keyof SplatColumns]-?: Float32Array };

export interface Bounds {
  min: Vec3;
  max: Vec3;
}

/** A similarity transform: p' = scale * R p + translation. */
export interface SimilarityTransform {
  rotation?: Quat;
  translation?: Vec3;
  scale?: number;
}

export class SplatCloud {
  count: number;
  readonly shDegree: ShDegree;
  private capacity: number;
  private store: Columns;
  private views!: Columns;

  private constructor(count: number, capacity: number, shDegree: ShDegree, store: Columns) {
    this.count = count;
    this.capacity = capacity;
    this.shDegree = shDegree;
    this.store = store;
    this.refreshViews();
  }

  /** `count` splats with zero position and colour, unit scale, identity rotation, opacity 1. */
  static create(count: number, shDegree: ShDegree = 0): SplatCloud {
    if (!(Number.isInteger(count) && count >= 0)) throw new Error(`SplatCloud: expected a non-negative integer count, found ${count}`);
    if (![0, 1, 2, 3].includes(shDegree)) throw new Error(`SplatCloud: expected SH degree 0-3, found ${shDegree}`);
    const cloud = new SplatCloud(count, count, shDegree, allocate(count, shDegree));
    cloud.scales.fill(1);
    cloud.opacities.fill(1);
    for (let i = 0; i < count; i++) cloud.rotations[4 * i] = 1;
    return cloud;
  }

  /** Wraps existing columns (no copy); their lengths must agree with one count. */
  static fromColumns(columns: SplatColumns): SplatCloud {
    const count = columns.opacities.length;
    const expect = (name: string, arr: Float32Array, per: number) => {
      if (arr.length !== count * per) {
        throw new Error(`SplatCloud: expected ${name} to hold ${count * per} values (${count} splats x ${per}), found ${arr.length}`);
      }
    };
    expect('positions', columns.positions, 3);
    expect('scales', columns.scales, 3);
    expect('rotations', columns.rotations, 4);
    expect('colors', columns.colors, 3);
    let degree: ShDegree = 0;
    const sh = columns.sh ?? null;
    if (sh && sh.length > 0) {
      const perSplat = count > 0 ? sh.length / count / 3 : 0;
      const found = ([1, 2, 3] as const).find((d) => shRestCount(d) === perSplat);
      if (!found) throw new Error(`SplatCloud: expected sh to hold 3, 8 or 15 coefficients x 3 per splat, found ${sh.length} values for ${count} splats`);
      degree = found;
    }
    return new SplatCloud(count, count, degree, {
      positions: columns.positions,
      scales: columns.scales,
      rotations: columns.rotations,
      opacities: columns.opacities,
      colors: columns.colors,
      sh: sh ?? new Float32Array(0),
    });
  }

  get positions(): Float32Array { return this.views.positions; }
  get scales(): Float32Array { return this.views.scales; }
  get rotations(): Float32Array { return this.views.rotations; }
  get opacities(): Float32Array { return this.views.opacities; }
  get colors(): Float32Array { return this.views.colors; }
  /** Rest SH coefficients, or null at degree 0. */
  get sh(): Float32Array | null { return this.shDegree > 0 ? this.views.sh : null; }
  /** Rest SH coefficients per splat per channel (0, 3, 8 or 15). */
  get shCoefficients(): number { return shRestCount(this.shDegree); }

  /**
   * Appends another cloud's splats in place; storage grows geometrically so repeated appends (a
   * growing world) cost amortised linear time. Missing SH coefficients of the other cloud are zero;
   * coefficients above this cloud's degree are dropped (the world's degree is fixed when it is made).
   */
  append(other: SplatCloud): this {
    const needed = this.count + other.count;
    if (needed > this.capacity) this.grow(Math.max(needed, Math.ceil(this.capacity * 1.5), 1024));
    const start = this.count;
    this.store.positions.set(other.positions, start * 3);
    this.store.scales.set(other.scales, start * 3);
    this.store.rotations.set(other.rotations, start * 4);
    this.store.opacities.set(other.opacities, start);
    this.store.colors.set(other.colors, start * 3);
    const k = this.shCoefficients;
    if (k > 0) {
      const ko = other.shCoefficients;
      const target = this.store.sh;
      target.fill(0, start * k * 3, needed * k * 3);
      if (ko > 0) {
        const src = other.sh!;
        const copy = Math.min(k, ko) * 3;
        for (let i = 0; i < other.count; i++) {
          target.set(src.subarray(i * ko * 3, i * ko * 3 + copy), (start + i) * k * 3);
        }
      }
    }
    this.count = needed;
    this.refreshViews();
    return this;
  }

  /**
   * Makes room for at least `capacity` splats, changing no splat and not the count. A caller that knows
   * how far the cloud will grow pays the copy of the splats it holds now, when it chooses (a loaded
   * world is stored at exactly its count, so its first append would copy all of it), and appends up to
   * `capacity` then copy only the appended splats. Typed arrays are zero pages until written, so room
   * never written costs address space, not memory.
   */
  reserve(capacity: number): this {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new Error(`SplatCloud.reserve: expected a non-negative integer capacity, found ${capacity}`);
    if (capacity > this.capacity) this.grow(capacity);
    return this;
  }

  /** A new cloud holding copies of the splats at `indices` (in that order). */
  subset(indices: ArrayLike<number>): SplatCloud {
    const out = SplatCloud.create(indices.length, this.shDegree);
    const k3 = this.shCoefficients * 3;
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j];
      if (!(i >= 0 && i < this.count && Number.isInteger(i))) {
        throw new Error(`SplatCloud.subset: expected indices in 0..${this.count - 1}, found ${i}`);
      }
      out.positions.set(this.positions.subarray(i * 3, i * 3 + 3), j * 3);
      out.scales.set(this.scales.subarray(i * 3, i * 3 + 3), j * 3);
      out.rotations.set(this.rotations.subarray(i * 4, i * 4 + 4), j * 4);
      out.opacities[j] = this.opacities[i];
      out.colors.set(this.colors.subarray(i * 3, i * 3 + 3), j * 3);
      if (k3 > 0) out.sh!.set(this.sh!.subarray(i * k3, i * k3 + k3), j * k3);
    }
    return out;
  }

  /** Axis-aligned bounds of the splat centres; null when the cloud is empty. */
  bounds(): Bounds | null {
    if (this.count === 0) return null;
    const min: Vec3 = [Infinity, Infinity, Infinity];
    const max: Vec3 = [-Infinity, -Infinity, -Infinity];
    const p = this.positions;
    for (let i = 0; i < p.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        const v = p[i + a];
        if (v < min[a]) min[a] = v;
        if (v > max[a]) max[a] = v;
      }
    }
    return { min, max };
  }

  /**
   * Applies p' = s R p + t in place: positions move, orientations turn with R, scales grow with s,
   * and view-dependent colour (SH) is rotated so every splat still looks the same from the moved
   * camera. Used for unit and axis conversions and for placing generated chunks.
   */
  transform({ rotation = [1, 0, 0, 0], translation = [0, 0, 0], scale = 1 }: SimilarityTransform): this {
    if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`SplatCloud.transform: expected a positive finite scale, found ${scale}`);
    const q = normalizeQuat(rotation);
    const r = quatToMat3(q);
    const p = this.positions;
    for (let i = 0; i < p.length; i += 3) {
      const x = p[i], y = p[i + 1], z = p[i + 2];
      p[i] = scale * (r[0] * x + r[1] * y + r[2] * z) + translation[0];
      p[i + 1] = scale * (r[3] * x + r[4] * y + r[5] * z) + translation[1];
      p[i + 2] = scale * (r[6] * x + r[7] * y + r[8] * z) + translation[2];
    }
    if (scale !== 1) for (let i = 0; i < this.scales.length; i++) this.scales[i] *= scale;
    const rot = this.rotations;
    for (let i = 0; i < rot.length; i += 4) {
      const out = normalizeQuat(multiplyQuat(q, [rot[i], rot[i + 1], rot[i + 2], rot[i + 3]]));
      rot.set(out, i);
    }
    if (this.shDegree > 0) rotateShInPlace(this.sh!, this.shDegree, r);
    return this;
  }

  /** A deep copy, trimmed to the count. */
  clone(): SplatCloud {
    const copy = (a: Float32Array) => new Float32Array(a);
    return new SplatCloud(this.count, this.count, this.shDegree, {
      positions: copy(this.positions),
      scales: copy(this.scales),
      rotations: copy(this.rotations),
      opacities: copy(this.opacities),
      colors: copy(this.colors),
      sh: copy(this.views.sh),
    });
  }

  private grow(capacity: number): void {
    const grown = allocate(capacity, this.shDegree);
    for (const key of COLUMN_KEYS) grown[key].set(this.views[key]);
    this.store = grown;
    this.capacity = capacity;
    this.refreshViews();
  }

  private refreshViews(): void {
    const n = this.count;
    const s = this.store;
    this.views = {
      positions: s.positions.subarray(0, n * 3),
      scales: s.scales.subarray(0, n * 3),
      rotations: s.rotations.subarray(0, n * 4),
      opacities: s.opacities.subarray(0, n),
      colors: s.colors.subarray(0, n * 3),
      sh: s.sh.subarray(0, n * shRestCount(this.shDegree) * 3),
    };
  }
}

const COLUMN_KEYS = ['positions', 'scales', 'rotations', 'opacities', 'colors', 'sh'] as const;

function allocate(capacity: number, shDegree: ShDegree): Columns {
  return {
    positions: new Float32Array(capacity * 3),
    scales: new Float32Array(capacity * 3),
    rotations: new Float32Array(capacity * 4),
    opacities: new Float32Array(capacity),
    colors: new Float32Array(capacity * 3),
    sh: new Float32Array(capacity * shRestCount(shDegree) * 3),
  };
}

/** Rotates [splat][coefficient][rgb] rest coefficients by the world rotation r, in place. */
export function rotateShInPlace(sh: Float32Array, degree: number, r: Mat3): void {
  const k = shRestCount(degree);
  const m = shRotation(degree, r);
  const tmp = new Float64Array(k * 3);
  for (let base = 0; base < sh.length; base += k * 3) {
    tmp.fill(0);
    for (let row = 0; row < k; row++) {
      for (let col = 0; col < k; col++) {
        const w = m[row * k + col];
        if (w === 0) continue;
        tmp[row * 3] += w * sh[base + col * 3];
        tmp[row * 3 + 1] += w * sh[base + col * 3 + 1];
        tmp[row * 3 + 2] += w * sh[base + col * 3 + 2];
      }
    }
    for (let i = 0; i < k * 3; i++) sh[base + i] = tmp[i];
  }
}
