/**
 * One generated view as a world remembers it: where the camera was, what it saw (downsampled), and
 * which splats it produced. Plain data in core, so the posed-frame memory (src/world/memory) and the
 * bundle format (src/io/bundle) share one definition without importing each other.
 */
import type { Intrinsics, Pose } from './camera.ts';

export interface PosedFrame {
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
  /** 0..255 for confidence 0..1; 0 where depth is 0 means nothing was seen there (not sky) */
  confidence: Uint8Array;
  /** the splats this view produced: [splatStart, splatStart + splatCount) in the world's SplatCloud */
  splatStart: number;
  splatCount: number;
  prompt: string | null;
  /** milliseconds, from the memory's injected clock */
  timestamp: number;
}
