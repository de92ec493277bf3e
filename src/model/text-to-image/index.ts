/**
 * Text -> picture with a real pretrained model (SD-Turbo, pinned in ../pretrained.json), downloaded on
 * demand with progress, verified, cached, run with onnxruntime-web.
 *
 *   const a = textToImageAvailability();          // sync, no network: can it run here at all?
 *   if (a.available) show(a.licenceNotice);       // SD-Turbo is non-commercial: say so before use
 *   try { picture = await textToImage(prompt, { seed, onProgress, signal }); }
 *   catch (e) { if (e instanceof TextToImageUnavailable) useBuiltInGenerator(e.message); else throw e; }
 *
 * It runs where it is useful: a browser with WebGPU (and the adapter features the entry lists, e.g.
 * 'shader-f16' for SD-Turbo's fp16 weights, checked before anything is downloaded). SD-Turbo on the WebAssembly CPU backend takes
 * minutes per picture, so without WebGPU a browser gets `unavailable: ...` and the built-in text -> world
 * generator; Node (which has no WebGPU in onnxruntime-web) runs it on the CPU only when asked with
 * `allowWasm: true` (the CLI's explicit opt-in, and the tests).
 *
 * `unavailable: <reason>` (TextToImageUnavailable) covers: no WebGPU / no opt-in, files whose hash could
 * not be pinned, offline, HTTP errors, size or checksum mismatch, a model that cannot start here (no GPU
 * adapter, no shader-f16) or disagrees with its entry. Anything else (an empty prompt, a bad seed, an
 * abort, a model that breaks while running) is an ordinary error or the abort reason.
 */
import type { RgbImage } from '../../core/image.ts';
import { CacheStorageModelCache } from '../browser/cache-storage.ts';
import { MemoryModelCache, type ModelCache } from '../cache.ts';
import type { FetchFn } from '../download.ts';
import type { Licence } from '../manifest.ts';
import { PRETRAINED_PIPELINES } from '../pretrained.ts';
import { TextToImageUnavailable, pipelineBytes, unpinnedReasons } from './files.ts';
import { type LoadedPipeline, loadPipeline } from './load.ts';
import type { Provider } from './onnx-session.ts';
import { runPipeline } from './run.ts';
import type { TextToImagePipeline } from './spec.ts';

export { ClipTokenizer, type ClipTokens } from './clip-tokenizer.ts';
export { TextToImageUnavailable } from './files.ts';
export { type OneStepSchedule, oneStepSchedule } from './scheduler.ts';
export { type TextToImagePipeline, parseTextToImagePipelines } from './spec.ts';

/** The pipeline used when none is named: the first of pretrained.json (SD-Turbo). */
export const DEFAULT_TEXT_TO_IMAGE = 'sd-turbo';

/** Longest prompt accepted; CLIP reads only the first 75 tokens anyway. */
export const MAX_PROMPT_CHARS = 10_000;

export interface TextToImageRuntime {
  /** A WebGPU adapter can be asked for (navigator.gpu) in a browser build of onnxruntime-web. */
  webgpu: boolean;
  /** Running under Node (CPU only in onnxruntime-web). */
  node: boolean;
}

export function detectTextToImageRuntime(): TextToImageRuntime {
  const g = globalThis as { navigator?: { gpu?: unknown }; process?: { versions?: { node?: string } } };
  const node = typeof g.process?.versions?.node === 'string';
  return { node, webgpu: !node && g.navigator?.gpu != null };
}

export interface TextToImageSetup {
  /** A pipeline entry or its id; default 'sd-turbo' from pretrained.json. */
  pipeline?: TextToImagePipeline | string;
  runtime?: TextToImageRuntime;
  /** Node only: run on the WebAssembly CPU backend (minutes per picture for SD-Turbo). */
  allowWasm?: boolean;
}

export type TextToImageAvailability =
  | { available: true; pipeline: TextToImagePipeline; provider: Provider; licence: Licence; licenceNotice: string; downloadBytes: number }
  | { available: false; reason: string; pipeline?: TextToImagePipeline; licence?: Licence; licenceNotice?: string };

/** Whether textToImage can run here, without touching the network; one line of reason when not. */
export function textToImageAvailability(setup: TextToImageSetup = {}): TextToImageAvailability {
  let pipeline: TextToImagePipeline;
  try {
    pipeline = pickPipeline(setup.pipeline);
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
  const about = { pipeline, licence: pipeline.licence, licenceNotice: licenceNotice(pipeline) };
  const unpinned = unpinnedReasons(pipeline);
  if (unpinned.length > 0) return { available: false, reason: unpinned.length > 1 ? `${unpinned[0]} (and ${unpinned.length - 1} more file${unpinned.length > 2 ? 's' : ''})` : unpinned[0], ...about };
  const runtime = setup.runtime ?? detectTextToImageRuntime();
  let provider: Provider;
  if (runtime.webgpu) provider = 'webgpu';
  else if (runtime.node && setup.allowWasm) provider = 'wasm';
  else if (runtime.node) return { available: false, reason: `${pipeline.name} needs WebGPU, which Node lacks; opt in to the CPU (allowWasm, minutes per picture)`, ...about };
  else return { available: false, reason: `${pipeline.name} needs WebGPU, which this browser does not offer (on the CPU it would take minutes per picture)`, ...about };
  return { available: true, provider, downloadBytes: pipelineBytes(pipeline), ...about };
}

export function licenceNotice(pipeline: TextToImagePipeline): string {
  const { id, nonCommercial, url } = pipeline.licence;
  return `${pipeline.name} is under ${id}${nonCommercial ? ': non-commercial use only' : ''}${url ? ` (${url})` : ''}`;
}

export interface TextToImageOptions extends TextToImageSetup {
  /** Integer 0..2^32-1; the same prompt and seed give the same picture on the same backend. Default 0. */
  seed?: number;
  onProgress?: (fraction: number, stage: string) => void;
  signal?: AbortSignal;
  /** Default: the global fetch. */
  fetch?: FetchFn;
  /** Default: Cache Storage in a browser, memory otherwise (the CLI passes node/folder-cache.ts). */
  cache?: ModelCache;
  /** Problems that did not stop the picture (a model cache that failed, a prompt cut to 75 tokens), one line each. */
  onWarning?: (line: string) => void;
}

/** Loaded pipelines, kept between prompts (loading SD-Turbo means 2.5 GB and three session starts). */
const loaded = new Map<string, Promise<LoadedPipeline>>();

export async function textToImage(prompt: string, options: TextToImageOptions = {}): Promise<RgbImage> {
  if (typeof prompt !== 'string' || prompt.trim() === '') throw new Error('prompt: expected some words, found an empty prompt');
  if (prompt.length > MAX_PROMPT_CHARS) throw new Error(`prompt: expected at most ${MAX_PROMPT_CHARS} characters, found ${prompt.length}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed: expected an integer from 0 to 4294967295, found ${seed}`);
  const availability = textToImageAvailability(options);
  if (!availability.available) throw new TextToImageUnavailable(availability.reason);
  const { pipeline, provider } = availability;
  if (provider === 'webgpu' && pipeline.webgpuFeatures?.length) {
    const missing = await missingWebgpuFeatures(pipeline.webgpuFeatures);
    if (missing) throw new TextToImageUnavailable(`${pipeline.name} needs ${missing}, which this browser's WebGPU does not offer`);
  }
  options.signal?.throwIfAborted();

  // The whole entry is the key: an edited entry (another file, another tensor type) is another pipeline.
  const key = `${provider}|${JSON.stringify(pipeline)}`;
  let pending = loaded.get(key);
  if (!pending) {
    const fetch = options.fetch ?? ((url: string, init?: { signal?: AbortSignal }) => globalThis.fetch(url, init));
    pending = loadPipeline(pipeline, {
      fetch,
      cache: options.cache ?? defaultCache(),
      provider,
      signal: options.signal,
      onProgress: (f, stage) => options.onProgress?.(0.9 * f, stage),
    });
    loaded.set(key, pending);
    // A failed or aborted load is not kept: the next call tries again.
    pending.catch(() => loaded.delete(key));
  }
  const ready = await pending;
  for (const line of ready.warnings.splice(0)) options.onWarning?.(line);
  return runPipeline(ready, prompt, {
    seed,
    signal: options.signal,
    onProgress: (f, stage) => options.onProgress?.(0.9 + 0.1 * f, stage),
    onWarning: options.onWarning,
  });
}

/** Frees the sessions of every loaded pipeline (GPU and WebAssembly memory). */
export async function releaseTextToImage(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  await Promise.all(all.map((p) => p.then((l) => l.release()).catch(() => undefined)));
}

/** What the WebGPU adapter lacks of `required` ('an adapter' when there is none), or null when nothing. */
async function missingWebgpuFeatures(required: string[]): Promise<string | null> {
  type Adapter = { features: { has(name: string): boolean } };
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<Adapter | null> } } }).navigator?.gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  if (!adapter) return 'a WebGPU adapter';
  const missing = required.filter((f) => !adapter.features.has(f));
  return missing.length > 0 ? `the WebGPU feature${missing.length > 1 ? 's' : ''} ${missing.map((f) => `'${f}'`).join(', ')}` : null;
}

function pickPipeline(choice: TextToImagePipeline | string | undefined): TextToImagePipeline {
  if (choice && typeof choice === 'object') return choice;
  const id = choice ?? DEFAULT_TEXT_TO_IMAGE;
  const found = PRETRAINED_PIPELINES.find((p) => p.id === id);
  if (!found) throw new Error(`text-to-image: no pipeline '${id}' (known: ${PRETRAINED_PIPELINES.map((p) => `'${p.id}'`).join(', ') || 'none'})`);
  return found;
}

function defaultCache(): ModelCache {
  try {
    return new CacheStorageModelCache();
  } catch {
    return new MemoryModelCache();
  }
}
