/**
 * One prompt through a loaded pipeline: tokens -> text encoder -> one denoising step of the UNet at the
 * pinned timestep -> VAE decoder -> an 8-bit RGB picture. The schedule math is in scheduler.ts.
 */
import type { RgbImage } from '../../core/image.ts';
import type { LoadedPipeline } from './load.ts';
import { initialLatent, modelInput, oneStepSchedule, predictOriginal } from './scheduler.ts';

export interface RunOptions {
  seed: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
  onWarning?: (line: string) => void;
}

export async function runPipeline(loaded: LoadedPipeline, prompt: string, options: RunOptions): Promise<RgbImage> {
  const { spec } = loaded;
  const { signal, onProgress } = options;
  const L = spec.tokenizer.length;
  const { channels: C, height: H, width: W, scalingFactor } = spec.latent;

  onProgress?.(0, `encode the prompt (${spec.id})`);
  const { ids, truncated } = loaded.tokenizer.encode(prompt);
  if (truncated > 0) options.onWarning?.(`prompt: the text encoder reads ${L - 2} tokens; the last ${truncated} were left out`);
  const te = spec.files.textEncoder;
  const encoded = await loaded.textEncoder.run([{ spec: te.inputs.inputIds, values: ids, dims: [1, L] }], [te.outputs.hiddenStates]);
  const hidden = encoded[te.outputs.hiddenStates.name];
  expectDims(`${spec.id} text encoder output '${te.outputs.hiddenStates.name}'`, hidden.dims, [1, L, spec.textEmbeddingWidth]);
  signal?.throwIfAborted();

  onProgress?.(0.2, `denoise (${spec.id}, 1 step at t=${spec.scheduler.timestep})`);
  const schedule = oneStepSchedule(spec.scheduler);
  const x = modelInput(initialLatent(options.seed, C * H * W, schedule), schedule);
  const un = spec.files.unet;
  const predicted = await loaded.unet.run(
    [
      { spec: un.inputs.sample, values: x, dims: [1, C, H, W] },
      { spec: un.inputs.timestep, values: [schedule.timestep], dims: [1] },
      { spec: un.inputs.encoderHiddenStates, values: hidden.data, dims: hidden.dims },
    ],
    [un.outputs.noise],
  );
  const eps = predicted[un.outputs.noise.name];
  expectDims(`${spec.id} unet output '${un.outputs.noise.name}'`, eps.dims, [1, C, H, W]);
  const x0 = predictOriginal(x, eps.data, schedule);
  for (let i = 0; i < x0.length; i++) x0[i] /= scalingFactor;
  signal?.throwIfAborted();

  onProgress?.(0.7, `decode (${spec.id})`);
  const vae = spec.files.vaeDecoder;
  const decoded = await loaded.vaeDecoder.run([{ spec: vae.inputs.latent, values: x0, dims: [1, C, H, W] }], [vae.outputs.image]);
  const image = decoded[vae.outputs.image.name];
  expectDims(`${spec.id} vae decoder output '${vae.outputs.image.name}'`, image.dims, [1, 3, spec.image.height, spec.image.width]);
  onProgress?.(1, `done (${spec.id})`);
  return toRgbImage(image.data, spec.image.width, spec.image.height);
}

/** NCHW values in [-1, 1] -> interleaved 8-bit RGB, row-major from the top-left (as core/image.ts). */
export function toRgbImage(planes: Float32Array, width: number, height: number): RgbImage {
  const n = width * height;
  const data = new Uint8Array(3 * n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) {
      const v = (planes[c * n + i] + 1) / 2;
      // NaN (a broken model) becomes 0 rather than poisoning the picture silently as an arbitrary byte.
      data[3 * i + c] = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0;
    }
  }
  return { width, height, data };
}

function expectDims(what: string, found: readonly number[], expected: readonly number[]): void {
  if (found.length !== expected.length || found.some((d, i) => d !== expected[i])) {
    throw new Error(`${what}: expected shape [${expected.join(', ')}], found [${found.join(', ')}]`);
  }
}
