/**
 * Image -> model input tensor: choose the input size from the manifest's resize policy, resample,
 * normalise, and lay the result out as NCHW. Pure functions; runDepth strings them together.
 */
import type { RgbImage } from './image.ts';
import type { ImageInputSpec, ResizePolicy } from './manifest.ts';
import { type AxisMap, resample } from './resample.ts';

/**
 * Where the image lies in the model's input grid: image x in [0, width] (pixel edges) maps to input
 * x' = offsetX + scaleX * x, likewise for y. Padding gives offsets > 0, cropping offsets < 0.
 */
export interface InputPlan {
  inputWidth: number;
  inputHeight: number;
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

export function planInput(width: number, height: number, policy: ResizePolicy): InputPlan {
  let boxW: number;
  let boxH: number;
  if ('width' in policy) {
    boxW = policy.width;
    boxH = policy.height;
  } else {
    const scale = policy.longSide / Math.max(width, height);
    const m = policy.multipleOf;
    // pad rounds up (room for the whole image), crop rounds down (the input lies inside the image),
    // stretch rounds to the nearest (least distortion); never below one block.
    const toMultiple = (content: number) => {
      const blocks = content / m;
      const n = policy.mode === 'pad' ? Math.ceil(blocks - 1e-9) : policy.mode === 'crop' ? Math.floor(blocks + 1e-9) : Math.round(blocks);
      return Math.max(1, n) * m;
    };
    boxW = toMultiple(width * scale);
    boxH = toMultiple(height * scale);
  }
  if (policy.mode === 'stretch') {
    return { inputWidth: boxW, inputHeight: boxH, scaleX: boxW / width, scaleY: boxH / height, offsetX: 0, offsetY: 0 };
  }
  const fit = policy.mode === 'pad' ? Math.min : Math.max;
  const scale = fit(boxW / width, boxH / height);
  return {
    inputWidth: boxW,
    inputHeight: boxH,
    scaleX: scale,
    scaleY: scale,
    offsetX: (boxW - scale * width) / 2,
    offsetY: (boxH - scale * height) / 2,
  };
}

/**
 * The vertical field of view of the model's input grid, for a photo of `height` pixels whose vertical
 * field of view is `photoFovDegrees`: the focal length in pixels scales with the image, and padding or
 * cropping changes the height it spans. (Pixels are square after pad and crop; after stretch nearly so.)
 */
export function inputVerticalFovDegrees(photoFovDegrees: number, height: number, plan: InputPlan): number {
  if (!(photoFovDegrees > 0 && photoFovDegrees < 180)) {
    throw new Error(`depth: expected a vertical field of view between 0 and 180 degrees, found ${photoFovDegrees}`);
  }
  const focalInput = (height / 2 / Math.tan((photoFovDegrees * Math.PI) / 360)) * plan.scaleY;
  return (360 / Math.PI) * Math.atan(plan.inputHeight / 2 / focalInput);
}

/** Axis maps that read the image for each input pixel (pixels outside the image repeat its border). */
export function imageToInputMaps(plan: InputPlan, width: number, height: number): { x: AxisMap; y: AxisMap } {
  return {
    x: { srcSize: width, dstSize: plan.inputWidth, step: 1 / plan.scaleX, origin: -plan.offsetX / plan.scaleX },
    y: { srcSize: height, dstSize: plan.inputHeight, step: 1 / plan.scaleY, origin: -plan.offsetY / plan.scaleY },
  };
}

/**
 * The NCHW float32 tensor data (1 x 3 x inputHeight x inputWidth) for `image`: resampled per `plan`,
 * values mapped from 0..1 onto the spec's valueRange, then (v - mean) / std per channel, in the spec's
 * channel order.
 */
export function imageToTensor(image: RgbImage, plan: InputPlan, spec: ImageInputSpec): Float32Array {
  const maps = imageToInputMaps(plan, image.width, image.height);
  const planes = resample(image.data, 3, maps.x, maps.y);
  const unit = image.data instanceof Uint8Array ? 1 / 255 : 1;
  const [lo, hi] = spec.valueRange;
  const size = plan.inputWidth * plan.inputHeight;
  const out = new Float32Array(3 * size);
  for (let c = 0; c < 3; c++) {
    const from = spec.channels === 'BGR' ? 2 - c : c;
    const gain = (unit * (hi - lo)) / spec.std[c];
    const bias = (lo - spec.mean[c]) / spec.std[c];
    const src = planes.subarray(from * size, (from + 1) * size);
    const dst = out.subarray(c * size, (c + 1) * size);
    for (let i = 0; i < size; i++) dst[i] = src[i] * gain + bias;
  }
  return out;
}
