/**
 * How big a lifted splat is: the pixel's footprint on the surface, so that neighbouring splats
 * overlap just enough to close the surface.
 *
 * WHY sigma = 0.65 pixel spacings (derivation). Splats sit on a lattice of spacing s (one per
 * pixel); each is a Gaussian of std sigma and peak opacity o (0.99, the rasterizer's cap). The
 * worst-covered point of the surface is a lattice cell's centre, at (i + 1/2, j + 1/2) s from the
 * splats; "over" compositing leaves there the transmittance
 *     T(k) = prod_{i,j} (1 - o exp(-((i + 1/2)^2 + (j + 1/2)^2) / (2 k^2))),   k = sigma / s,
 * which is independent of s. T falls steeply with k: 0.15 at k = 0.5, 0.05 at 0.6, 0.027 at 0.65,
 * 0.013 at 0.7. We take the smallest k that leaves at most 3% uncovered (`sigmaPerSpacing(0.03)`
 * = 0.65): any larger blurs the picture for nothing, any smaller shows the lattice as a screen door
 * once the camera comes closer than the photo's (in the photo's own view the rasterizer's 0.3 px^2
 * low-pass closes every gap whatever k is, so only closer views tell).
 *
 * THE FOOTPRINT ON A TILTED SURFACE. The splat of pixel (u, v) at depth d lies in the tangent plane
 * with normal n. The rays of pixels (u + 1, v) and (u, v + 1) meet that plane at offsets
 *     Delta_u = d (r_u - r (n . r_u) / (n . r)),   Delta_v = d (r_v - r (n . r_v) / (n . r)),
 * where r = ((u - cx) / fx, -(v - cy) / fy, -1) is the pixel's ray at unit depth and r_u = (1/fx, 0, 0),
 * r_v = (0, -1/fy, 0) its derivatives (differentiate X = (n . P) r / (n . r) with n . P = d (n . r)).
 * The surface Gaussian whose image is an isotropic Gaussian of std k pixels is then
 *     Sigma = k^2 (Delta_u Delta_u^T + Delta_v Delta_v^T)   (rank 2: flat in the plane),
 * so projected back into the photo every splat is k px wide whatever the tilt: the surface is closed
 * exactly as on the fronto-parallel lattice above. At grazing angles n . r -> 0 and the footprint
 * grows without bound; it is capped (maxStretch) relative to the footprint across the ray.
 */

/** Peak opacity of a lifted splat: the rasterizer's cap on alpha, and finite as a logit in files. */
export const MAX_OPACITY = 0.99;

/** Transmittance left at a lattice cell's centre by Gaussians of std k lattice spacings (see header). */
export function cellCentreTransmittance(k: number, opacity = MAX_OPACITY): number {
  let t = 1;
  const reach = Math.ceil(6 * k) + 1; // beyond 6 sigma a splat contributes < 1e-7
  for (let i = -reach; i < reach; i++) {
    for (let j = -reach; j < reach; j++) {
      const r2 = (i + 0.5) ** 2 + (j + 0.5) ** 2;
      t *= 1 - opacity * Math.exp(-r2 / (2 * k * k));
    }
  }
  return t;
}

/** The smallest std (in lattice spacings) whose lattice leaves at most `gap` uncovered at a cell's centre. */
export function sigmaPerSpacing(gap: number, opacity = MAX_OPACITY): number {
  if (!(gap > 1 - opacity && gap < 1)) throw new Error(`footprint: expected a gap between ${1 - opacity} and 1, found ${gap}`);
  let lo = 0.05, hi = 3;
  for (let it = 0; it < 50; it++) {
    const mid = 0.5 * (lo + hi);
    if (cellCentreTransmittance(mid, opacity) > gap) lo = mid;
    else hi = mid;
  }
  return Math.ceil(hi * 100) / 100; // rounded up, so the gap bound still holds
}

/**
 * Default splat std per pixel spacing: at most 3% of a closer view shows through the surface. This is
 * sigmaPerSpacing(0.03), written out because computing it at import cost ~45 ms of every CLI start
 * (the test checks that the two agree).
 */
export const SIGMA_PER_PIXEL = 0.65;

/** Where one splat's shape is written: 3 scales and a unit quaternion (w, x, y, z), camera frame. */
export interface FootprintOut {
  scales: Float32Array;
  rotations: Float32Array;
}

/** The camera and the flatness shared by every splat of a lift. */
export interface FootprintCamera {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** std along the normal as a fraction of the smaller in-plane std */
  thinness: number;
}

/**
 * Shape of the splat of pixel (u, v) (pixel centre coordinates) at depth d with camera-frame unit
 * normal (nx, ny, nz) facing the camera. `sigma` is the std in pixels; `maxStretch` caps each
 * in-plane std at maxStretch * sigma * (footprint across the ray). Writes scales[3i..] and
 * rotations[4i..] (camera frame): local x and y are the footprint's principal axes, local z the normal.
 *
 * The pixel comes as `pixel` = [u, v, d, nx, ny, nz, sigma, maxStretch], a Float64Array the caller
 * reuses (an exact copy of the doubles): V8 does not inline a function this long, and a double passed
 * as an argument to a call it does not inline is boxed, one heap object per value. Passed one by one,
 * these 8 and the 9 axes for writeQuatFromAxes made ~80 MB of garbage per 1024x768 lift (sampled by
 * V8's heap profiler) and its young-generation collections.
 */
export function writeFootprint(out: FootprintOut, i: number, pixel: Float64Array, cam: FootprintCamera): void {
  const u = pixel[0], v = pixel[1], d = pixel[2], nx = pixel[3], ny = pixel[4], nz = pixel[5], sigma = pixel[6], maxStretch = pixel[7];
  const { fx, fy, cx, cy } = cam;
  const rx = (u - cx) / fx, ry = -(v - cy) / fy; // rz = -1
  // n . r, negative when n faces the camera; kept at least 1 degree from perpendicular to the ray
  // so the offsets stay finite (the cap below bounds them anyway).
  const nr = Math.min(nx * rx + ny * ry - nz, -0.0175 * Math.sqrt(rx * rx + ry * ry + 1));
  const invFx = 1 / fx, invFy = 1 / fy, invNr = 1 / nr;
  // Delta_u, Delta_v (header), scaled by d.
  const cu = nx * invFx * invNr, cv = -ny * invFy * invNr;
  const ux = d * (invFx - rx * cu), uy = d * (-ry * cu), uz = d * cu;
  const vx = d * (-rx * cv), vy = d * (-invFy - ry * cv), vz = d * cv;
  // In-plane basis: e1 along Delta_u, e2 = n x e1.
  const lu = Math.sqrt(ux * ux + uy * uy + uz * uz), invLu = 1 / lu;
  const e1x = ux * invLu, e1y = uy * invLu, e1z = uz * invLu;
  const e2x = ny * e1z - nz * e1y, e2y = nz * e1x - nx * e1z, e2z = nx * e1y - ny * e1x;
  // 2x2 covariance (without sigma^2) of the two offsets in (e1, e2): [[a, b], [b, c]], and its
  // principal axis (p1, p2) in that basis: the eigenvector of the larger eigenvalue l1.
  const v1 = vx * e1x + vy * e1y + vz * e1z, v2 = vx * e2x + vy * e2y + vz * e2z;
  const a = lu * lu + v1 * v1, b = v1 * v2, c = v2 * v2;
  const half = 0.5 * (a - c);
  const root = Math.sqrt(half * half + b * b);
  const l1 = 0.5 * (a + c) + root, l2 = Math.max(0, 0.5 * (a + c) - root);
  let p1 = 1, p2 = 0;
  if (b !== 0) {
    // (l1 - c, b) and (b, l1 - a) are both eigenvectors; the longer one is the better conditioned.
    const q1 = l1 - c, q2 = l1 - a;
    if (q1 * q1 >= q2 * q2) { p1 = q1; p2 = b; } else { p1 = b; p2 = q2; }
    const invLen = 1 / Math.sqrt(p1 * p1 + p2 * p2);
    p1 *= invLen; p2 *= invLen;
  } else if (c > a) {
    p1 = 0; p2 = 1;
  }
  const ax = p1 * e1x + p2 * e2x, ay = p1 * e1y + p2 * e2y, az = p1 * e1z + p2 * e2z;
  const bx = ny * az - nz * ay, by = nz * ax - nx * az, bz = nx * ay - ny * ax;
  // Cap: the footprint across the ray is d |r| / f (f: mean focal length).
  const across = (d * Math.sqrt(rx * rx + ry * ry + 1) * 2) / (fx + fy);
  const cap = maxStretch * sigma * across;
  let s1 = sigma * Math.sqrt(l1), s2 = sigma * Math.sqrt(l2);
  if (!(s1 <= cap)) s1 = cap; // also catches NaN from a normal perpendicular to the ray
  if (!(s2 <= cap)) s2 = cap;
  if (!(s2 > 0)) s2 = sigma * across;
  out.scales[3 * i] = s1;
  out.scales[3 * i + 1] = s2;
  out.scales[3 * i + 2] = cam.thinness * (s1 < s2 ? s1 : s2);
  AXES[0] = ax; AXES[1] = ay; AXES[2] = az; AXES[3] = bx; AXES[4] = by; AXES[5] = bz; AXES[6] = nx; AXES[7] = ny; AXES[8] = nz;
  writeQuatFromAxes(out.rotations, 4 * i, AXES);
}

/** writeFootprint's axes for writeQuatFromAxes (reused: see writeFootprint on boxed doubles). */
const AXES = new Float64Array(9);

/**
 * Unit quaternion (w, x, y, z) of the rotation whose columns are the axes a, b, c (local x, y, z in
 * the camera frame), given as axes = [ax, ay, az, bx, by, bz, cx, cy, cz], written at rot[at..at+4]
 * (Shepperd's method, as quatFromMat3 in core/quat.ts, inlined: this runs once per pixel).
 */
export function writeQuatFromAxes(rot: Float32Array, at: number, axes: Float64Array): void {
  const ax = axes[0], ay = axes[1], az = axes[2], bx = axes[3], by = axes[4], bz = axes[5], cx = axes[6], cy = axes[7], cz = axes[8];
  // Row-major m = [ax bx cx; ay by cy; az bz cz].
  const m00 = ax, m01 = bx, m02 = cx, m10 = ay, m11 = by, m12 = cy, m20 = az, m21 = bz, m22 = cz;
  const trace = m00 + m11 + m22;
  let w, x, y, z;
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    w = 0.25 * s; x = (m21 - m12) / s; y = (m02 - m20) / s; z = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    w = (m21 - m12) / s; x = 0.25 * s; y = (m01 + m10) / s; z = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    w = (m02 - m20) / s; x = (m01 + m10) / s; y = 0.25 * s; z = (m12 + m21) / s;
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    w = (m10 - m01) / s; x = (m02 + m20) / s; y = (m12 + m21) / s; z = 0.25 * s;
  }
  const inv = 1 / Math.sqrt(w * w + x * x + y * y + z * z);
  rot[at] = w * inv; rot[at + 1] = x * inv; rot[at + 2] = y * inv; rot[at + 3] = z * inv;
}
