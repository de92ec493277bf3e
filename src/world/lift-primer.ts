/**
 * A lift of a tiny made-up photo, run once per process before the first real lift, so that V8 has
 * seen every branch of the lift's loops when it optimises them.
 *
 * WHY. V8 compiles a hot loop with what it has seen run so far. The lift's loops meet their
 * branches late: W's rows (input-view-colours.ts) start with two rows of picture border, so the
 * interior branch first runs after the loop was compiled without it; placeSplats' progress callback
 * first runs at row 63; the upsample's edge pixels come wherever the first depth edge is. Each such
 * first run throws the compiled loop away (a "deopt"), the loop goes on unoptimised (and allocating
 * a number object per floating-point value) while V8 compiles it again for 10-50 ms on its
 * background thread. The first lift of a 1024x768 photo in a fresh process had ~8 of them.
 * Here a 16x12 photo with sky, a depth step and a slope runs every one of those branches in a few
 * milliseconds (the functions are too short-lived to be optimised on it), and the result is dropped.
 */
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import { type LiftInput, liftToSplats } from './lift.ts';

let primed = false;

/** Runs the primer lift once per process (later calls do nothing). */
export function primeLift(colourIterations: number): void {
  if (primed) return;
  primed = true;
  liftToSplats(primerInput(), { colourIterations, onProgress: () => undefined });
}

/** The made-up photo, its depth (model grid 8x6) and normals. */
export function primerInput(): LiftInput {
  const width = 16, height = 12, dw = 8, dh = 6;
  const data = new Uint8Array(3 * width * height);
  for (let i = 0; i < width * height; i++) {
    const x = i % width, y = Math.floor(i / width);
    data[3 * i] = (37 * x + 11 * y) & 255; data[3 * i + 1] = (53 * y + 7 * x) & 255; data[3 * i + 2] = (x * y * 29) & 255;
  }
  // Sky on the top row, a near box in the middle (depth steps on every side), a floor receding behind.
  const depth = new Float32Array(dw * dh), normals = new Float32Array(3 * dw * dh);
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const i = y * dw + x;
      depth[i] = y === 0 ? Infinity : x >= 3 && x <= 5 && y >= 2 && y <= 4 ? 1.5 : 2 + 10 / y + 0.3 * x;
      normals[3 * i + 1] = 0.6; normals[3 * i + 2] = 0.8;
    }
  }
  return {
    image: { width, height, data },
    depth: { width: dw, height: dh, data: depth },
    normals: { width: dw, height: dh, data: normals },
    intrinsics: intrinsicsFromFov(width, height, 60),
    pose: Pose.identity(),
  };
}
