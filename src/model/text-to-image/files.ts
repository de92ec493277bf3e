/**
 * The files of a text-to-image pipeline, each through the same path as every downloadable model
 * (../cache.ts, ../download.ts, ../verify.ts): the cache first, verified again on the way out; else a
 * download with progress, size and SHA-256 checked before any byte is used or cached. A file the entry
 * could not pin (no SHA-256 or exact size found) is refused before anything is fetched.
 *
 * Failures that mean "this model cannot be had here and now" (unpinned, offline, HTTP error, wrong size
 * or checksum) become TextToImageUnavailable, whose message is the one line `unavailable: <reason>` the
 * caller shows before falling back to the built-in text -> world generator.
 */
import { type ModelCache, modelCacheKey } from '../cache.ts';
import { type FetchFn, ModelDownloadError, downloadModel } from '../download.ts';
import type { RemoteModelEntry } from '../manifest.ts';
import { verifyModelBytes } from '../verify.ts';
import { FILE_ROLES, type PinnedFile, type PipelineFileRole, type TextToImagePipeline, isPinned } from './spec.ts';

export class TextToImageUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`unavailable: ${reason}`);
    this.name = 'TextToImageUnavailable';
  }
}

/** One line per file that cannot be verified, or none. */
export function unpinnedReasons(pipeline: TextToImagePipeline): string[] {
  return FILE_ROLES.filter((role) => !isPinned(pipeline.files[role])).map(
    (role) => `${pipeline.id} ${fileName(pipeline.files[role])} has no pinned ${pipeline.files[role].sha256 === null ? 'SHA-256' : 'byte size'} (${pipeline.files[role].unpinned}); refusing to use it unverified`,
  );
}

export const fileName = (file: PinnedFile): string => file.url.split('/').slice(-2).join('/');

/** Sum of the pinned byte sizes: what a first use downloads. */
export const pipelineBytes = (pipeline: TextToImagePipeline): number => FILE_ROLES.reduce((sum, role) => sum + (pipeline.files[role].bytes ?? 0), 0);

/**
 * The shape the shared download/verify/cache code takes. Only id, url, bytes and sha256 are read by it;
 * the id names the pipeline and the file, so cache keys (id + hash) never collide with other models.
 */
function asEntry(pipeline: TextToImagePipeline, role: PipelineFileRole): RemoteModelEntry {
  const file = pipeline.files[role];
  if (!isPinned(file)) throw new TextToImageUnavailable(unpinnedReasons(pipeline)[0]);
  return {
    id: `${pipeline.id}.${role}`,
    name: `${pipeline.name}: ${fileName(file)}`,
    url: file.url,
    bytes: file.bytes,
    sha256: file.sha256,
    licence: pipeline.licence,
    task: 'text-to-image',
    inputs: [],
    outputs: [],
  };
}

export interface FileOptions {
  fetch: FetchFn;
  cache: ModelCache;
  signal?: AbortSignal;
  /** Called with the file's own 0..1 progress. */
  onProgress?: (fraction: number) => void;
  /** Lines for the user about things that went wrong but did not stop the file (a cache that failed). */
  warnings: string[];
}

/** The verified bytes of one file of the pipeline; see the module comment for what can go wrong. */
export async function pipelineFile(pipeline: TextToImagePipeline, role: PipelineFileRole, options: FileOptions): Promise<Uint8Array> {
  const entry = asEntry(pipeline, role);
  const key = modelCacheKey(entry);
  const cached = await options.cache.get(key).catch((error: unknown) => {
    options.warnings.push(`${entry.id}: the model cache could not be read (${messageOf(error)})`);
    return null;
  });
  if (cached) {
    try {
      await verifyModelBytes(entry, cached);
      options.onProgress?.(1);
      return cached;
    } catch (error) {
      options.warnings.push(`${messageOf(error)} in the cache; downloading it again`);
      await options.cache.delete?.(key).catch(() => undefined);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await downloadModel(entry, { fetch: options.fetch, signal: options.signal, onProgress: (f) => options.onProgress?.(f) });
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof ModelDownloadError) throw new TextToImageUnavailable(error.message);
    throw error;
  }
  await options.cache.put(key, bytes).catch((error: unknown) => {
    options.warnings.push(`${entry.id}: downloaded and verified but not cached (${messageOf(error)}); it will be downloaded again next time`);
  });
  return bytes;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
