/**
 * Model outputs -> per-pixel maps at the image's own size and in our units. Pure functions.
 *
 * Outputs are resampled while still in the model's own quantity (log depth, inverse depth), then
 * converted: interpolating log depth between a near and a far pixel is less wrong than interpolating
 * metres, and it is how the model's own decoder upsamples.
 */
import type { InputPlan } from './preprocess.ts';
import type { NormalsFrame } from './manifest.ts';
import { type AxisMap, resample } from './resample.ts';

/**
 * Axis maps that read a model output grid (outWidth x outHeight, covering the whole input grid) for each
 * image pixel. Image pixels that the model did not see (crop) take the nearest prediction.
 */
export function outputToImageMaps(
  plan: InputPlan,
  outWidth: number,
  outHeight: number,
  width: number,
  height: number,
): { x: AxisMap; y: AxisMap } {
  const kx = outWidth / plan.inputWidth;
  const ky = outHeight / plan.inputHeight;
  return {
    x: { srcSize: outWidth, dstSize: width, step: plan.scaleX * kx, origin: plan.offsetX * kx },
    y: { srcSize: outHeight, dstSize: height, step: plan.scaleY * ky, origin: plan.offsetY * ky },
  };
}

/** One planar output channel (outWidth x outHeight) brought to the image grid. */
export function outputPlaneToImage(
  plane: Float32Array,
  plan: InputPlan,
  outWidth: number,
  outHeight: number,
  width: number,
  height: number,
): Float32Array {
  const maps = outputToImageMaps(plan, outWidth, outHeight, width, height);
  return resample(plane, 1, maps.x, maps.y);
}

/** exp, in place: log metres -> metres. */
export function expInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = Math.exp(values[i]);
  return values;
}

/** 1 / x, in place: inverse depth -> depth. Zero or negative inverse depth means "at infinity". */
export function invertInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = values[i] > 0 ? 1 / values[i] : Infinity;
  return values;
}

/** Logistic sigmoid, in place: confidence logit -> 0..1. */
export function sigmoidInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
  return values;
}

/** Clamps to 0..1, in place (interpolation keeps confidences in range, a model's raw output may not). */
export function clampUnitInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = Math.min(1, Math.max(0, values[i]));
  return values;
}

/**
 * Three planar normal channels (x, y, z in `frame`) -> interleaved unit normals in the program's camera
 * frame (x right, y up, z towards the viewer; see src/core/camera.ts). Interpolation shortens normals,
 * so they are normalised again; a zero vector stays zero.
 */
export function normalsToCameraFrame(nx: Float32Array, ny: Float32Array, nz: Float32Array, frame: NormalsFrame): Float32Array {
  // OpenCV looks down +z with y down; flipping y and z is the 180-degree turn about x between the two.
  const flip = frame === 'opencv' ? -1 : 1;
  const out = new Float32Array(nx.length * 3);
  for (let i = 0; i < nx.length; i++) {
    const x = nx[i];
    const y = flip * ny[i];
    const z = flip * nz[i];
    const length = Math.sqrt(x * x + y * y + z * z); // Math.hypot is several times slower in V8
    const inv = length > 0 ? 1 / length : 0;
    out[3 * i] = x * inv;
    out[3 * i + 1] = y * inv;
    out[3 * i + 2] = z * inv;
  }
  return out;
}
