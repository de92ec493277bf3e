/**
 * Reads a .worldsplat bundle (layout: bundle-layout.ts). Strict: the checks run in the order that
 * gives the most useful message (size, magic, version, checksum, header, payload size, values), and
 * the first failure throws a one-line "bundle: expected ..., found ..." before anything is returned,
 * so a bad file loads nothing.
 */
import { Pose } from '../../core/camera.ts';
import { shRestCount, type ShDegree } from '../../core/sh.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import {
  BUNDLE_MAGIC, BUNDLE_VERSION, type BundleFrame, CHECKSUM_BYTES, NATIVE_LITTLE_ENDIAN, PREAMBLE_BYTES, type WorldBundle, align4, payloadBlocks,
} from './bundle-layout.ts';
import { parseBundleHeader } from './bundle-header.ts';
import { crc32 } from './crc32.ts';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export function readBundle(bytes: Uint8Array): WorldBundle {
  const minimum = PREAMBLE_BYTES + CHECKSUM_BYTES;
  if (bytes.length < minimum) throw new Error(`bundle: expected at least ${minimum} bytes, found ${bytes.length}`);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== BUNDLE_MAGIC) {
    throw new Error(`bundle: expected the magic "${BUNDLE_MAGIC}", found bytes ${Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== BUNDLE_VERSION) throw new Error(`bundle: expected format version ${BUNDLE_VERSION}, found ${version}`);
  const stored = view.getUint32(bytes.length - CHECKSUM_BYTES, true);
  const actual = crc32(bytes.subarray(0, bytes.length - CHECKSUM_BYTES));
  if (stored !== actual) throw new Error(`bundle: expected checksum ${hex(stored)} (as stored), found ${hex(actual)}: the file is truncated or corrupt`);
  const headerLength = view.getUint32(12, true);
  if (PREAMBLE_BYTES + headerLength > bytes.length - CHECKSUM_BYTES) {
    throw new Error(`bundle: expected a header of ${headerLength} bytes within the file, found only ${bytes.length - minimum}`);
  }
  const header = parseBundleHeader(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength));

  const shDegree = header.splats.shDegree as ShDegree;
  const blocks = payloadBlocks(header, shRestCount(shDegree));
  const payloadStart = align4(PREAMBLE_BYTES + headerLength);
  const expected = payloadStart + blocks.reduce((sum, b) => sum + align4(b), 0) + CHECKSUM_BYTES;
  if (expected !== bytes.length) {
    throw new Error(`bundle: expected ${expected} bytes for ${header.splats.count} splats and ${header.frames.length} frames, found ${bytes.length}`);
  }
  let at = payloadStart, block = 0;
  const next = (): Uint8Array => {
    const piece = bytes.subarray(at, at + blocks[block]);
    at += align4(blocks[block++]);
    return piece;
  };
  const n = header.splats.count;
  const columns = {
    positions: finiteFloats(next(), 'splat positions'),
    scales: finiteFloats(next(), 'splat scales'),
    rotations: finiteFloats(next(), 'splat rotations'),
    opacities: finiteFloats(next(), 'splat opacities'),
    colors: finiteFloats(next(), 'splat colours'),
    sh: finiteFloats(next(), 'splat SH coefficients'),
  };
  checkSplats(columns.scales, columns.rotations, columns.opacities);
  const splats = SplatCloud.fromColumns(shDegree > 0 ? columns : { ...columns, sh: null });
  if (splats.count !== n || splats.shDegree !== shDegree) throw new Error(`bundle: expected ${n} splats of SH degree ${shDegree}, found ${splats.count} of degree ${splats.shDegree}`);

  const frames: BundleFrame[] = header.frames.map((f) => {
    const rgb = next().slice();
    const depth = finiteFloats(next(), `frame ${f.id} depth`);
    const negative = depth.findIndex((d) => d < 0);
    if (negative >= 0) throw new Error(`bundle: expected frame ${f.id} depth >= 0 (0 = unknown), found ${depth[negative]} at pixel ${negative}`);
    const confidence = next().slice();
    const pose = new Pose(f.position as [number, number, number], f.rotation as [number, number, number, number]);
    return { id: f.id, pose, intrinsics: f.intrinsics, width: f.width, height: f.height, rgb, depth, confidence, splatStart: f.splatStart, splatCount: f.splatCount, prompt: f.prompt, timestamp: f.timestamp };
  });
  return { splats, frames };
}

function finiteFloats(piece: Uint8Array, what: string): Float32Array {
  let out: Float32Array;
  if (NATIVE_LITTLE_ENDIAN) out = new Float32Array(piece.slice().buffer);
  else {
    const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength);
    out = Float32Array.from({ length: piece.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new Error(`bundle: expected finite ${what}, found ${out[i]} at value ${i}`);
  }
  return out;
}

/** What SplatCloud promises its users: scales >= 0, unit rotations, opacities 0..1. */
function checkSplats(scales: Float32Array, rotations: Float32Array, opacities: Float32Array): void {
  const badScale = scales.findIndex((s) => s < 0);
  if (badScale >= 0) throw new Error(`bundle: expected splat scales >= 0, found ${scales[badScale]} at splat ${Math.floor(badScale / 3)}`);
  const badOpacity = opacities.findIndex((o) => !(o >= 0 && o <= 1));
  if (badOpacity >= 0) throw new Error(`bundle: expected splat opacities in 0..1, found ${opacities[badOpacity]} at splat ${badOpacity}`);
  for (let i = 0; i < rotations.length; i += 4) {
    const norm = Math.hypot(rotations[i], rotations[i + 1], rotations[i + 2], rotations[i + 3]);
    if (!(Math.abs(norm - 1) < 1e-3)) throw new Error(`bundle: expected unit splat rotations, found length ${norm} at splat ${i / 4}`);
  }
}
