/**
 * Test-time mirror averaging (the manifest's image input `mirrorAverage`): a model's outputs on a picture
 * and on its left-right mirror image, the second mirrored back and averaged with the first. Pure functions;
 * runDepth runs the model twice and calls these on the raw outputs, before any conversion, so that the
 * average is taken in the model's own quantity (log depth: the geometric mean of depth).
 *
 * Why mirroring the input tensor is the same as mirroring the photo: planInput centres the image in the
 * input grid in every mode (offsetX = (inputWidth - scaleX * width) / 2, 0 for stretch), so the margins
 * left and right are equal, and resample's kernels (tent, bilinear, border repeat) are symmetric. Photo x
 * lands on input x' = offsetX + scaleX x, and the mirrored photo's x = width - x on inputWidth - x':
 * input column i of the mirrored photo is column inputWidth - 1 - i of the photo's (mirror.test.ts checks
 * this against imageToTensor of a mirrored photo). Likewise an output grid covers the input grid exactly
 * (outputToImageMaps), so mirroring an output about its centre mirrors it about the input's.
 */
import type { OutputSpec } from './manifest.ts';
import type { TensorData } from './session.ts';

/**
 * Each run along the last axis reversed: every row of every channel for NCHW, every row for NHW. Its own
 * inverse.
 */
export function mirrorLastAxis(data: Float32Array, dims: readonly number[]): Float32Array {
  const width = dims[dims.length - 1];
  if (!(dims.length >= 1 && Number.isInteger(width) && width > 0 && data.length % width === 0)) {
    throw new Error(`mirror: expected data whose length is a multiple of the last dimension, found ${data.length} values for ${dims.join(' x ')}`);
  }
  const out = new Float32Array(data.length);
  for (let row = 0; row < data.length; row += width) {
    for (let x = 0; x < width; x++) out[row + x] = data[row + width - 1 - x];
  }
  return out;
}

/**
 * (first + mirrored, mirrored back) / 2, element-wise. With `negateFirstChannel`, the mirrored tensor's
 * channel 0 (the first H x W plane) changes sign first: for normals, whose x is image-right in both
 * frames a manifest may name (opengl and opencv, see postprocess.ts normalsToCameraFrame), mirroring the
 * picture mirrors the surfaces, and a mirrored surface's normal has the opposite horizontal component.
 * The result is shorter than a unit vector where the two runs disagree; normalsToCameraFrame
 * renormalises it.
 */
export function averageWithMirrored(first: Float32Array, mirrored: Float32Array, dims: readonly number[], negateFirstChannel: boolean): Float32Array {
  const width = dims[dims.length - 1];
  const plane = dims.length >= 2 ? width * dims[dims.length - 2] : width;
  const back = mirrorLastAxis(mirrored, dims);
  const out = new Float32Array(first.length);
  for (let i = 0; i < first.length; i++) {
    const other = negateFirstChannel && i < plane ? -back[i] : back[i];
    out[i] = 0.5 * (first[i] + other);
  }
  return out;
}

/**
 * The outputs runDepth reads (or, with `only`, those of them so named), averaged over the two runs;
 * the others ('other', 'rgb': not read by runDepth; or left out of `only`) are the first run's as they
 * came. An output missing from the first run is left missing (runDepth names it); the mirrored run must
 * return every averaged output the first did, with the same dims.
 */
export function averageMirroredOutputs(
  modelId: string,
  specs: readonly OutputSpec[],
  first: Record<string, TensorData>,
  mirrored: Record<string, TensorData>,
  only?: readonly string[],
): Record<string, TensorData> {
  const out: Record<string, TensorData> = { ...first }; // same key order: runDepth's model grid reads the first output
  for (const spec of specs) {
    if (spec.meaning === 'other' || spec.meaning === 'rgb') continue;
    if (only !== undefined && !only.includes(spec.name)) continue;
    const a = first[spec.name];
    if (!a) continue;
    const b = mirrored[spec.name];
    const where = `${modelId}: output '${spec.name}'`;
    if (!b) throw new Error(`${where}: expected the mirrored run to return it too, found no such output`);
    if (a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i]) || a.data.length !== b.data.length) {
      throw new Error(`${where}: expected the mirrored run to return the same shape ${a.dims.join(' x ')}, found ${b.dims.join(' x ')}`);
    }
    out[spec.name] = { data: averageWithMirrored(a.data, b.data, a.dims, spec.meaning === 'normals'), dims: a.dims };
  }
  return out;
}
