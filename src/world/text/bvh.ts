/**
 * A bounding volume hierarchy over a scene's primitives (boxes around their bounding spheres, split
 * at the median of the longest axis), so a ray visits a few dozen primitives' boxes instead of all
 * of them: a forest has hundreds of trunks and crowns, and every pixel casts one to three rays.
 */
import type { Primitive } from './primitives.ts';

const LEAF_SIZE = 4;

export class Bvh {
  /** per node: min x, y, z, max x, y, z */
  private readonly bounds: Float64Array;
  /** per node: first child (inner) or first primitive in `order` (leaf) */
  private readonly first: Int32Array;
  /** per node: 0 for an inner node (children first, first + 1), else the number of primitives */
  private readonly count: Int32Array;
  readonly order: Int32Array;
  private readonly stack = new Int32Array(128);
  private nodes = 0;

  constructor(readonly prims: readonly Primitive[]) {
    const n = prims.length;
    const capacity = Math.max(1, 2 * Math.ceil(n / 1) + 1);
    this.bounds = new Float64Array(6 * capacity);
    this.first = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.nodes = 1;
    this.build(0, 0, n);
  }

  private build(node: number, start: number, end: number): void {
    const b = this.bounds, o = 6 * node;
    b[o] = b[o + 1] = b[o + 2] = Infinity;
    b[o + 3] = b[o + 4] = b[o + 5] = -Infinity;
    let cminx = Infinity, cminy = Infinity, cminz = Infinity, cmaxx = -Infinity, cmaxy = -Infinity, cmaxz = -Infinity;
    for (let i = start; i < end; i++) {
      const p = this.prims[this.order[i]];
      b[o] = Math.min(b[o], p.bx - p.br); b[o + 1] = Math.min(b[o + 1], p.by - p.br); b[o + 2] = Math.min(b[o + 2], p.bz - p.br);
      b[o + 3] = Math.max(b[o + 3], p.bx + p.br); b[o + 4] = Math.max(b[o + 4], p.by + p.br); b[o + 5] = Math.max(b[o + 5], p.bz + p.br);
      cminx = Math.min(cminx, p.bx); cminy = Math.min(cminy, p.by); cminz = Math.min(cminz, p.bz);
      cmaxx = Math.max(cmaxx, p.bx); cmaxy = Math.max(cmaxy, p.by); cmaxz = Math.max(cmaxz, p.bz);
    }
    if (end - start <= LEAF_SIZE) {
      this.first[node] = start;
      this.count[node] = end - start;
      return;
    }
    const ex = cmaxx - cminx, ey = cmaxy - cminy, ez = cmaxz - cminz;
    const axis = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
    const key = (i: number) => {
      const p = this.prims[i];
      return axis === 0 ? p.bx : axis === 1 ? p.by : p.bz;
    };
    const part = Array.from(this.order.subarray(start, end)).sort((a, c) => key(a) - key(c) || a - c);
    this.order.set(part, start);
    const mid = (start + end) >> 1;
    const left = this.nodes;
    this.nodes += 2;
    this.first[node] = left;
    this.count[node] = 0;
    this.build(left, start, mid);
    this.build(left + 1, mid, end);
  }

  /** Entry distance of the ray into node's box, or Infinity when it misses within (tMin, tMax). */
  private enter(node: number, ox: number, oy: number, oz: number, ix: number, iy: number, iz: number, tMin: number, tMax: number): number {
    const b = this.bounds, o = 6 * node;
    let t0 = tMin, t1 = tMax;
    let a = (b[o] - ox) * ix, c = (b[o + 3] - ox) * ix;
    if (a > c) { const t = a; a = c; c = t; }
    if (a > t0) t0 = a;
    if (c < t1) t1 = c;
    a = (b[o + 1] - oy) * iy; c = (b[o + 4] - oy) * iy;
    if (a > c) { const t = a; a = c; c = t; }
    if (a > t0) t0 = a;
    if (c < t1) t1 = c;
    a = (b[o + 2] - oz) * iz; c = (b[o + 5] - oz) * iz;
    if (a > c) { const t = a; a = c; c = t; }
    if (a > t0) t0 = a;
    if (c < t1) t1 = c;
    // NaN (a ray along a box face: 0 * Infinity) counts as entering, which is conservative.
    return t0 <= t1 || t0 !== t0 || t1 !== t1 ? t0 : Infinity;
  }

  /**
   * Nearest primitive hit in (tMin, tMax): returns its index in `prims` and writes the distance
   * to hitT[0]; -1 when none. With `anyHit`, stops at the first shadow-casting hit.
   */
  trace(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number, hitT: Float64Array, anyHit: boolean): number {
    const ix = 1 / dx, iy = 1 / dy, iz = 1 / dz;
    const stack = this.stack;
    let sp = 0, best = tMax, which = -1;
    if (this.enter(0, ox, oy, oz, ix, iy, iz, tMin, best) === Infinity) return -1;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      const count = this.count[node];
      if (count > 0) {
        const first = this.first[node];
        for (let k = first; k < first + count; k++) {
          const i = this.order[k];
          const p = this.prims[i];
          if (anyHit && !p.castsShadow) continue;
          const t = p.intersect(ox, oy, oz, dx, dy, dz, tMin, best);
          if (t < best) {
            best = t; which = i;
            if (anyHit) { hitT[0] = t; return i; }
          }
        }
        continue;
      }
      const left = this.first[node];
      const tl = this.enter(left, ox, oy, oz, ix, iy, iz, tMin, best);
      const tr = this.enter(left + 1, ox, oy, oz, ix, iy, iz, tMin, best);
      // Nearer child on top of the stack, so `best` shrinks early and prunes the other.
      if (tl <= tr) {
        if (tr !== Infinity) stack[sp++] = left + 1;
        if (tl !== Infinity) stack[sp++] = left;
      } else {
        if (tl !== Infinity) stack[sp++] = left;
        if (tr !== Infinity) stack[sp++] = left + 1;
      }
    }
    hitT[0] = best;
    return which;
  }
}
