/**
 * SplatCloud → Spark's "extended" splat arrays (ExtSplats: 32 bytes a splat, plus SH words), built
 * in memory with Spark's own encoders so the bit layout is always the one its shaders read.
 *
 * Why the extended encoding and not Spark's default 16-byte PackedSplats: packed centres are
 * float16 (a splat 12 m from its origin lands up to 6 mm off, a visible wobble up close while
 * walking), colours are clamped to an 8-bit range and scales step by 8%. Extended splats keep
 * float32 centres in world coordinates and float16 colour, opacity and log-scale, so a growing world
 * needs no per-chunk origin bookkeeping and renders like the 3DGS reference (see the e2e test).
 */
import { utils } from '@sparkjsdev/spark';
import type { SplatCloud } from '../../core/splat-cloud.ts';

export interface ExtChunk {
  numSplats: number;
  extArrays: [Uint32Array, Uint32Array];
  /** SH words per band as Spark's ExtSplats reads them; absent bands are absent keys. */
  extra: { sh1?: Uint32Array; sh2?: Uint32Array; sh3a?: Uint32Array; sh3b?: Uint32Array };
}

export function packForSpark(cloud: SplatCloud): ExtChunk {
  const n = cloud.count;
  // Spark sizes its textures in whole rows of 2048 splats and ignores a shorter array's tail.
  const capacity = utils.computeMaxSplats(n);
  const extArrays: [Uint32Array, Uint32Array] = [new Uint32Array(capacity * 4), new Uint32Array(capacity * 4)];
  const { positions: p, scales: s, rotations: q, opacities: a, colors: c } = cloud;
  for (let i = 0; i < n; i++) {
    const i3 = 3 * i, i4 = 4 * i;
    utils.encodeExtSplat(
      extArrays, i,
      p[i3], p[i3 + 1], p[i3 + 2],
      s[i3], s[i3 + 1], s[i3 + 2],
      q[i4 + 1], q[i4 + 2], q[i4 + 3], q[i4], // Spark wants (x, y, z, w); SplatCloud holds (w, x, y, z)
      a[i],
      c[i3], c[i3 + 1], c[i3 + 2],
    );
  }
  return { numSplats: n, extArrays, extra: packSh(cloud, capacity) };
}

/**
 * One word per coefficient (its rgb with a shared exponent, see encodeSharedExponentRgb), four words
 * per texel: sh1 = [b1 c0, b1 c1, b1 c2, b2 c0], sh2 = [b2 c1..c4], sh3a = [b3 c0..c3],
 * sh3b = [b3 c4..c6, -]. Written here rather than with Spark's encodeExtSh12Rgb, which in 2.2.0
 * reads the band-2 coefficients at the wrong offsets (k * 5 instead of k * 3).
 */
function packSh(cloud: SplatCloud, capacity: number): ExtChunk['extra'] {
  const sh = cloud.sh;
  const degree = cloud.shDegree;
  if (!sh || degree === 0) return {};
  const words = [new Uint32Array(capacity * 4)];
  if (degree >= 2) words.push(new Uint32Array(capacity * 4));
  if (degree >= 3) words.push(new Uint32Array(capacity * 4), new Uint32Array(capacity * 4));
  const k = cloud.shCoefficients;
  for (let i = 0; i < cloud.count; i++) {
    const base = i * k * 3;
    // Coefficient c (0..14) is word c: texture c >> 2, lane c & 3.
    for (let coef = 0; coef < k; coef++) {
      const o = base + 3 * coef;
      words[coef >> 2][4 * i + (coef & 3)] = encodeSharedExponentRgb(sh[o], sh[o + 1], sh[o + 2]);
    }
  }
  const extra: ExtChunk['extra'] = { sh1: words[0] };
  if (degree >= 2) extra.sh2 = words[1];
  if (degree >= 3) {
    extra.sh3a = words[2];
    extra.sh3b = words[3];
  }
  return extra;
}

/**
 * The word Spark's decodeExtRgb reads: 8-bit magnitudes (bits 0-23), sign bits (24-26) and a shared
 * exponent e (27-31, bias 15), value = byte * 2^(e-15) / 255. Spark's own encodeExtRgb (2.2.0) picks
 * e = floor(log2 max), which overflows the byte for any max not a power of two and clamps it to the
 * power of two below (a 0.27 coefficient becomes 0.25); ceil keeps every byte within 0..255.
 */
export function encodeSharedExponentRgb(r: number, g: number, b: number): number {
  const maxAbs = Math.max(Math.abs(r), Math.abs(g), Math.abs(b));
  if (!(maxAbs > 0)) return 0;
  const biased = Math.max(0, Math.min(31, Math.ceil(Math.log2(maxAbs)) + 15));
  const step = 2 ** (biased - 15) / 255;
  const byte = (v: number) => Math.min(255, Math.round(Math.abs(v) / step));
  const signs = (r < 0 ? 1 : 0) | (g < 0 ? 2 : 0) | (b < 0 ? 4 : 0);
  return (byte(r) | (byte(g) << 8) | (byte(b) << 16) | (((biased << 3) | signs) << 24)) >>> 0;
}
