/** A small world for the bundle tests: splats with SH and two frames (one with a prompt). */
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { randomCloud, seededRandom } from '../../core/random.ts';
import type { ShDegree } from '../../core/sh.ts';
import type { BundleFrame, WorldBundle } from './bundle-layout.ts';

export function testWorld(splatCount = 7, shDegree: ShDegree = 2, seed = 1): WorldBundle {
  const rand = seededRandom(seed);
  const frame = (id: number, w: number, h: number, prompt: string | null): BundleFrame => ({
    id,
    pose: Pose.lookAt([rand(), rand(), 3 + rand()], [0, 0, 0]),
    intrinsics: intrinsicsFromFov(4 * w, 4 * h, 55),
    width: w,
    height: h,
    rgb: Uint8Array.from({ length: 3 * w * h }, () => Math.floor(256 * rand())),
    depth: Float32Array.from({ length: w * h }, () => (rand() < 0.1 ? 0 : 1 + 9 * rand())),
    confidence: Uint8Array.from({ length: w * h }, () => Math.floor(256 * rand())),
    splatStart: id === 0 ? 0 : 3,
    splatCount: id === 0 ? 3 : splatCount - 3,
    prompt,
    timestamp: 1_700_000_000_000 + id,
  });
  return { splats: randomCloud(splatCount, seed, shDegree), frames: [frame(0, 5, 3, null), frame(2, 3, 2, 'a hall with "quotes"\nand a new line, ünïcödé')] };
}

/** The same file with its stored CRC recomputed, so a deliberate edit gets past the checksum to the checks behind it. */
export function withFreshChecksum(bytes: Uint8Array, crc: (b: Uint8Array) => number): Uint8Array {
  const out = bytes.slice();
  if (out.length >= 4) new DataView(out.buffer).setUint32(out.length - 4, crc(out.subarray(0, out.length - 4)), true);
  return out;
}
