/**
 * SplatCloud → Spark's PackedSplats arrays (16 bytes a splat, plus SH words), built in memory with
 * Spark's own encoders so the bit layout is always the one its shaders read.
 *
 * Spark stores centres as float16, which has 11 significant bits: a splat 50 m from its origin would
 * be off by up to 1.5 cm. So every chunk is packed relative to its own centre (`origin`) and the
 * SplatMesh holding it is placed there; float16 error then scales with the chunk's size, not with
 * its distance from the world origin. (Spark's accumulator re-centres on the camera each frame, so
 * the far side of the world does not cost precision near the viewer either.)
 */
import { utils } from '@sparkjsdev/spark';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import type { Vec3 } from '../../core/vec3.ts';

export interface PackedChunk {
  numSplats: number;
  /** Where the chunk's local origin sits in the world. */
  origin: Vec3;
  packedArray: Uint32Array;
  /** Spark's SH words per degree; absent degrees are absent keys. */
  extra: { sh1?: Uint32Array; sh2?: Uint32Array; sh3?: Uint32Array };
  splatEncoding: { rgbMin: number; rgbMax: number; sh1Max: number; sh2Max: number; sh3Max: number };
}

/** Centre of the axis-aligned bounds (not the mean: one far splat should not move it much further). */
export function chunkOrigin(cloud: SplatCloud): Vec3 {
  const b = cloud.bounds();
  return b ? [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2] : [0, 0, 0];
}

export function packForSpark(cloud: SplatCloud): PackedChunk {
  const n = cloud.count;
  const origin = chunkOrigin(cloud);
  const { positions: p, scales: s, rotations: q, opacities: a, colors: c } = cloud;
  // Colours are quantised to 8 bits over [rgbMin, rgbMax]; widen the range only when the data
  // overshoots 0..1 (the SH-folded base colour can), so ordinary worlds keep full 8-bit precision.
  let rgbMin = 0, rgbMax = 1;
  for (let i = 0; i < c.length; i++) {
    if (c[i] < rgbMin) rgbMin = c[i];
    if (c[i] > rgbMax) rgbMax = c[i];
  }
  const shMax = shBandMaxima(cloud);
  const splatEncoding = { rgbMin, rgbMax, sh1Max: shMax[0], sh2Max: shMax[1], sh3Max: shMax[2] };
  // Spark sizes its texture in whole rows of 2048 splats and ignores a shorter array's tail.
  const capacity = utils.computeMaxSplats(n);
  const packedArray = new Uint32Array(capacity * 4);
  const [ox, oy, oz] = origin;
  for (let i = 0; i < n; i++) {
    const i3 = 3 * i, i4 = 4 * i;
    utils.setPackedSplat(
      packedArray, i,
      p[i3] - ox, p[i3 + 1] - oy, p[i3 + 2] - oz,
      s[i3], s[i3 + 1], s[i3 + 2],
      q[i4 + 1], q[i4 + 2], q[i4 + 3], q[i4], // Spark wants (x, y, z, w); SplatCloud holds (w, x, y, z)
      a[i],
      c[i3], c[i3 + 1], c[i3 + 2],
      splatEncoding,
    );
  }
  return { numSplats: n, origin, packedArray, extra: packSh(cloud, capacity, splatEncoding), splatEncoding };
}

/** Largest |coefficient| per SH band, so each band's signed 6-8 bit code spans exactly its data. */
function shBandMaxima(cloud: SplatCloud): [number, number, number] {
  const out: [number, number, number] = [1, 1, 1];
  const sh = cloud.sh;
  if (!sh) return out;
  const k = cloud.shCoefficients;
  const bandOf = (coef: number) => (coef < 3 ? 0 : coef < 8 ? 1 : 2);
  const max = [0, 0, 0];
  for (let i = 0; i < sh.length; i++) {
    const band = bandOf(Math.floor(i / 3) % k);
    const v = Math.abs(sh[i]);
    if (v > max[band]) max[band] = v;
  }
  for (let b = 0; b < 3; b++) if (max[b] > 0) out[b] = max[b];
  return out;
}

function packSh(cloud: SplatCloud, capacity: number, encoding: PackedChunk['splatEncoding']): PackedChunk['extra'] {
  const degree = cloud.shDegree;
  const sh = cloud.sh;
  if (!sh || degree === 0) return {};
  const k3 = cloud.shCoefficients * 3;
  const extra: PackedChunk['extra'] = { sh1: new Uint32Array(capacity * 2) };
  if (degree >= 2) extra.sh2 = new Uint32Array(capacity * 4);
  if (degree >= 3) extra.sh3 = new Uint32Array(capacity * 4);
  // SplatCloud and Spark agree on the layout inside a band: [coefficient][rgb].
  for (let i = 0; i < cloud.count; i++) {
    const base = i * k3;
    utils.encodeSh1Rgb(extra.sh1!, i, sh.subarray(base, base + 9), encoding);
    if (extra.sh2) utils.encodeSh2Rgb(extra.sh2, i, sh.subarray(base + 9, base + 24), encoding);
    if (extra.sh3) utils.encodeSh3Rgb(extra.sh3, i, sh.subarray(base + 24, base + 45), encoding);
  }
  return extra;
}
