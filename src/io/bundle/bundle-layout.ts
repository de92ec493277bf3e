/**
 * The .worldsplat bundle: one file holding a world's splats and its memory of generated views.
 *
 *   offset 0       8 bytes   magic "WSBUNDLE"
 *   8              u32       format version (BUNDLE_VERSION)
 *   12             u32       H = byte length of the header
 *   16             H bytes   header: UTF-8 JSON (BundleHeader), then zero bytes up to a multiple of 4
 *   P = align4(16 + H)       payload: binary blocks, each starting at a multiple of 4 (zero padded):
 *                              splats, columnar, float32, in memory units (metres, linear opacity,
 *                              scales as std, unit quaternions w x y z, base colour, SH rest
 *                              [splat][coefficient][rgb]): positions 3n, scales 3n, rotations 4n,
 *                              opacities n, colours 3n, sh n * restCount(shDegree) * 3;
 *                              then per frame, in header order: rgb u8 3wh, depth float32 wh
 *                              (metres, 0 = unknown/sky), confidence u8 wh (0..255 = 0..1)
 *   end - 4        u32       CRC-32 of every byte before it
 * All numbers little-endian. Columnar float32 in memory units (not the PLY body) because a bundle
 * is our own save file: it round-trips exactly, with no logit/log conversions and no axis change.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import type { PosedFrame } from '../../core/posed-frame.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';

export const BUNDLE_MAGIC = 'WSBUNDLE';
export const BUNDLE_VERSION = 1;
/** magic + version + header length before the header, CRC after the payload */
export const PREAMBLE_BYTES = 16;
export const CHECKSUM_BYTES = 4;

/** A remembered view as the bundle holds it: the world's own frame record. */
export type BundleFrame = PosedFrame;

export interface WorldBundle {
  splats: SplatCloud;
  frames: readonly BundleFrame[];
}

/** The JSON header: everything but the binary blocks. */
export interface BundleHeader {
  splats: { count: number; shDegree: number };
  frames: {
    id: number;
    position: number[];
    rotation: number[];
    intrinsics: Intrinsics;
    width: number;
    height: number;
    splatStart: number;
    splatCount: number;
    prompt: string | null;
    timestamp: number;
  }[];
}

export const align4 = (n: number): number => (n + 3) & ~3;

/** Byte length of each payload block, in order, as the header implies. */
export function payloadBlocks(header: BundleHeader, shRestCount: number): number[] {
  const n = header.splats.count;
  const blocks = [12 * n, 12 * n, 16 * n, 4 * n, 12 * n, 12 * n * shRestCount];
  for (const f of header.frames) {
    const pixels = f.width * f.height;
    blocks.push(3 * pixels, 4 * pixels, pixels);
  }
  return blocks;
}

export const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
