/**
 * Analytic primitives of a procedural scene, each with an exact ray intersection and surface normal:
 * boxes (turned about Y), the inside of a room, vertical cylinders and cones, ellipsoids. Every one
 * carries a bounding sphere so a ray skips it with one dot product (raycast.ts).
 *
 * Rays are o + t d with unit d; intersect() returns the nearest t in (tMin, tMax) or Infinity.
 * Written on plain numbers (no Vec3 arrays) because they run once per pixel per primitive.
 */

export abstract class Primitive {
  /** bounding sphere */
  bx = 0; by = 0; bz = 0; br = 0;
  /** material index in the scene's table */
  material: number;
  /** which placed object this belongs to (scene.objects), -1 for none */
  object = -1;
  /** false: does not cast shadows (lamps' glowing bulbs, windows) */
  castsShadow = true;

  constructor(material: number) {
    this.material = material;
  }

  abstract intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number;
  /** unit outward normal at a point on the surface, into out[0..2] */
  abstract normal(px: number, py: number, pz: number, out: Float64Array): void;
  /** material of the face with this normal (rooms have floor, walls and ceiling) */
  materialAt(_nx: number, _ny: number, _nz: number): number {
    return this.material;
  }
}

/** A box of half sizes (hx, hy, hz) around (cx, cy, cz), turned by `yaw` radians about +Y. */
export class Box extends Primitive {
  readonly c: number; readonly s: number;
  constructor(
    readonly cx: number, readonly cy: number, readonly cz: number,
    readonly hx: number, readonly hy: number, readonly hz: number,
    readonly yaw: number, material: number,
  ) {
    super(material);
    this.c = Math.cos(yaw); this.s = Math.sin(yaw);
    this.bx = cx; this.by = cy; this.bz = cz; this.br = Math.hypot(hx, hy, hz);
  }

  intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number {
    // Into box coordinates: rotate by -yaw about Y.
    const rx = ox - this.cx, rz = oz - this.cz;
    const lox = this.c * rx - this.s * rz, loz = this.s * rx + this.c * rz, loy = oy - this.cy;
    const ldx = this.c * dx - this.s * dz, ldz = this.s * dx + this.c * dz;
    let t0 = tMin, t1 = tMax;
    // Slabs x, y, z in turn (unrolled: this runs for every pixel that reaches the box).
    if (Math.abs(ldx) < 1e-12) { if (lox < -this.hx || lox > this.hx) return Infinity; }
    else {
      let a = (-this.hx - lox) / ldx, b = (this.hx - lox) / ldx;
      if (a > b) { const t = a; a = b; b = t; }
      if (a > t0) t0 = a;
      if (b < t1) t1 = b;
      if (t0 > t1) return Infinity;
    }
    if (Math.abs(dy) < 1e-12) { if (loy < -this.hy || loy > this.hy) return Infinity; }
    else {
      let a = (-this.hy - loy) / dy, b = (this.hy - loy) / dy;
      if (a > b) { const t = a; a = b; b = t; }
      if (a > t0) t0 = a;
      if (b < t1) t1 = b;
      if (t0 > t1) return Infinity;
    }
    if (Math.abs(ldz) < 1e-12) { if (loz < -this.hz || loz > this.hz) return Infinity; }
    else {
      let a = (-this.hz - loz) / ldz, b = (this.hz - loz) / ldz;
      if (a > b) { const t = a; a = b; b = t; }
      if (a > t0) t0 = a;
      if (b < t1) t1 = b;
      if (t0 > t1) return Infinity;
    }
    return t0 > tMin ? t0 : Infinity; // a ray starting inside sees no outside face
  }

  normal(px: number, py: number, pz: number, out: Float64Array): void {
    const rx = px - this.cx, rz = pz - this.cz;
    const lx = (this.c * rx - this.s * rz) / this.hx, ly = (py - this.cy) / this.hy, lz = (this.s * rx + this.c * rz) / this.hz;
    const ax = Math.abs(lx), ay = Math.abs(ly), az = Math.abs(lz);
    let nx = 0, ny = 0, nz = 0;
    if (ax >= ay && ax >= az) nx = Math.sign(lx); else if (ay >= az) ny = Math.sign(ly); else nz = Math.sign(lz);
    // Back to the world: rotate by +yaw.
    out[0] = this.c * nx + this.s * nz; out[1] = ny; out[2] = -this.s * nx + this.c * nz;
  }
}

/** The inside of an axis-aligned box: floor, walls and ceiling seen from within (normals point in). */
export class RoomShell extends Primitive {
  constructor(
    readonly x0: number, readonly y0: number, readonly z0: number,
    readonly x1: number, readonly y1: number, readonly z1: number,
    readonly floor: number, readonly walls: number, readonly ceiling: number,
  ) {
    super(walls);
    this.bx = (x0 + x1) / 2; this.by = (y0 + y1) / 2; this.bz = (z0 + z1) / 2;
    this.br = Math.hypot(x1 - x0, y1 - y0, z1 - z0) / 2;
  }

  intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number {
    // The far side of each slab; the nearest of those is where a ray from inside leaves the room.
    let t = Infinity;
    if (dx > 0) t = Math.min(t, (this.x1 - ox) / dx); else if (dx < 0) t = Math.min(t, (this.x0 - ox) / dx);
    if (dy > 0) t = Math.min(t, (this.y1 - oy) / dy); else if (dy < 0) t = Math.min(t, (this.y0 - oy) / dy);
    if (dz > 0) t = Math.min(t, (this.z1 - oz) / dz); else if (dz < 0) t = Math.min(t, (this.z0 - oz) / dz);
    const inside = ox > this.x0 && ox < this.x1 && oy > this.y0 && oy < this.y1 && oz > this.z0 && oz < this.z1;
    return inside && t > tMin && t < tMax ? t : Infinity;
  }

  normal(px: number, py: number, pz: number, out: Float64Array): void {
    // The nearest wall is the one hit (no array: this runs for most pixels of a room).
    let k = 0, best = px - this.x0;
    if (this.x1 - px < best) { k = 1; best = this.x1 - px; }
    if (py - this.y0 < best) { k = 2; best = py - this.y0; }
    if (this.y1 - py < best) { k = 3; best = this.y1 - py; }
    if (pz - this.z0 < best) { k = 4; best = pz - this.z0; }
    if (this.z1 - pz < best) k = 5;
    out[0] = k === 0 ? 1 : k === 1 ? -1 : 0;
    out[1] = k === 2 ? 1 : k === 3 ? -1 : 0;
    out[2] = k === 4 ? 1 : k === 5 ? -1 : 0;
  }

  override materialAt(_nx: number, ny: number): number {
    return ny > 0.5 ? this.floor : ny < -0.5 ? this.ceiling : this.walls;
  }
}

/** A vertical cylinder with flat caps: axis through (cx, cz), from y0 to y1. */
export class Cylinder extends Primitive {
  constructor(readonly cx: number, readonly cz: number, readonly y0: number, readonly y1: number, readonly r: number, material: number) {
    super(material);
    this.bx = cx; this.by = (y0 + y1) / 2; this.bz = cz; this.br = Math.hypot(r, (y1 - y0) / 2);
  }

  intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number {
    let best = Infinity;
    const px = ox - this.cx, pz = oz - this.cz;
    const a = dx * dx + dz * dz;
    if (a > 1e-12) {
      const b = px * dx + pz * dz, c = px * px + pz * pz - this.r * this.r;
      const disc = b * b - a * c;
      if (disc >= 0) {
        const sq = Math.sqrt(disc);
        const ta = (-b - sq) / a, tb = (-b + sq) / a;
        if (ta > tMin && ta < tMax) { const y = oy + ta * dy; if (y >= this.y0 && y <= this.y1) best = ta; }
        if (best === Infinity && tb > tMin && tb < tMax) { const y = oy + tb * dy; if (y >= this.y0 && y <= this.y1) best = tb; }
      }
    }
    if (Math.abs(dy) > 1e-12) {
      for (let k = 0; k < 2; k++) {
        const t = ((k === 0 ? this.y0 : this.y1) - oy) / dy;
        if (t > tMin && t < tMax && t < best) {
          const x = px + t * dx, z = pz + t * dz;
          if (x * x + z * z <= this.r * this.r) best = t;
        }
      }
    }
    return best;
  }

  normal(px: number, py: number, pz: number, out: Float64Array): void {
    const eps = 1e-6 * (1 + this.r);
    if (py >= this.y1 - eps) { out[0] = 0; out[1] = 1; out[2] = 0; return; }
    if (py <= this.y0 + eps) { out[0] = 0; out[1] = -1; out[2] = 0; return; }
    const x = px - this.cx, z = pz - this.cz, l = Math.hypot(x, z) || 1;
    out[0] = x / l; out[1] = 0; out[2] = z / l;
  }
}

/** A vertical cone: base disc of radius r at y0 around (cx, cz), apex at y1. */
export class Cone extends Primitive {
  readonly k: number;
  constructor(readonly cx: number, readonly cz: number, readonly y0: number, readonly y1: number, readonly r: number, material: number) {
    super(material);
    this.k = r / (y1 - y0);
    this.bx = cx; this.by = (y0 + y1) / 2; this.bz = cz; this.br = Math.hypot(r, (y1 - y0) / 2);
  }

  intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number {
    // x^2 + z^2 = k^2 (y1 - y)^2 with x, z relative to the axis.
    const px = ox - this.cx, pz = oz - this.cz, h = this.y1 - oy, k2 = this.k * this.k;
    const a = dx * dx + dz * dz - k2 * dy * dy;
    const b = px * dx + pz * dz + k2 * h * dy;
    const c = px * px + pz * pz - k2 * h * h;
    let best = Infinity;
    let ta = Infinity, tb = Infinity;
    if (Math.abs(a) > 1e-12) {
      const disc = b * b - a * c;
      if (disc >= 0) {
        const sq = Math.sqrt(disc);
        ta = (-b - sq) / a; tb = (-b + sq) / a;
      }
    } else if (Math.abs(b) > 1e-12) ta = -c / (2 * b);
    // Both roots can lie on the double cone; keep the nearest on the real (lower) nappe.
    if (ta > tMin && ta < tMax) { const y = oy + ta * dy; if (y >= this.y0 && y <= this.y1) best = ta; }
    if (tb > tMin && tb < tMax && tb < best) { const y = oy + tb * dy; if (y >= this.y0 && y <= this.y1) best = tb; }
    if (Math.abs(dy) > 1e-12) {
      const t = (this.y0 - oy) / dy;
      if (t > tMin && t < tMax && t < best) {
        const x = px + t * dx, z = pz + t * dz;
        if (x * x + z * z <= this.r * this.r) best = t;
      }
    }
    return best;
  }

  normal(px: number, py: number, pz: number, out: Float64Array): void {
    if (py <= this.y0 + 1e-6 * (1 + this.r)) { out[0] = 0; out[1] = -1; out[2] = 0; return; }
    const x = px - this.cx, z = pz - this.cz, l = Math.hypot(x, z) || 1;
    // The side's normal leans up by the cone's half-angle: (radial, k) normalised.
    const n = Math.hypot(1, this.k);
    out[0] = x / l / n; out[1] = this.k / n; out[2] = z / l / n;
  }
}

/** An axis-aligned ellipsoid with radii (ax, ay, az); a sphere when they are equal. */
export class Ellipsoid extends Primitive {
  constructor(readonly cx: number, readonly cy: number, readonly cz: number, readonly ax: number, readonly ay: number, readonly az: number, material: number) {
    super(material);
    this.bx = cx; this.by = cy; this.bz = cz; this.br = Math.max(ax, ay, az);
  }

  intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number): number {
    const px = (ox - this.cx) / this.ax, py = (oy - this.cy) / this.ay, pz = (oz - this.cz) / this.az;
    const qx = dx / this.ax, qy = dy / this.ay, qz = dz / this.az;
    const a = qx * qx + qy * qy + qz * qz, b = px * qx + py * qy + pz * qz, c = px * px + py * py + pz * pz - 1;
    const disc = b * b - a * c;
    if (disc < 0) return Infinity;
    const sq = Math.sqrt(disc);
    const t0 = (-b - sq) / a;
    if (t0 > tMin && t0 < tMax) return t0;
    const t1 = (-b + sq) / a;
    return c > 0 || !(t1 > tMin && t1 < tMax) ? Infinity : t1; // from inside, only if asked (c < 0)
  }

  normal(px: number, py: number, pz: number, out: Float64Array): void {
    const x = (px - this.cx) / (this.ax * this.ax), y = (py - this.cy) / (this.ay * this.ay), z = (pz - this.cz) / (this.az * this.az);
    const l = Math.hypot(x, y, z) || 1;
    out[0] = x / l; out[1] = y / l; out[2] = z / l;
  }
}
