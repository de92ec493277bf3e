/**
 * What retrieval needs of each remembered frame, packed in flat typed arrays (no per-frame objects
 * on the hot path): its camera, a bounding cone of its frustum, how far it saw, and a coarse grid of
 * the farthest depth it saw per cell (its visible volume).
 *
 * A frame "sees" a point when the point projects inside its picture, in front of it, and no farther
 * than the farthest surface it saw in that cell (+5%: the stored depth is point-sampled, so a point
 * on the surface itself may read a little deeper). Taking the farthest depth of the cell keeps the
 * test from hiding points that some pixel of the cell did see; 16 x 12 cells are fine enough to tell
 * a wall from the open space beside it.
 */
import type { MemoryFrame } from './frame.ts';
import { storedIntrinsics } from './frame.ts';
import type { QuerySamples } from './query-samples.ts';

export const GRID_COLUMNS = 16;
export const GRID_ROWS = 12;
const GRID_CELLS = GRID_COLUMNS * GRID_ROWS;
const DEPTH_TOLERANCE = 1.05;
/** camera per frame, for scoring: eye 3, cameraFromWorld 9, fx fy cx cy width height 6 */
const CAMERA_STRIDE = 18;
/** frustum bound per frame, for the pre-filter (kept apart so its scan reads one compact array): eye 3, forward 3, cos/sin of the cone half-angle 2, reach 1 */
const BOUND_STRIDE = 9;

/**
 * Samples visited in bit-reversed order of their index (depth, row, column bits): the first few
 * already span near and far, left and right, top and bottom, so a frame that sees little of the
 * frustum misses early and is dropped early (see score's `need`).
 */
const VISIT_ORDER = Int32Array.from({ length: 64 }, (_, j) => {
  let i = 0;
  for (let b = 0; b < 6; b++) if (j & (1 << b)) i |= 1 << (5 - b);
  return i;
});

export class FrameIndex {
  count = 0;
  private cameras = new Float64Array(CAMERA_STRIDE * 64);
  private bounds = new Float64Array(BOUND_STRIDE * 64);
  private grids = new Float32Array(GRID_CELLS * 64);

  add(frame: MemoryFrame): void {
    if (this.count * CAMERA_STRIDE >= this.cameras.length) {
      this.cameras = grown(this.cameras);
      this.bounds = grown(this.bounds);
      this.grids = grown(this.grids);
    }
    const o = this.count * CAMERA_STRIDE, b = this.count * BOUND_STRIDE;
    const c = this.cameras;
    const k = storedIntrinsics(frame);
    const pose = frame.pose;
    c.set(pose.position, o);
    c.set(pose.cameraFromWorld, o + 3);
    c.set([k.fx, k.fy, k.cx, k.cy, k.width, k.height], o + 12);
    // Half-angle of a cone around the view axis that holds the whole frustum: the farthest corner.
    const tx = Math.max(k.cx, k.width - k.cx) / k.fx, ty = Math.max(k.cy, k.height - k.cy) / k.fy;
    const cornerTan = Math.hypot(tx, ty);
    const cos = 1 / Math.sqrt(1 + cornerTan * cornerTan);
    const grid = this.grids.subarray(this.count * GRID_CELLS, (this.count + 1) * GRID_CELLS);
    const maxDepth = farthestDepthGrid(frame.depth, frame.width, frame.height, grid);
    // Farthest distance from the eye to anything the frame saw (Infinity where it saw sky).
    this.bounds.set([...pose.position, ...pose.forward(), cos, cornerTan * cos, (maxDepth * DEPTH_TOLERANCE) / cos], b);
    this.count++;
  }

  /**
   * Indices of frames whose frustum may hold a sample: the samples' bounding sphere must be within
   * the frame's reach and meet its bounding cone. Conservative (never drops a frame that would
   * score above 0). Frames whose cone holds the sphere's centre (likely good) are written first, so
   * scoring meets strong frames early and can drop weak ones sooner.
   */
  candidates(q: QuerySamples, out: Int32Array): number {
    const c = this.bounds;
    const [qx, qy, qz] = q.centre;
    const r = q.radius;
    let front = 0, back = this.count;
    for (let i = 0, o = 0; i < this.count; i++, o += BOUND_STRIDE) {
      const vx = qx - c[o], vy = qy - c[o + 1], vz = qz - c[o + 2];
      const dist2 = vx * vx + vy * vy + vz * vz;
      // Beyond reach (compared squared: most frames end here, without a square root).
      const beyond = c[o + 8] + r;
      if (dist2 > beyond * beyond) continue;
      if (dist2 <= r * r) { out[front++] = i; continue; }
      const dist = Math.sqrt(dist2);
      // Sphere meets cone iff angle(view axis, centre) <= half-angle + angular radius of the sphere.
      const cosBeta = (vx * c[o + 3] + vy * c[o + 4] + vz * c[o + 5]) / dist;
      const cosAlpha = c[o + 6], sinAlpha = c[o + 7];
      if (cosBeta >= cosAlpha) { out[front++] = i; continue; }
      const sinGamma = r / dist, cosGamma = Math.sqrt(1 - sinGamma * sinGamma);
      // cos(alpha + gamma), monotonic since alpha < 90 (pinhole) and gamma <= 90 degrees.
      if (cosBeta >= cosAlpha * cosGamma - sinAlpha * sinGamma) out[--back] = i;
    }
    // Move the weak ones (written backwards from the end) to follow the strong ones.
    out.copyWithin(front, back, this.count);
    return front + this.count - back;
  }

  /**
   * How many of the samples frame `i` sees; -1 as soon as it is clear that fewer than `need` will
   * be (the caller only wants frames that can reach the k-th best so far).
   */
  seenCount(i: number, q: QuerySamples, need = 0): number {
    const c = this.cameras, o = i * CAMERA_STRIDE;
    const ex = c[o], ey = c[o + 1], ez = c[o + 2];
    const r0 = c[o + 3], r1 = c[o + 4], r2 = c[o + 5], r3 = c[o + 6], r4 = c[o + 7], r5 = c[o + 8], r6 = c[o + 9], r7 = c[o + 10], r8 = c[o + 11];
    const fx = c[o + 12], fy = c[o + 13], cx = c[o + 14], cy = c[o + 15], w = c[o + 16], h = c[o + 17];
    const cellsPerU = GRID_COLUMNS / w, cellsPerV = GRID_ROWS / h;
    const grid = this.grids, g = i * GRID_CELLS;
    const p = q.points, n = q.count;
    const order = n === VISIT_ORDER.length ? VISIT_ORDER : null;
    let seen = 0;
    for (let j = 0; j < n; j++) {
      if (seen + n - j < need) return -1;
      const s = 3 * (order ? order[j] : j);
      const dx = p[s] - ex, dy = p[s + 1] - ey, dz = p[s + 2] - ez;
      const depth = -(r6 * dx + r7 * dy + r8 * dz);
      if (!(depth > 0)) continue;
      const u = cx + (fx * (r0 * dx + r1 * dy + r2 * dz)) / depth;
      const v = cy - (fy * (r3 * dx + r4 * dy + r5 * dz)) / depth;
      if (!(u >= 0 && u < w && v >= 0 && v < h)) continue;
      const cell = g + ((v * cellsPerV) | 0) * GRID_COLUMNS + ((u * cellsPerU) | 0);
      if (depth <= grid[cell] * DEPTH_TOLERANCE) seen++;
    }
    return seen;
  }

  /** Squared distance from frame i's eye to a point (the tie-breaker after the score). */
  eyeDistanceSquared(i: number, point: ArrayLike<number>): number {
    const c = this.cameras, o = i * CAMERA_STRIDE;
    return (point[0] - c[o]) ** 2 + (point[1] - c[o + 1]) ** 2 + (point[2] - c[o + 2]) ** 2;
  }
}

function grown<T extends Float64Array | Float32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Fills `grid` with the farthest depth per cell (Infinity where any pixel saw sky / unknown); returns the overall farthest. */
function farthestDepthGrid(depth: Float32Array, width: number, height: number, grid: Float32Array): number {
  grid.fill(0);
  let farthest = 0;
  for (let y = 0; y < height; y++) {
    const row = Math.min(GRID_ROWS - 1, Math.floor(((y + 0.5) * GRID_ROWS) / height)) * GRID_COLUMNS;
    for (let x = 0; x < width; x++) {
      const cell = row + Math.min(GRID_COLUMNS - 1, Math.floor(((x + 0.5) * GRID_COLUMNS) / width));
      const d = depth[y * width + x];
      const seenTo = d > 0 ? d : Infinity;
      if (seenTo > grid[cell]) grid[cell] = seenTo;
      if (seenTo > farthest) farthest = seenTo;
    }
  }
  // A picture smaller than the grid leaves cells no pixel centre falls in: they take their nearest pixel.
  if (width < GRID_COLUMNS || height < GRID_ROWS) {
    for (let gy = 0; gy < GRID_ROWS; gy++) {
      for (let gx = 0; gx < GRID_COLUMNS; gx++) {
        const px = Math.min(width - 1, Math.floor(((gx + 0.5) * width) / GRID_COLUMNS));
        const py = Math.min(height - 1, Math.floor(((gy + 0.5) * height) / GRID_ROWS));
        const d = depth[py * width + px];
        const cell = gy * GRID_COLUMNS + gx;
        if (grid[cell] === 0) grid[cell] = d > 0 ? d : Infinity;
      }
    }
  }
  return farthest;
}
