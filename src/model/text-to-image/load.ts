/**
 * Loading a text-to-image pipeline: tokenizer tables, then each ONNX file fetched (cache or download) and
 * started as a session right away, so at most one file's bytes are held besides the running sessions
 * (SD-Turbo's denoiser alone is 1.7 GB). A failure releases what was started.
 *
 * Every failure to load (besides an abort) is TextToImageUnavailable: a GPU that cannot start the model
 * (no adapter, no shader-f16), tables that do not parse, or a file that disagrees with the entry all
 * mean the same to the caller: use the built-in generator, and show the one line.
 */
import type { ModelCache } from '../cache.ts';
import type { FetchFn } from '../download.ts';
import { ClipTokenizer } from './clip-tokenizer.ts';
import { type FileOptions, TextToImageUnavailable, fileName, pipelineFile } from './files.ts';
import { type PipelineSession, type Provider, createPipelineSession } from './onnx-session.ts';
import type { PipelineFileRole, TextToImagePipeline } from './spec.ts';

export interface LoadedPipeline {
  spec: TextToImagePipeline;
  provider: Provider;
  tokenizer: ClipTokenizer;
  textEncoder: PipelineSession;
  unet: PipelineSession;
  vaeDecoder: PipelineSession;
  /** Non-fatal problems met while loading (e.g. a cache that could not be written). */
  warnings: string[];
  release(): Promise<void>;
}

export interface LoadOptions {
  fetch: FetchFn;
  cache: ModelCache;
  provider: Provider;
  signal?: AbortSignal;
  /** Loading is the 0..1 of this callback; downloads count by bytes, session starts by a share each. */
  onProgress?: (fraction: number, stage: string) => void;
}

const MODEL_ROLES = ['textEncoder', 'unet', 'vaeDecoder'] as const;

export async function loadPipeline(spec: TextToImagePipeline, options: LoadOptions): Promise<LoadedPipeline> {
  try {
    return await load(spec, options);
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof TextToImageUnavailable || !(error instanceof Error)) throw error;
    throw new TextToImageUnavailable(error.message.split('\n')[0]);
  }
}

async function load(spec: TextToImagePipeline, options: LoadOptions): Promise<LoadedPipeline> {
  const warnings: string[] = [];
  const sizes = Object.fromEntries((['vocab', 'merges', ...MODEL_ROLES] as PipelineFileRole[]).map((r) => [r, spec.files[r].bytes ?? 0])) as Record<PipelineFileRole, number>;
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  // 90% for fetching (by bytes), 10% for starting the three sessions.
  let done = 0;
  const fileOptions = (role: PipelineFileRole): FileOptions => ({
    fetch: options.fetch,
    cache: options.cache,
    signal: options.signal,
    warnings,
    onProgress: (f) => options.onProgress?.((0.9 * (done + f * sizes[role])) / total + startedShare, `download ${spec.id} ${fileName(spec.files[role])}`),
  });
  let startedShare = 0;
  const fetchFile = async (role: PipelineFileRole): Promise<Uint8Array> => {
    const bytes = await pipelineFile(spec, role, fileOptions(role));
    done += sizes[role];
    return bytes;
  };

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const tokenizer = new ClipTokenizer(decoder.decode(await fetchFile('vocab')), decoder.decode(await fetchFile('merges')), spec.tokenizer);

  const started: PipelineSession[] = [];
  try {
    for (const role of MODEL_ROLES) {
      const bytes = await fetchFile(role);
      options.signal?.throwIfAborted();
      options.onProgress?.((0.9 * done) / total + startedShare, `start ${spec.id} ${role} (${options.provider})`);
      started.push(await createPipelineSession(`${spec.id} ${role}`, spec.files[role], bytes, options.provider));
      startedShare += 0.1 / MODEL_ROLES.length;
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.release().catch(() => undefined)));
    throw error;
  }
  options.onProgress?.(1, `loaded ${spec.id}`);
  const [textEncoder, unet, vaeDecoder] = started;
  return {
    spec,
    provider: options.provider,
    tokenizer,
    textEncoder,
    unet,
    vaeDecoder,
    warnings,
    release: async () => {
      await Promise.all(started.map((s) => s.release()));
    },
  };
}
