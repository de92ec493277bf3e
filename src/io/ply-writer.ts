/**
 * Writes a SplatCloud as an INRIA 3DGS PLY, byte for byte the layout the reference trainer writes,
 * so every tool that reads trainer output reads ours (SIBR reads the header by line number: no
 * comment before `element vertex`).
 *
 * Every record is the full 62 float32s: x y z, nx ny nz (zero), f_dc_0..2, f_rest_0..44, opacity,
 * scale_0..2, rot_0..3. f_rest is channel-major (f_rest_{c*15+k}); a cloud of degree d < 3 fills
 * k < restCount(d) of each 15-block and zeros the rest, because readers index f_rest_{c*15+k}
 * from the count of 45. Values go in file units (logit opacity, log scales, f_dc) and OpenCV axes,
 * converted per record (see opencv-axes.ts).
 */
import { SH_C0 } from '../core/sh.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { SH_REST_PARITY } from './opencv-axes.ts';

export const PLY_RECORD_FLOATS = 62;
export const PLY_RECORD_BYTES = PLY_RECORD_FLOATS * 4;
const REST_OFFSET = 9; // f_rest_0 follows x y z nx ny nz f_dc_0..2
const OPACITY_OFFSET = 54;

/** Opacities are clamped to this distance from 0 and 1 so logit stays finite. */
const OPACITY_EPSILON = 1e-6;
/** Scales are clamped up to this so ln() stays finite; a splat this small is invisible anyway. */
const MIN_SCALE = 1e-30;

const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function plyHeader(count: number): string {
  const names = [
    'x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2',
    ...Array.from({ length: 45 }, (_, i) => `f_rest_${i}`),
    'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3',
  ];
  return `ply\nformat binary_little_endian 1.0\nelement vertex ${count}\n${names.map((n) => `property float ${n}\n`).join('')}end_header\n`;
}

/** The whole file in one buffer. */
export function writePly(cloud: SplatCloud): Uint8Array {
  // The body starts at an arbitrary offset (after the header), so aligned pieces are encoded into
  // one reused buffer and copied in.
  const chunks = plyChunksReusing(cloud, { buffers: 1 });
  const header = chunks.next().value as Uint8Array;
  const out = new Uint8Array(header.length + cloud.count * PLY_RECORD_BYTES);
  out.set(header);
  let at = header.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * The file as a header chunk and then body chunks of `splatsPerChunk` splats, for streaming to disk
 * without holding the file in memory. Every chunk is a fresh buffer, so a consumer may keep it (a
 * Node stream does until it is flushed).
 */
export function* plyChunks(cloud: SplatCloud, options: { splatsPerChunk?: number } = {}): Generator<Uint8Array> {
  const perChunk = checkedChunk(options.splatsPerChunk ?? 65536);
  yield new TextEncoder().encode(plyHeader(cloud.count));
  for (let start = 0; start < cloud.count; start += perChunk) {
    const end = Math.min(cloud.count, start + perChunk);
    const records = new Float32Array((end - start) * PLY_RECORD_FLOATS);
    encodeRecords(cloud, start, end, records);
    yield new Uint8Array(records.buffer);
  }
}

/**
 * The same bytes as plyChunks, with the body encoded into a ring of `buffers` reused buffers instead
 * of a fresh one per chunk: a chunk stays valid only until `buffers` more chunks have been taken.
 * For a writer that hands one chunk to the disk and encodes the next while the write runs (with 2
 * buffers it must finish writing chunk i before it takes chunk i + 2). Fresh 16 MB buffers cost a
 * page fault per 4 KB on first touch and garbage collections; a few reused ones of 4 MB stay warm in
 * the caches (measured in src/cli/files.ts's saveWorld: see bench/cli-start.bench.ts).
 */
export function* plyChunksReusing(cloud: SplatCloud, options: { splatsPerChunk?: number; buffers?: number } = {}): Generator<Uint8Array> {
  const perChunk = checkedChunk(options.splatsPerChunk ?? 16384);
  const count = options.buffers ?? 2;
  if (!(Number.isInteger(count) && count > 0)) throw new Error(`PLY: expected a positive integer count of buffers, found ${count}`);
  yield new TextEncoder().encode(plyHeader(cloud.count));
  // Allocated as needed, never bigger than the cloud needs; zero-filled once, which is what
  // encodeRecords relies on for the f_rest slots above the cloud's degree (the ring serves one cloud).
  const ring: Float32Array[] = [];
  for (let start = 0, n = 0; start < cloud.count; start += perChunk, n++) {
    const end = Math.min(cloud.count, start + perChunk);
    const slot = n % count;
    ring[slot] ??= new Float32Array(Math.min(perChunk, cloud.count) * PLY_RECORD_FLOATS);
    encodeRecords(cloud, start, end, ring[slot]);
    yield new Uint8Array(ring[slot].buffer, 0, (end - start) * PLY_RECORD_BYTES);
  }
}

function checkedChunk(perChunk: number): number {
  if (!(Number.isInteger(perChunk) && perChunk > 0)) throw new Error(`PLY: expected a positive integer splatsPerChunk, found ${perChunk}`);
  return perChunk;
}

/**
 * Splats start..end-1 as little-endian records into `out`. The f_rest slots above the cloud's degree
 * are not written, so they must already hold zeros: `out` is fresh, or was filled before by this
 * function for the same cloud (the slots it writes are the same each time). Skipping them matters: a
 * per-record fill() of 45 floats was half the time of writing a degree-0 world. Throws a "PLY:" error for a NaN or infinite value, a negative
 * scale or a zero quaternion: those would make a file no reader accepts.
 */
function encodeRecords(cloud: SplatCloud, start: number, end: number, out: Float32Array): void {
  const { positions: P, scales: S, rotations: R, opacities: O, colors: C } = cloud;
  const H = cloud.sh;
  const k = cloud.shCoefficients;
  const parity = Float32Array.from(SH_REST_PARITY);
  const invC0 = 1 / SH_C0;
  let lastOpacity = NaN; // never equal to anything, NaN included: the first splat computes its logit
  let lastLogit = 0;
  for (let i = start, o = 0; i < end; i++, o += PLY_RECORD_FLOATS) {
    const i3 = i * 3, i4 = i * 4;
    const x = P[i3], y = P[i3 + 1], z = P[i3 + 2];
    const s0 = S[i3], s1 = S[i3 + 1], s2 = S[i3 + 2];
    const qw = R[i4], qx = R[i4 + 1], qy = R[i4 + 2], qz = R[i4 + 3];
    const op = O[i];
    const r = C[i3], g = C[i3 + 1], b = C[i3 + 2];
    // v * 0 is NaN exactly when v is NaN or infinite.
    let finite = x * 0 + y * 0 + z * 0 + s0 * 0 + s1 * 0 + s2 * 0 + qw * 0 + qx * 0 + qy * 0 + qz * 0 + op * 0 + r * 0 + g * 0 + b * 0;
    // Program axes -> OpenCV axes: (x, y, z) -> (x, -y, -z).
    out[o] = x;
    out[o + 1] = -y;
    out[o + 2] = -z;
    out[o + 3] = 0;
    out[o + 4] = 0;
    out[o + 5] = 0;
    out[o + 6] = (r - 0.5) * invC0;
    out[o + 7] = (g - 0.5) * invC0;
    out[o + 8] = (b - 0.5) * invC0;
    if (k > 0) {
      // Memory [coef][rgb] -> file f_rest_{c*15 + coef}, each times the parity sign of its basis function.
      const red = o + REST_OFFSET, green = red + 15, blue = green + 15;
      for (let coef = 0, m = i * k * 3; coef < k; coef++, m += 3) {
        const sign = parity[coef];
        const vr = H![m], vg = H![m + 1], vb = H![m + 2];
        finite += vr * 0 + vg * 0 + vb * 0;
        out[red + coef] = sign * vr;
        out[green + coef] = sign * vg;
        out[blue + coef] = sign * vb;
      }
    }
    // Worlds often give every splat one opacity, and Math.log is most of the time here: the last
    // opacity's logit is kept (the same input gives the same float, so the bytes do not change).
    if (op !== lastOpacity) {
      const clamped = op < OPACITY_EPSILON ? OPACITY_EPSILON : op > 1 - OPACITY_EPSILON ? 1 - OPACITY_EPSILON : op;
      lastOpacity = op;
      lastLogit = Math.log(clamped / (1 - clamped));
    }
    out[o + OPACITY_OFFSET] = lastLogit;
    out[o + OPACITY_OFFSET + 1] = Math.log(s0 > MIN_SCALE ? s0 : MIN_SCALE);
    out[o + OPACITY_OFFSET + 2] = Math.log(s1 > MIN_SCALE ? s1 : MIN_SCALE);
    out[o + OPACITY_OFFSET + 3] = Math.log(s2 > MIN_SCALE ? s2 : MIN_SCALE);
    // File from program: q_file = q_flip * q = (-x, w, -z, y).
    out[o + OPACITY_OFFSET + 4] = -qx;
    out[o + OPACITY_OFFSET + 5] = qw;
    out[o + OPACITY_OFFSET + 6] = -qz;
    out[o + OPACITY_OFFSET + 7] = qy;
    if (finite !== 0 || s0 < 0 || s1 < 0 || s2 < 0 || (qw === 0 && qx === 0 && qy === 0 && qz === 0)) {
      throw new Error(`PLY: cannot write splat ${i}: expected finite values, non-negative scales and a non-zero rotation, found ${describeSplat(cloud, i)}`);
    }
  }
  if (!NATIVE_LITTLE_ENDIAN) swapBytes32(out, (end - start) * PLY_RECORD_FLOATS);
}

function describeSplat(cloud: SplatCloud, i: number): string {
  const part = (a: Float32Array, n: number) => `(${Array.from(a.subarray(i * n, i * n + n)).join(', ')})`;
  return `position ${part(cloud.positions, 3)} scale ${part(cloud.scales, 3)} rotation ${part(cloud.rotations, 4)} opacity ${cloud.opacities[i]} colour ${part(cloud.colors, 3)}${cloud.sh ? ' (or a non-finite SH coefficient)' : ''}`;
}

/** PLY here is little-endian; on a big-endian machine the native floats are swapped in place. */
function swapBytes32(values: Float32Array, count: number): void {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, count * 4);
  for (let p = 0; p < bytes.length; p += 4) {
    const b0 = bytes[p], b1 = bytes[p + 1];
    bytes[p] = bytes[p + 3];
    bytes[p + 1] = bytes[p + 2];
    bytes[p + 2] = b1;
    bytes[p + 3] = b0;
  }
}
