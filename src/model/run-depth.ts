/**
 * runDepth: one photo through a depth model, back as per-pixel maps at the photo's own size.
 * The steps are the pure functions of preprocess.ts and postprocess.ts; this file only strings them
 * together, checks the shapes the model returns, and reports progress.
 */
import { checkRgbImage, type RgbImage } from './image.ts';
import { type OutputSpec, fovInputOf, imageInputOf } from './manifest.ts';
import {
  clampUnitInPlace,
  expInPlace,
  invertInPlace,
  normalsToCameraFrame,
  outputPlaneToImage,
  sigmoidInPlace,
} from './postprocess.ts';
import { averageMirroredOutputs, mirrorLastAxis } from './mirror.ts';
import { imageToTensor, type InputPlan, inputVerticalFovDegrees, planInput } from './preprocess.ts';
import type { Model, TensorData } from './session.ts';

export interface RunDepthOptions {
  /** Checked between the stages; an inference already running finishes, and its result is dropped. */
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
  /** The photo's vertical field of view, for models that take one (else the manifest's default). */
  verticalFovDegrees?: number;
  /**
   * The grid the maps come back on, always covering the photo's field of view: 'image' (default) the
   * photo's own pixels; 'model' the model's output resolution, for callers that upsample
   * edge-aware themselves (lift.ts) instead of taking a plain interpolation.
   */
  resolution?: 'image' | 'model';
}

interface MapsCommon {
  width: number;
  height: number;
  /** 0..1 per pixel, when the model gives one. */
  confidence?: Float32Array;
  /** Unit normals, interleaved xyz per pixel, in the camera frame of src/core/camera.ts. */
  normals?: Float32Array;
  /** 0..1 per pixel: probability that the pixel is sky, when the model gives one. */
  sky?: Float32Array;
}
/** Depth along the view axis in metres; Infinity where the model puts a pixel at infinity (sky). */
export type MetricDepthMaps = MapsCommon & { kind: 'metric'; depth: Float32Array };
/** Depth Anything-style output: larger is nearer, up to an unknown scale and shift (see align.ts). */
export type RelativeDepthMaps = MapsCommon & { kind: 'relative-inverse'; relativeInverseDepth: Float32Array };
export type DepthMaps = MetricDepthMaps | RelativeDepthMaps;

export async function runDepth(model: Model, image: RgbImage, options: RunDepthOptions = {}): Promise<DepthMaps> {
  const { entry } = model;
  const { signal, onProgress } = options;
  if (entry.task !== 'depth' && entry.task !== 'relative-inverse-depth') {
    throw new Error(`${entry.id}: expected a depth model, found task '${entry.task}'`);
  }
  checkRgbImage(image);
  signal?.throwIfAborted();

  const spec = imageInputOf(entry);
  const plan = planInput(image.width, image.height, spec.resize);
  const input: TensorData = { data: imageToTensor(image, plan, spec), dims: [1, 3, plan.inputHeight, plan.inputWidth] };
  const feeds: Record<string, TensorData> = { [spec.name]: input };
  const fovInput = fovInputOf(entry);
  if (fovInput) {
    const fov = inputVerticalFovDegrees(options.verticalFovDegrees ?? fovInput.default, image.height, plan);
    feeds[fovInput.name] = { data: Float32Array.of(fov), dims: [1] };
  }
  onProgress?.(0.1, 'depth: prepare');
  signal?.throwIfAborted();

  let outputs = await model.run(feeds);
  signal?.throwIfAborted();
  if (spec.mirrorAverage) {
    onProgress?.(0.5, 'depth: infer');
    // The input grid is centred on the photo, so the mirrored tensor is the mirrored photo's input
    // (mirror.ts); the field of view, and any other feed, is the same for both.
    const mirroredInput = { data: mirrorLastAxis(input.data, input.dims), dims: input.dims };
    const mirrored = await model.run({ ...feeds, [spec.name]: mirroredInput });
    signal?.throwIfAborted();
    outputs = averageMirroredOutputs(entry.id, entry.outputs, outputs, mirrored, spec.mirrorAverage === true ? undefined : spec.mirrorAverage);
    onProgress?.(0.9, 'depth: infer mirrored');
  } else {
    onProgress?.(0.9, 'depth: infer');
  }

  const grid = options.resolution === 'model' ? modelGrid(entry.id, outputs, plan, image) : { width: image.width, height: image.height, plan };
  const toImage = (output: OutputSpec, channels: number) => outputPlanes(entry.id, output, outputs[output.name], channels, grid.plan, grid);
  const common: MapsCommon = { width: grid.width, height: grid.height };
  let depth: Float32Array | undefined;
  let relative: Float32Array | undefined;
  for (const output of entry.outputs) {
    switch (output.meaning) {
      case 'log-depth':
        depth = expInPlace(toImage(output, 1)[0]);
        break;
      case 'depth':
        depth = toImage(output, 1)[0];
        break;
      case 'inverse-depth':
        depth = invertInPlace(toImage(output, 1)[0]);
        break;
      case 'relative-inverse-depth':
        relative = toImage(output, 1)[0];
        break;
      case 'confidence':
        common.confidence = clampUnitInPlace(toImage(output, 1)[0]);
        break;
      case 'confidence-logit':
        common.confidence = sigmoidInPlace(toImage(output, 1)[0]);
        break;
      case 'normals': {
        const [nx, ny, nz] = toImage(output, 3);
        common.normals = normalsToCameraFrame(nx, ny, nz, output.frame ?? 'opengl');
        break;
      }
      case 'sky':
        common.sky = clampUnitInPlace(toImage(output, 1)[0]);
        break;
      case 'other':
        break;
    }
  }
  onProgress?.(1, 'depth: convert');
  // The manifest parser guarantees exactly one depth-like output for each task.
  if (relative) return { ...common, kind: 'relative-inverse', relativeInverseDepth: relative };
  return { ...common, kind: 'metric', depth: depth! };
}

/**
 * The photo's field of view at the resolution of the model's first output: the size the photo would
 * have if scaled to that output, and the input plan re-expressed for that smaller "image" (plan
 * scales are input pixels per image pixel, so they grow by the shrink factor; offsets stay).
 */
function modelGrid(modelId: string, outputs: Record<string, TensorData>, plan: InputPlan, image: { width: number; height: number }) {
  const first = Object.values(outputs)[0];
  if (!first) throw new Error(`${modelId}: expected at least one output, found none`);
  const outW = first.dims[first.dims.length - 1];
  const perImagePixel = (outW / plan.inputWidth) * plan.scaleX; // output pixels per photo pixel
  const { width, height } = modelGridSize(image, perImagePixel);
  const gridPlan: InputPlan = { ...plan, scaleX: (plan.scaleX * image.width) / width, scaleY: (plan.scaleY * image.height) / height };
  return { width, height, plan: gridPlan };
}

/**
 * The size of the grid maps come on at resolution 'model' for an image, given the model's output
 * pixels per image pixel: the image scaled by that, never up.
 */
export function modelGridSize(image: { width: number; height: number }, perImagePixel: number): { width: number; height: number } {
  const shrink = Math.min(1, perImagePixel);
  return { width: Math.max(1, Math.round(image.width * shrink)), height: Math.max(1, Math.round(image.height * shrink)) };
}

/**
 * The channels of one output, each resampled to the image grid. Checks the output's shape against its
 * layout and against the input grid it must cover.
 */
function outputPlanes(
  modelId: string,
  spec: OutputSpec,
  tensor: TensorData | undefined,
  channels: number,
  plan: InputPlan,
  image: { width: number; height: number },
): Float32Array[] {
  const where = `${modelId}: output '${spec.name}'`;
  if (!tensor) throw new Error(`${where}: expected the model to return it, found no such output`);
  const dims = tensor.dims;
  const expected = spec.layout === 'NHW' ? '1 x H x W' : `1 x ${channels} x H x W`;
  const shapeOk = spec.layout === 'NHW' ? dims.length === 3 && dims[0] === 1 && channels === 1 : dims.length === 4 && dims[0] === 1 && dims[1] === channels;
  if (!shapeOk) throw new Error(`${where}: expected shape ${expected} (${spec.layout}), found ${dims.join(' x ')}`);
  const outH = dims[dims.length - 2];
  const outW = dims[dims.length - 1];
  // The output grid covers the input grid: the same aspect at any resolution, within a pixel of rounding.
  if (Math.abs(outW - (plan.inputWidth * outH) / plan.inputHeight) > 1) {
    throw new Error(`${where}: expected a grid proportional to the ${plan.inputWidth}x${plan.inputHeight} input, found ${outW}x${outH}`);
  }
  const size = outW * outH;
  const planes: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    planes.push(outputPlaneToImage(tensor.data.subarray(c * size, (c + 1) * size), plan, outW, outH, image.width, image.height));
  }
  return planes;
}
