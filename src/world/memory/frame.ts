/**
 * One generated view as the world remembers it: where the camera was, what it saw (downsampled), and
 * which splats it produced (core/posed-frame.ts), and helpers for its stored pictures.
 */
import { type Intrinsics, scaleIntrinsics } from '../../core/camera.ts';
import type { PosedFrame } from '../../core/posed-frame.ts';

/** The record kept per view (defined in core so the bundle format can hold it too). */
export type MemoryFrame = PosedFrame;

/** Intrinsics of the stored pictures: the generated ones scaled to width x height (same field of view). */
export function storedIntrinsics(frame: Pick<MemoryFrame, 'intrinsics' | 'width' | 'height'>): Intrinsics {
  return scaleIntrinsics(frame.intrinsics, frame.width, frame.height);
}

/** Size of a picture shrunk so its long side is at most maxLongSide (never enlarged), aspect kept. */
export function storedSize(width: number, height: number, maxLongSide: number): { width: number; height: number } {
  const s = Math.min(1, maxLongSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}
