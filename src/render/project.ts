/**
 * Per-splat preprocessing of the reference rasterizer (the `preprocess` kernel of the 3DGS CUDA
 * rasterizer): cull, project the centre, project the 3D covariance to a 2D one (EWA splatting),
 * invert it to the conic, bound the footprint, and evaluate the view-dependent colour.
 *
 * Signs of the projection Jacobian, in the program's convention (camera.ts):
 *   camera coordinates (X, Y, Z) with +X right, +Y up, looking down -Z; depth d = -Z;
 *   u = cx + fx X / d,  v = cy - fy Y / d   (v grows downward).
 * Writing the camera point in the "image-aligned" frame x = X, y = -Y, d = -Z (a rotation by 180
 * degrees about X, F = diag(1, -1, -1), det +1) gives u = cx + fx x / d, v = cy + fy y / d, whose
 * Jacobian is exactly the paper's
 *   J = [[fx/d, 0, -fx x/d^2], [0, fy/d, -fy y/d^2]]   (with respect to (x, y, d)).
 * So Σ' = J (F W) Σ (F W)^T J^T, where W is the camera-from-world rotation of the Pose; F W is W with
 * its second and third rows negated. (Equivalently, with respect to (X, Y, Z) directly:
 * J = [[fx/d, 0, fx X/d^2], [0, -fy/d, -fy Y/d^2]].)
 *
 * As the reference does, x/d and y/d are clamped to 1.3x the half field of view before J is formed
 * (limx = 1.3 tan(fovx/2)), which keeps J bounded for splats far outside the view; here the margin is
 * 1.3x the distance from the principal point to each image edge, the same thing when the principal
 * point is centred. Splats whose centre lies inside that margin are unaffected.
 */
import type { Intrinsics, Pose } from '../core/camera.ts';
import { shBasisRest, shRestCount } from '../core/sh.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';

/** Doubles per splat in ProjectedSplats.packed. */
export const PACKED_STRIDE = 16;
/** Offsets of the fields in a packed record (see ProjectedSplats.packed). */
export const P_U = 0, P_V = 1, P_CONIC_A = 2, P_CONIC_B = 3, P_CONIC_C = 4, P_OPACITY = 5, P_LEVEL = 6, P_DEPTH = 7;
export const P_R = 8, P_G = 9, P_B = 10, P_X0 = 11, P_Y0 = 12, P_X1 = 13, P_Y1 = 14;

/** Splats that survived culling, in cloud order. */
export interface ProjectedSplats {
  count: number;
  /** index of each projected splat in the cloud */
  index: Uint32Array;
  /**
   * One record of PACKED_STRIDE doubles per splat (offsets P_*), because compositing reads the splats
   * in depth order, scattered over memory: a record is two cache lines where separate columns were
   * eleven (on the sample photo's world, 550k splats at 512x384, that was ~25% of compositing). Fields:
   *   u, v: projected centre, pixels (continuous; pixel (i, j) has its centre at (i + 0.5, j + 0.5));
   *   conic a, b, c: inverse of the 2D covariance (low-pass included), [a b; b c];
   *   opacity;
   *   level: pixels with d^T conic d <= level can have alpha >= 1/255;
   *   depth: of the centre along the view axis, metres, rounded to float32 (the sort key, `depth`);
   *   r, g, b: colour, clamped at 0 from below;
   *   x0, y0, x1, y1: inclusive pixel bounds of the footprint, clipped to the image (integers).
   */
  packed: Float64Array;
  /** depth of the centre along the view axis, metres (the sort key) */
  depth: Float32Array;
}

/**
 * Arrays for projectSplats to write into instead of fresh ones (rasterizer.ts keeps one set from one
 * render to the next), each at least as long as a fresh one would be; their contents do not matter:
 * every record it counts is written whole, and nothing past `count` is read.
 */
export interface ProjectionRoom {
  index: Uint32Array;
  packed: Float64Array;
  depth: Float32Array;
}

export interface ProjectOptions {
  near: number;
  lowPass: number;
  shDegree: number;
  /**
   * image rows [start, end) to project for (a band of the picture, band-render.ts): splats whose
   * footprint misses them are culled, and x0..y1 are clipped to them; default every row. The splats
   * kept are those the whole picture keeps that touch the band, in the same order with the same
   * records but for the clipped rows.
   */
  rows?: readonly [number, number];
}

const ALPHA_MIN = 1 / 255;
/** Relative widening of the footprint level, so rounding never drops a pixel that passes the 1/255 test. */
const LEVEL_SLACK = 1 + 1e-9;
/** Relative widening of the early-out bounds on the footprint (see projectSplats). */
const BOUND_SLACK = 1 + 1e-6;

/**
 * Projects every splat of the cloud. `tick(done)` is called every few thousand splats (progress,
 * cancellation); it may throw to abort.
 */
export function projectSplats(
  cloud: SplatCloud,
  pose: Pose,
  k: Intrinsics,
  options: ProjectOptions,
  tick?: (done: number) => void,
  room?: ProjectionRoom,
): ProjectedSplats {
  const n = cloud.count;
  const { width, height, fx, fy, cx, cy } = k;
  const { near, lowPass } = options;
  const [rowStart, rowEnd] = options.rows ?? [0, height];
  if (!(Number.isInteger(rowStart) && Number.isInteger(rowEnd) && rowStart >= 0 && rowStart < rowEnd && rowEnd <= height)) {
    throw new Error(`project: expected rows [start, end) within 0..${height}, found [${rowStart}, ${rowEnd})`);
  }
  const positions = cloud.positions, scales = cloud.scales, rotations = cloud.rotations;
  const opacities = cloud.opacities, colors = cloud.colors;
  const shStride = cloud.shCoefficients * 3;
  const shDeg = Math.max(0, Math.min(Math.floor(options.shDegree), cloud.shDegree));
  const shCount = shRestCount(shDeg);
  const sh = shDeg > 0 ? cloud.sh! : null;
  const basis = new Float64Array(15);

  // Camera-from-world W with rows 2 and 3 negated (F W, see the header): maps world directions to the
  // image-aligned frame (x right, y down, d forward).
  const w = pose.cameraFromWorld;
  const w00 = w[0], w01 = w[1], w02 = w[2];
  const w10 = -w[3], w11 = -w[4], w12 = -w[5];
  const w20 = -w[6], w21 = -w[7], w22 = -w[8];
  const ex = pose.position[0], ey = pose.position[1], ez = pose.position[2];

  const limXMin = (-1.3 * cx) / fx, limXMax = (1.3 * (width - cx)) / fx;
  const limYMin = (-1.3 * cy) / fy, limYMax = (1.3 * (height - cy)) / fy;

  const out: ProjectedSplats = room
    ? { count: 0, index: room.index.subarray(0, n), packed: room.packed.subarray(0, PACKED_STRIDE * n), depth: room.depth.subarray(0, n) }
    : { count: 0, index: new Uint32Array(n), packed: new Float64Array(PACKED_STRIDE * n), depth: new Float32Array(n) };
  const { index, packed, depth: outDepth } = out;
  let m = 0;
  let levelOf = NaN, lastLevel = NaN;

  for (let i = 0; i < n; i++) {
    if (tick !== undefined && (i & 4095) === 4095) tick(i);
    const o = opacities[i];
    // Nothing of a splat fainter than 1/255 at its peak passes the alpha test.
    if (!(o >= ALPHA_MIN)) continue;
    const px = positions[3 * i] - ex, py = positions[3 * i + 1] - ey, pz = positions[3 * i + 2] - ez;
    const d = w20 * px + w21 * py + w22 * pz;
    if (!(d > near)) continue;
    const x = w00 * px + w01 * py + w02 * pz;
    const y = w10 * px + w11 * py + w12 * pz;
    const invD = 1 / d;
    const mu = cx + fx * x * invD;
    const mv = cy + fy * y * invD;

    // Jacobian at the (clamped) centre, in the image-aligned frame.
    let tx = x * invD, ty = y * invD;
    tx = tx < limXMin ? limXMin : tx > limXMax ? limXMax : tx;
    ty = ty < limYMin ? limYMin : ty > limYMax ? limYMax : ty;
    const j00 = fx * invD, j02 = -fx * tx * invD;
    const j11 = fy * invD, j12 = -fy * ty * invD;
    // (Math.log is not inlined and costs ~25 ns; a world lifted from a photo has one opacity throughout.)
    if (o !== levelOf) { levelOf = o; lastLevel = 2 * Math.log(255 * o) * LEVEL_SLACK + 1e-12; }
    const level = lastLevel;

    // Early out for splats whose footprint certainly misses the image (most splats of a world seen
    // from inside are off to the side): before the covariance, bound its half-extents. Σ'xx is the
    // squared length of row 0 of J M, M = (F W) R S with F W and R rotations, so it is at most
    // |J row 0|^2 max(s)^2 (+ lowPass); likewise Σ'yy. The bounds are widened by 1e-6 relative, far
    // beyond rounding, so a splat skipped here is one the exact test below would skip too (NaN or
    // infinite bounds skip nothing).
    const s0 = scales[3 * i], s1 = scales[3 * i + 1], s2 = scales[3 * i + 2];
    const sMax = Math.max(Math.abs(s0), Math.abs(s1), Math.abs(s2));
    const hxMax = Math.sqrt(level * ((j00 * j00 + j02 * j02) * sMax * sMax + lowPass)) * BOUND_SLACK + 1e-9;
    const hyMax = Math.sqrt(level * ((j11 * j11 + j12 * j12) * sMax * sMax + lowPass)) * BOUND_SLACK + 1e-9;
    if (mu + hxMax - 0.5 < 0 || mu - hxMax - 0.5 > width - 1 || mv + hyMax - 0.5 < rowStart || mv - hyMax - 0.5 > rowEnd - 1) continue;

    // Rotation of the splat (local-to-world), from its quaternion (normalised here, as 3DGS does).
    let qw = rotations[4 * i], qx = rotations[4 * i + 1], qy = rotations[4 * i + 2], qz = rotations[4 * i + 3];
    const qn = 1 / Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
    qw *= qn; qx *= qn; qy *= qn; qz *= qn;
    const r00 = 1 - 2 * (qy * qy + qz * qz), r01 = 2 * (qx * qy - qw * qz), r02 = 2 * (qx * qz + qw * qy);
    const r10 = 2 * (qx * qy + qw * qz), r11 = 1 - 2 * (qx * qx + qz * qz), r12 = 2 * (qy * qz - qw * qx);
    const r20 = 2 * (qx * qz - qw * qy), r21 = 2 * (qy * qz + qw * qx), r22 = 1 - 2 * (qx * qx + qy * qy);
    const sx = s0, sy = s1, sz = s2;

    // M = (F W) R S (columns of R scaled), then T = J M (2x3); Σ' = T T^T, since Σ = (R S)(R S)^T.
    const m00 = (w00 * r00 + w01 * r10 + w02 * r20) * sx;
    const m01 = (w00 * r01 + w01 * r11 + w02 * r21) * sy;
    const m02 = (w00 * r02 + w01 * r12 + w02 * r22) * sz;
    const m10 = (w10 * r00 + w11 * r10 + w12 * r20) * sx;
    const m11 = (w10 * r01 + w11 * r11 + w12 * r21) * sy;
    const m12 = (w10 * r02 + w11 * r12 + w12 * r22) * sz;
    const m20 = (w20 * r00 + w21 * r10 + w22 * r20) * sx;
    const m21 = (w20 * r01 + w21 * r11 + w22 * r21) * sy;
    const m22 = (w20 * r02 + w21 * r12 + w22 * r22) * sz;
    const t00 = j00 * m00 + j02 * m20, t01 = j00 * m01 + j02 * m21, t02 = j00 * m02 + j02 * m22;
    const t10 = j11 * m10 + j12 * m20, t11 = j11 * m11 + j12 * m21, t12 = j11 * m12 + j12 * m22;
    const sxx = t00 * t00 + t01 * t01 + t02 * t02 + lowPass;
    const sxy = t00 * t10 + t01 * t11 + t02 * t12;
    const syy = t10 * t10 + t11 * t11 + t12 * t12 + lowPass;
    const det = sxx * syy - sxy * sxy;
    if (!(det > 0)) continue;

    // Footprint: opacity * exp(-q/2) >= 1/255  <=>  q <= 2 ln(255 opacity). Unlike the reference's
    // 3-sigma radius, this exact level never truncates a pixel that would pass the 1/255 test (and
    // skips faint splats' pixels that cannot). The bounding box of the ellipse d^T Σ'^-1 d <= level
    // has half-extents sqrt(level Σ'xx), sqrt(level Σ'yy).
    const hx = Math.sqrt(level * sxx), hy = Math.sqrt(level * syy);
    let x0 = Math.ceil(mu - hx - 0.5), x1 = Math.floor(mu + hx - 0.5);
    let y0 = Math.ceil(mv - hy - 0.5), y1 = Math.floor(mv + hy - 0.5);
    if (x0 < 0) x0 = 0;
    if (y0 < rowStart) y0 = rowStart;
    if (x1 > width - 1) x1 = width - 1;
    if (y1 > rowEnd - 1) y1 = rowEnd - 1;
    if (!(x0 <= x1 && y0 <= y1)) continue; // misses the image (or not finite)

    // Colour: base + sum_k basis_k(dir) sh_k, dir from the eye to the splat in world axes, clamped at 0.
    let cr = colors[3 * i], cg = colors[3 * i + 1], cb = colors[3 * i + 2];
    if (sh !== null) {
      const len = Math.sqrt(px * px + py * py + pz * pz);
      shBasisRest(shDeg, px / len, py / len, pz / len, basis);
      const base = i * shStride;
      for (let c = 0; c < shCount; c++) {
        const bk = basis[c];
        cr += bk * sh[base + 3 * c];
        cg += bk * sh[base + 3 * c + 1];
        cb += bk * sh[base + 3 * c + 2];
      }
    }

    const invDet = 1 / det;
    index[m] = i;
    outDepth[m] = d;
    const q = PACKED_STRIDE * m;
    packed[q + P_U] = mu;
    packed[q + P_V] = mv;
    packed[q + P_CONIC_A] = syy * invDet;
    packed[q + P_CONIC_B] = -sxy * invDet;
    packed[q + P_CONIC_C] = sxx * invDet;
    packed[q + P_OPACITY] = o;
    packed[q + P_LEVEL] = level;
    packed[q + P_DEPTH] = Math.fround(d); // as stored in outDepth
    packed[q + P_R] = cr > 0 ? cr : 0;
    packed[q + P_G] = cg > 0 ? cg : 0;
    packed[q + P_B] = cb > 0 ? cb : 0;
    packed[q + P_X0] = x0;
    packed[q + P_Y0] = y0;
    packed[q + P_X1] = x1;
    packed[q + P_Y1] = y1;
    m++;
  }
  out.count = m;
  return out;
}
