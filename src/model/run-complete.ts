/**
 * runComplete: a partial view (colour and depth where known, a hole mask) through a completion model
 * (manifest task 'complete'), back as full maps at the view's own size.
 *
 * Bringing the view to the model's grid must not let hole pixels leak into known ones (their colour
 * and depth are meaningless), so every known quantity is resampled premultiplied by its weight and
 * divided afterwards: a model pixel is known when at least half of its footprint is; its colour is the
 * mean over the known part, its log-depth the mean over the known surface part, and it is sky when
 * sky is most of what is known there. Outputs are resampled in the model's own quantities (log depth,
 * sky probability), then converted.
 */
import type { ImageInputSpec, MapInputSpec } from './manifest.ts';
import { fovInputOf, imageInputOf } from './manifest.ts';
import { outputPlaneToImage } from './postprocess.ts';
import { imageToInputMaps, inputVerticalFovDegrees, planInput } from './preprocess.ts';
import { resample } from './resample.ts';
import type { Model, TensorData } from './session.ts';

export interface PartialMaps {
  width: number;
  height: number;
  /** sRGB-encoded 0..1, interleaved, meaningful where hole is 0 */
  rgb: Float32Array;
  /** metres along the view axis where a surface is known; 0 = sky where known, anything in holes */
  depth: Float32Array;
  /** 1 = hole, 0 = known */
  hole: Uint8Array;
  verticalFovDegrees: number;
}

export interface CompletedMaps {
  width: number;
  height: number;
  /** sRGB-encoded 0..1, interleaved, for every pixel (the caller keeps its known pixels) */
  rgb: Float32Array;
  /** metres along the view axis; 0 = sky */
  depth: Float32Array;
  /** 0..1: the model's probability that the pixel is sky */
  sky: Float32Array;
}

/** Channels of the premultiplied resampling, interleaved per pixel. */
const R = 0, KNOWN = 3, LOGD = 4, SURF = 5, SKY = 6, PACKED = 7;

export async function runComplete(model: Model, view: PartialMaps, options: { signal?: AbortSignal } = {}): Promise<CompletedMaps> {
  return runModel(model, view, options.signal, true);
}

/**
 * runComplete's depth and sky alone, for a caller that takes its colour elsewhere (SplitCompleter):
 * the same values, without bringing the model's three colour planes up to the view's size (on a
 * 512 x 384 view, three of the five output resamplings and the colour loop).
 */
export async function runCompleteDepth(model: Model, view: PartialMaps, options: { signal?: AbortSignal } = {}): Promise<Omit<CompletedMaps, 'rgb'>> {
  return runModel(model, view, options.signal, false);
}

async function runModel(model: Model, view: PartialMaps, signal: AbortSignal | undefined, colour: true): Promise<CompletedMaps>;
async function runModel(model: Model, view: PartialMaps, signal: AbortSignal | undefined, colour: false): Promise<Omit<CompletedMaps, 'rgb'>>;
async function runModel(model: Model, view: PartialMaps, signal: AbortSignal | undefined, colour: boolean): Promise<Omit<CompletedMaps, 'rgb'> & { rgb?: Float32Array }> {
  const { entry } = model;
  if (entry.task !== 'complete') throw new Error(`${entry.id}: expected a completion model, found task '${entry.task}'`);
  checkPartialMaps(view);
  signal?.throwIfAborted();

  const { width, height } = view;
  const spec = imageInputOf(entry);
  const plan = planInput(width, height, spec.resize);
  const w = plan.inputWidth, h = plan.inputHeight, n = w * h;

  const packed = new Float32Array(PACKED * width * height);
  for (let i = 0; i < width * height; i++) {
    if (view.hole[i]) continue;
    const o = PACKED * i;
    for (let c = 0; c < 3; c++) packed[o + R + c] = view.rgb[3 * i + c];
    packed[o + KNOWN] = 1;
    const d = view.depth[i];
    if (d > 0) {
      packed[o + LOGD] = Math.log(d);
      packed[o + SURF] = 1;
    } else {
      packed[o + SKY] = 1;
    }
  }
  const maps = imageToInputMaps(plan, width, height);
  const planes = resample(packed, PACKED, maps.x, maps.y); // planar: channel c at c * n
  const image = new Float32Array(3 * n), logDepth = new Float32Array(n), hole = new Float32Array(n), sky = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const known = planes[KNOWN * n + p];
    if (!(known >= 0.5)) {
      hole[p] = 1;
      continue;
    }
    for (let c = 0; c < 3; c++) image[c * n + p] = planes[(R + c) * n + p] / known;
    const surf = planes[SURF * n + p];
    if (planes[SKY * n + p] > surf) sky[p] = 1;
    else logDepth[p] = planes[LOGD * n + p] / surf;
  }
  normaliseInPlace(image, n, spec);

  const feeds: Record<string, TensorData> = { [spec.name]: { data: image, dims: [1, 3, h, w] } };
  const byMeaning = { 'log-depth': logDepth, hole, sky };
  for (const input of entry.inputs) {
    if (input.kind === 'map') feeds[input.name] = { data: byMeaning[(input as MapInputSpec).meaning], dims: [1, 1, h, w] };
  }
  const fovInput = fovInputOf(entry);
  if (fovInput) {
    feeds[fovInput.name] = { data: Float32Array.of(inputVerticalFovDegrees(view.verticalFovDegrees, height, plan)), dims: [1] };
  }
  signal?.throwIfAborted();
  const outputs = await model.run(feeds);
  signal?.throwIfAborted();

  const plane = (meaning: 'rgb' | 'log-depth' | 'sky', channels: number): Float32Array[] => {
    const spec = entry.outputs.find((o) => o.meaning === meaning);
    if (!spec) return [];
    const t = outputs[spec.name];
    const where = `${entry.id}: output '${spec.name}'`;
    if (!t) throw new Error(`${where}: expected the model to return it, found no such output`);
    if (t.dims.length !== 4 || t.dims[0] !== 1 || t.dims[1] !== channels || t.dims[2] !== h || t.dims[3] !== w) {
      throw new Error(`${where}: expected shape 1 x ${channels} x ${h} x ${w}, found ${t.dims.join(' x ')}`);
    }
    const out: Float32Array[] = [];
    for (let c = 0; c < channels; c++) out.push(outputPlaneToImage(t.data.subarray(c * n, (c + 1) * n), plan, w, h, width, height));
    return out;
  };
  const [logD] = plane('log-depth', 1);
  const [skyProb] = plane('sky', 1);

  const pixels = width * height;
  const depth = new Float32Array(pixels), skyOut = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) {
    skyOut[i] = skyProb ? clamp01(skyProb[i]) : 0;
    depth[i] = skyOut[i] > 0.5 ? 0 : Math.exp(logD[i]);
  }
  if (!colour) return { width, height, depth, sky: skyOut };
  const [r, g, b] = plane('rgb', 3);
  const rgb = new Float32Array(3 * pixels);
  for (let i = 0; i < pixels; i++) {
    rgb[3 * i] = clamp01(r[i]);
    rgb[3 * i + 1] = clamp01(g[i]);
    rgb[3 * i + 2] = clamp01(b[i]);
  }
  return { width, height, rgb, depth, sky: skyOut };
}

const clamp01 = (v: number) => (v > 0 ? (v < 1 ? v : 1) : 0);

/** 0..1 values -> the manifest's valueRange, then (v - mean) / std, in place (planar RGB). */
function normaliseInPlace(image: Float32Array, n: number, spec: ImageInputSpec): void {
  const [lo, hi] = spec.valueRange;
  const order = spec.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const src = image.slice();
  for (let c = 0; c < 3; c++) {
    const from = order[c];
    const k = (hi - lo) / spec.std[c], m = (lo - spec.mean[c]) / spec.std[c];
    for (let p = 0; p < n; p++) image[c * n + p] = src[from * n + p] * k + m;
  }
}

function checkPartialMaps(view: PartialMaps): void {
  const { width, height } = view;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`complete: expected a positive integer size, found ${width}x${height}`);
  }
  const pixels = width * height;
  if (view.rgb.length !== 3 * pixels || view.depth.length !== pixels || view.hole.length !== pixels) {
    throw new Error(`complete: expected rgb ${3 * pixels}, depth and hole ${pixels} values for ${width}x${height}, found ${view.rgb.length}, ${view.depth.length}, ${view.hole.length}`);
  }
  if (!(view.verticalFovDegrees > 0 && view.verticalFovDegrees < 180)) {
    throw new Error(`complete: expected a vertical field of view between 0 and 180 degrees, found ${view.verticalFovDegrees}`);
  }
}
