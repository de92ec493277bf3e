/**
 * The ground of an outdoor scene: a heightfield y = height(x, z) made of rolling hills, far mountains,
 * dunes, a slope down to the sea and a lake basin, shifted so that the ground under the start eye
 * (0, 0, 0) is exactly EYE_HEIGHT below it. Rays meet it by marching with steps bounded by the
 * height above the ground and the steepest slope, then bisection.
 *
 * Rays and normals see the heightfield through two precomputed grids (0.5 m near the start, 4 m out
 * to the far distance) with bilinear interpolation: a few multiplications per step instead of half
 * a dozen noise lookups. The grids are a pure function of the parameters, so every camera sees the
 * same ground; `surface` is that ground, `height` the smooth function it samples.
 */
import { noise2 } from './noise.ts';

/** The start eye stands this far above the ground (metres). */
export const EYE_HEIGHT = 1.6;

export interface TerrainParams {
  seed: number;
  /** amplitude (m) and feature size (m) of rolling hills */
  hills: number;
  hillScale: number;
  /** height (m) of mountains that rise beyond `mountainStart` metres from the origin */
  mountains: number;
  mountainStart: number;
  /** amplitude (m) of sand dunes */
  dunes: number;
  /** metres of descent per metre beyond z < -slopeStart (a beach towards the sea); 0 = none */
  seaSlope: number;
  slopeStart: number;
  /** a round lake basin */
  basin: { x: number; z: number; radius: number; depth: number } | null;
}

/** Heights on a square grid of `step` metres centred on the origin, read bilinearly. */
class HeightGrid {
  readonly half: number;
  readonly n: number;
  readonly data: Float64Array;
  constructor(readonly step: number, cells: number, height: (x: number, z: number) => number) {
    this.n = cells + 1;
    this.half = (cells * step) / 2;
    this.data = new Float64Array(this.n * this.n);
    for (let j = 0; j < this.n; j++) {
      for (let i = 0; i < this.n; i++) this.data[j * this.n + i] = height(i * step - this.half, j * step - this.half);
    }
  }

  /** NaN outside the grid. */
  sample(x: number, z: number): number {
    const u = (x + this.half) / this.step, v = (z + this.half) / this.step;
    const i = Math.floor(u), j = Math.floor(v);
    if (i < 0 || j < 0 || i >= this.n - 1 || j >= this.n - 1) return NaN;
    const fu = u - i, fv = v - j, d = this.data, k = j * this.n + i;
    const a = d[k], b = d[k + 1], c = d[k + this.n], e = d[k + this.n + 1];
    return a + (b - a) * fu + (c - a) * fv + (a - b - c + e) * fu * fv;
  }
}

export class Terrain {
  readonly params: TerrainParams;
  readonly offset: number;
  readonly maxY: number;
  readonly minY: number;
  readonly flat: boolean;
  private readonly near: HeightGrid | null;
  private readonly far: HeightGrid | null;
  /** bound on |grad height| used by the march */
  readonly slope: number;
  /** the same within mountainStart of the origin */
  readonly slopeNear: number;

  constructor(params: TerrainParams) {
    this.params = params;
    this.offset = 0;
    this.offset = -EYE_HEIGHT - this.height(0, 0);
    const p = params;
    this.maxY = -EYE_HEIGHT + 2 * p.hills + 1.05 * p.mountains + 2 * p.dunes + 0.5;
    this.minY = -EYE_HEIGHT - 2 * p.hills - 2 * p.dunes - (p.basin?.depth ?? 0) - (p.seaSlope > 0 ? 1e4 : 0) - 0.5;
    this.flat = p.hills === 0 && p.mountains === 0 && p.dunes === 0 && p.seaSlope === 0 && p.basin === null;
    // The steepest slope, measured on a seeded spread of points (with a margin): a ray descending
    // by |dy| per metre meets ground that rises at most `slope` per metre, so a step of
    // above / (|dy| + slope) never passes through it.
    // Mountains rise only beyond mountainStart, so the ground nearer than that gets its own, gentler bound.
    let steepest = 0, steepestNear = 0;
    for (let i = 0; i < 3000 && !this.flat; i++) {
      const a = i * 2.399963, r = 420 * Math.sqrt((i + 0.5) / 3000);
      const x = r * Math.cos(a), z = r * Math.sin(a), e = 0.25;
      const gx = (this.height(x + e, z) - this.height(x - e, z)) / (2 * e);
      const gz = (this.height(x, z + e) - this.height(x, z - e)) / (2 * e);
      steepest = Math.max(steepest, Math.hypot(gx, gz));
      if (r < p.mountainStart) steepestNear = Math.max(steepestNear, Math.hypot(gx, gz));
    }
    this.slope = 1.3 * steepest + 0.05;
    this.near = this.flat ? null : new HeightGrid(0.5, 320, (x, z) => this.height(x, z));
    this.far = this.flat ? null : new HeightGrid(4, 240, (x, z) => this.height(x, z));
    this.slopeNear = p.mountains > 0 ? 1.3 * steepestNear + 0.05 : this.slope;
  }

  height(x: number, z: number): number {
    const p = this.params;
    let h = this.offset;
    if (p.hills > 0) {
      const s = 1 / p.hillScale;
      h += p.hills * (2 * noise2(x * s, z * s, p.seed) - 1 + 0.5 * (2 * noise2(x * s * 2.1 + 5, z * s * 2.1 - 3, p.seed + 1) - 1));
    }
    if (p.mountains > 0) {
      const r = Math.hypot(x, z);
      if (r > p.mountainStart) {
        const ramp = Math.min(1, (r - p.mountainStart) / 90);
        let m = 0, amp = 1, f = 1 / 70;
        for (let o = 0; o < 4; o++) {
          // Ridged noise: sharp crests where the noise crosses one half.
          m += amp * (1 - Math.abs(2 * noise2(x * f + 11 * o, z * f - 7 * o, p.seed + 20 + o) - 1));
          amp *= 0.45; f *= 2.2;
        }
        h += p.mountains * ramp * ramp * (m / 1.8) ** 2;
      }
    }
    if (p.dunes > 0) {
      const w = noise2(x * 0.02, z * 0.02, p.seed + 40) * 6;
      h += p.dunes * (0.5 + 0.5 * Math.sin(x * 0.08 + z * 0.05 + w)) * (0.6 + 0.4 * noise2(x * 0.03, z * 0.03, p.seed + 41));
    }
    if (p.seaSlope > 0 && z < -p.slopeStart) h -= (-p.slopeStart - z) * p.seaSlope;
    if (p.basin) {
      const b = p.basin;
      const d = Math.hypot(x - b.x, z - b.z) / b.radius;
      if (d < 1) h -= b.depth * (1 - d * d) * (1 - d * d);
    }
    return h;
  }

  /** The ground as rays and normals see it: the grids' bilinear heights (the function itself past them). */
  surface(x: number, z: number): number {
    if (this.flat) return this.offset;
    const h = this.near!.sample(x, z);
    if (h === h) return h;
    const g = this.far!.sample(x, z);
    return g === g ? g : this.height(x, z);
  }

  /** Nearest t in (tMin, tMax) where o + t d meets the ground, or Infinity. */
  intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number {
    if (this.flat) {
      if (dy >= 0) return Infinity;
      const t = (this.offset - oy) / dy; // flat ground: the plane y = offset
      return t > tMin && t < tMax ? t : Infinity;
    }
    // Only the part of the ray inside the slab [minY, maxY] can meet the ground.
    let t = tMin;
    if (oy > this.maxY) {
      if (dy >= 0) return Infinity;
      t = Math.max(t, (this.maxY - oy) / dy);
    }
    let end = tMax;
    if (dy < 0) end = Math.min(end, (this.minY - oy) / dy);
    if (dy > 0) end = Math.min(end, (this.maxY - oy) / dy);
    let prevT = t;
    let above = oy + t * dy - this.surface(ox + t * dx, oz + t * dz);
    if (above < 0) return t > tMin ? t : Infinity;
    const horizontal = Math.sqrt(Math.max(0, 1 - dy * dy));
    const rate = Math.max(0, -dy) + this.slope * horizontal;
    const rateNear = Math.max(0, -dy) + this.slopeNear * horizontal;
    const start = this.params.mountainStart;
    for (let i = 0; i < 400 && t < end; i++) {
      prevT = t;
      let step = above / rateNear;
      if (rateNear !== rate) {
        const x = ox + t * dx, z = oz + t * dz;
        if (Math.sqrt(x * x + z * z) + step > start) step = above / rate;
      }
      t += Math.max(step, 0.004 * t + 0.01);
      if (t > end) t = end;
      above = oy + t * dy - this.surface(ox + t * dx, oz + t * dz);
      if (above < 0) {
        let lo = prevT, hi = t;
        for (let k = 0; k < 12; k++) {
          const mid = 0.5 * (lo + hi);
          if (oy + mid * dy - this.surface(ox + mid * dx, oz + mid * dz) < 0) hi = mid; else lo = mid;
        }
        return hi < tMax ? hi : Infinity;
      }
      if (t >= end) break;
    }
    return Infinity;
  }

  /** Unit normal of the ground at (x, z), by central differences. */
  normal(x: number, z: number, out: Float64Array): void {
    // Differences one grid step wide: smooth across the bilinear cells' creases.
    const e = this.near && this.near.sample(x, z) === this.near.sample(x, z) ? 0.5 : 4;
    const gx = (this.surface(x + e, z) - this.surface(x - e, z)) / (2 * e);
    const gz = (this.surface(x, z + e) - this.surface(x, z - e)) / (2 * e);
    const l = Math.hypot(gx, 1, gz);
    out[0] = -gx / l; out[1] = 1 / l; out[2] = -gz / l;
  }
}
