/** Writes a world (splats + remembered frames) as one .worldsplat bundle (layout: bundle-layout.ts). */
import {
  BUNDLE_MAGIC, BUNDLE_VERSION, type BundleHeader, CHECKSUM_BYTES, NATIVE_LITTLE_ENDIAN, PREAMBLE_BYTES, type WorldBundle, align4, payloadBlocks,
} from './bundle-layout.ts';
import { crc32 } from './crc32.ts';

export function writeBundle(world: WorldBundle): Uint8Array {
  const { splats, frames } = world;
  const header: BundleHeader = {
    splats: { count: splats.count, shDegree: splats.shDegree },
    frames: frames.map((f) => {
      const pixels = f.width * f.height;
      if (f.rgb.length !== 3 * pixels || f.depth.length !== pixels || f.confidence.length !== pixels) {
        throw new Error(`bundle: expected frame ${f.id} pictures of ${f.width}x${f.height} (rgb ${3 * pixels}, depth and confidence ${pixels} values), found ${f.rgb.length}, ${f.depth.length}, ${f.confidence.length}`);
      }
      return {
        id: f.id,
        position: [...f.pose.position],
        rotation: [...f.pose.rotation],
        intrinsics: { width: f.intrinsics.width, height: f.intrinsics.height, fx: f.intrinsics.fx, fy: f.intrinsics.fy, cx: f.intrinsics.cx, cy: f.intrinsics.cy },
        width: f.width,
        height: f.height,
        splatStart: f.splatStart,
        splatCount: f.splatCount,
        prompt: f.prompt,
        timestamp: f.timestamp,
      };
    }),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payloadStart = align4(PREAMBLE_BYTES + headerBytes.length);
  const blocks = payloadBlocks(header, splats.shCoefficients);
  const total = payloadStart + blocks.reduce((sum, b) => sum + align4(b), 0) + CHECKSUM_BYTES;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(BUNDLE_MAGIC), 0);
  view.setUint32(8, BUNDLE_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE_BYTES);

  const arrays: (Float32Array | Uint8Array)[] = [splats.positions, splats.scales, splats.rotations, splats.opacities, splats.colors, splats.sh ?? new Float32Array(0)];
  for (const f of frames) arrays.push(f.rgb, f.depth, f.confidence);
  let at = payloadStart;
  arrays.forEach((a, i) => {
    if (a.byteLength !== blocks[i]) throw new Error(`bundle: expected block ${i} of ${blocks[i]} bytes, found ${a.byteLength}`);
    putLittleEndian(out, view, at, a);
    at += align4(a.byteLength);
  });
  view.setUint32(total - CHECKSUM_BYTES, crc32(out.subarray(0, total - CHECKSUM_BYTES)), true);
  return out;
}

function putLittleEndian(out: Uint8Array, view: DataView, at: number, a: Float32Array | Uint8Array): void {
  if (a instanceof Uint8Array || NATIVE_LITTLE_ENDIAN) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
  else for (let i = 0; i < a.length; i++) view.setFloat32(at + 4 * i, a[i], true);
}
