/** Test pictures for completers: a partial view built from functions of the pixel position. */
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { PartialView } from './completer.ts';

/**
 * A width x height view (identity pose, 60 degrees) whose known pixels have colour `colour(x, y)` (rgb)
 * and depth `depth(x, y)` (0 = sky); hole (colour and depth 0) where `hole(x, y)`.
 */
export function partialView(w: number, h: number, colour: (x: number, y: number) => [number, number, number],
  hole: (x: number, y: number) => boolean, depth = (_x: number, _y: number) => 5): PartialView {
  const n = w * h;
  const rgb = new Float32Array(3 * n), d = new Float32Array(n), mask = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      mask[i] = hole(x, y) ? 1 : 0;
      if (mask[i]) continue;
      rgb.set(colour(x, y), 3 * i);
      d[i] = depth(x, y);
    }
  }
  return { pose: Pose.identity(), intrinsics: intrinsicsFromFov(w, h, 60), width: w, height: h, rgb, depth: d, mask, prompt: null };
}
