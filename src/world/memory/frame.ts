/**
 * One generated view as the world remembers it: where the camera was, what it saw (downsampled), and
 * which splats it produced. Plain data, so the bundle format (src/io/bundle) can hold the same shape
 * without importing world code.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';

export interface MemoryFrame {
  /** unique within a memory; ids grow in the order frames were added */
  id: number;
  pose: Pose;
  /** intrinsics of the view as generated (full resolution); the stored pictures cover the same field of view */
  intrinsics: Intrinsics;
  /** size of the stored (downsampled) pictures */
  width: number;
  height: number;
  /** 8-bit linear-ish RGB as generated, 3 bytes per pixel, row-major from the top-left */
  rgb: Uint8Array;
  /** metres along the view axis (camera.ts); 0 = unknown or sky (seen to infinity) */
  depth: Float32Array;
  /** 0..255 for confidence 0..1 */
  confidence: Uint8Array;
  /** the splats this view produced: [splatStart, splatStart + splatCount) in the world's SplatCloud */
  splatStart: number;
  splatCount: number;
  prompt: string | null;
  /** milliseconds, from the memory's injected clock */
  timestamp: number;
}

/** Intrinsics of the stored pictures: the generated ones scaled to width x height (same field of view). */
export function storedIntrinsics(frame: Pick<MemoryFrame, 'intrinsics' | 'width' | 'height'>): Intrinsics {
  const k = frame.intrinsics;
  const sx = frame.width / k.width, sy = frame.height / k.height;
  return { width: frame.width, height: frame.height, fx: k.fx * sx, fy: k.fy * sy, cx: k.cx * sx, cy: k.cy * sy };
}

/** Size of a picture shrunk so its long side is at most maxLongSide (never enlarged), aspect kept. */
export function storedSize(width: number, height: number, maxLongSide: number): { width: number; height: number } {
  const s = Math.min(1, maxLongSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}
