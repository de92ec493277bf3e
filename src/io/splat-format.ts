/**
 * The antimatter15 ".splat" format: 32 bytes per splat, no header, little-endian.
 *   0  position  float32 x3      (OpenCV axes, like the PLY it is usually converted from)
 *  12  scale     float32 x3      linear (exp of the PLY log-scale)
 *  24  colour    uint8 RGBA      rgb = round(colour * 255) clamped, a = round(opacity * 255)
 *  28  rotation  uint8 x4        w x y z, each round(q * 128 + 128) clamped to 0..255
 * It has no view-dependent colour: SH rest coefficients are dropped on write.
 */
import { SplatCloud } from '../core/splat-cloud.ts';
import { quatFromFileAxes, quatToFileAxes } from './opencv-axes.ts';

export const SPLAT_RECORD_BYTES = 32;

const clampByte = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

export function readSplat(bytes: Uint8Array): SplatCloud {
  if (bytes.length === 0) throw new Error('.splat: expected at least one 32-byte splat, found an empty file');
  if (bytes.length % SPLAT_RECORD_BYTES !== 0) {
    throw new Error(
      `.splat: expected a multiple of 32 bytes, found ${bytes.length} (${Math.floor(bytes.length / 32)} whole splats and ${bytes.length % 32} bytes)`,
    );
  }
  const count = bytes.length / SPLAT_RECORD_BYTES;
  const cloud = SplatCloud.create(count);
  const { positions, scales, rotations, opacities, colors } = cloud;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const q = [0, 0, 0, 0];
  for (let i = 0, p = 0; i < count; i++, p += SPLAT_RECORD_BYTES) {
    const x = view.getFloat32(p, true), y = view.getFloat32(p + 4, true), z = view.getFloat32(p + 8, true);
    const s0 = view.getFloat32(p + 12, true), s1 = view.getFloat32(p + 16, true), s2 = view.getFloat32(p + 20, true);
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) {
      throw new Error(`.splat: expected a finite position, found (${x}, ${y}, ${z}) in splat ${i}`);
    }
    if (!(s0 >= 0 && s1 >= 0 && s2 >= 0 && s0 < Infinity && s1 < Infinity && s2 < Infinity)) {
      throw new Error(`.splat: expected finite non-negative scales, found (${s0}, ${s1}, ${s2}) in splat ${i}`);
    }
    // OpenCV axes -> program axes.
    positions[3 * i] = x;
    positions[3 * i + 1] = -y;
    positions[3 * i + 2] = -z;
    scales[3 * i] = s0;
    scales[3 * i + 1] = s1;
    scales[3 * i + 2] = s2;
    colors[3 * i] = bytes[p + 24] / 255;
    colors[3 * i + 1] = bytes[p + 25] / 255;
    colors[3 * i + 2] = bytes[p + 26] / 255;
    opacities[i] = bytes[p + 27] / 255;
    const w = (bytes[p + 28] - 128) / 128, qx = (bytes[p + 29] - 128) / 128;
    const qy = (bytes[p + 30] - 128) / 128, qz = (bytes[p + 31] - 128) / 128;
    const len = Math.hypot(w, qx, qy, qz);
    if (len === 0) throw new Error(`.splat: expected a non-zero rotation, found bytes 128 128 128 128 in splat ${i}`);
    quatFromFileAxes(w / len, qx / len, qy / len, qz / len, q);
    rotations.set(q, 4 * i);
  }
  return cloud;
}

export function writeSplat(cloud: SplatCloud): Uint8Array {
  const out = new Uint8Array(cloud.count * SPLAT_RECORD_BYTES);
  const view = new DataView(out.buffer);
  const { positions, scales, rotations, opacities, colors } = cloud;
  const q = [0, 0, 0, 0];
  for (let i = 0, p = 0; i < cloud.count; i++, p += SPLAT_RECORD_BYTES) {
    const values = [positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], scales[3 * i], scales[3 * i + 1], scales[3 * i + 2]];
    const paint = [colors[3 * i], colors[3 * i + 1], colors[3 * i + 2], opacities[i]];
    if (!values.every(Number.isFinite) || values[3] < 0 || values[4] < 0 || values[5] < 0 || !paint.every(Number.isFinite)) {
      throw new Error(
        `.splat: cannot write splat ${i}: expected finite values and non-negative scales, found position and scale (${values.join(', ')}), colour and opacity (${paint.join(', ')})`,
      );
    }
    view.setFloat32(p, values[0], true);
    view.setFloat32(p + 4, -values[1], true);
    view.setFloat32(p + 8, -values[2], true);
    view.setFloat32(p + 12, values[3], true);
    view.setFloat32(p + 16, values[4], true);
    view.setFloat32(p + 20, values[5], true);
    out[p + 24] = clampByte(colors[3 * i] * 255);
    out[p + 25] = clampByte(colors[3 * i + 1] * 255);
    out[p + 26] = clampByte(colors[3 * i + 2] * 255);
    out[p + 27] = clampByte(opacities[i] * 255);
    const w = rotations[4 * i], x = rotations[4 * i + 1], y = rotations[4 * i + 2], z = rotations[4 * i + 3];
    const len = Math.hypot(w, x, y, z);
    if (!(len > 0 && len < Infinity)) throw new Error(`.splat: cannot write splat ${i}: expected a non-zero finite rotation, found (${w}, ${x}, ${y}, ${z})`);
    quatToFileAxes(w / len, x / len, y / len, z / len, q);
    for (let c = 0; c < 4; c++) out[p + 28 + c] = clampByte(q[c] * 128 + 128);
  }
  return out;
}
