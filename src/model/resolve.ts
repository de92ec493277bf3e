/**
 * resolveModel: the bytes of a model, from wherever they can come: the program itself (a shipped file),
 * the cache, or a download. When a downloadable model cannot be had (offline, server error, size or
 * checksum mismatch) the built-in model serves instead, with one warning line that says why. Nothing
 * that failed verification is cached.
 */
import { type ModelCache, modelCacheKey } from './cache.ts';
import { type DownloadOptions, type FetchFn, ModelDownloadError, downloadModel } from './download.ts';
import { BUILTIN_MODEL_ID, type LocalModelEntry, type Manifest, type ModelEntry, findModel, isRemote } from './manifest.ts';
import { verifyModelBytes } from './verify.ts';

export interface ResolveOptions {
  manifest: Manifest;
  fetch: FetchFn;
  cache: ModelCache;
  /**
   * Reads a shipped file named by an entry's `file` (relative to the manifest's folder).
   * Node: fs.readFile(path.join(modelsDir, file)); browser: fetch(new URL(file, modelsBaseUrl)).
   */
  readShipped: (file: string) => Promise<Uint8Array>;
  /** The model that serves when a download fails; 'builtin' unless a test says otherwise. */
  fallbackId?: string;
  onProgress?: DownloadOptions['onProgress'];
  signal?: AbortSignal;
}

export type ModelSource = 'cache' | 'download' | 'builtin';

export interface ResolvedModel {
  /** The model that was resolved: the fallback's entry when the fallback serves. */
  entry: ModelEntry;
  bytes: Uint8Array;
  source: ModelSource;
  /** One line for the user when something went wrong but a model was still found. */
  warning?: string;
}

export async function resolveModel(id: string, options: ResolveOptions): Promise<ResolvedModel> {
  const entry = findModel(options.manifest, id);
  if (!isRemote(entry)) return { entry, bytes: await readShippedModel(entry, options), source: 'builtin' };

  const warnings: string[] = [];
  const key = modelCacheKey(entry);
  const cached = await options.cache.get(key).catch((error: unknown) => {
    warnings.push(`${entry.id}: the model cache could not be read (${messageOf(error)})`);
    return null;
  });
  if (cached) {
    try {
      await verifyModelBytes(entry, cached);
      options.onProgress?.(1, `cache ${entry.id}`);
      return { entry, bytes: cached, source: 'cache' };
    } catch (error) {
      // Damaged or stale: drop it and download again.
      warnings.push(`${messageOf(error)} in the cache; downloading it again`);
      await options.cache.delete?.(key).catch(() => undefined);
    }
  }

  let bytes: Uint8Array;
  try {
    bytes = await downloadModel(entry, options);
  } catch (error) {
    options.signal?.throwIfAborted();
    if (!(error instanceof ModelDownloadError)) throw error;
    return fallBack(error.message, warnings, options);
  }
  await options.cache.put(key, bytes).catch((error: unknown) => {
    warnings.push(`${entry.id}: downloaded and verified but not cached (${messageOf(error)}); it will be downloaded again next time`);
  });
  return { entry, bytes, source: 'download', warning: joinWarnings(warnings) };
}

async function fallBack(reason: string, warnings: string[], options: ResolveOptions): Promise<ResolvedModel> {
  const fallbackId = options.fallbackId ?? BUILTIN_MODEL_ID;
  const fallback = options.manifest.models.find((m) => m.id === fallbackId);
  if (!fallback || isRemote(fallback)) {
    throw new Error(`${reason}; and there is no shipped model '${fallbackId}' to use instead`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readShippedModel(fallback, options);
  } catch (error) {
    throw new Error(`${reason}; and the built-in model could not be used either: ${messageOf(error)}`);
  }
  return { entry: fallback, bytes, source: 'builtin', warning: joinWarnings([...warnings, `${reason}; using the built-in model`]) };
}

/** A shipped file is verified like a download: a stale models/ folder would otherwise go unnoticed. */
async function readShippedModel(entry: LocalModelEntry, options: ResolveOptions): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await options.readShipped(entry.file);
  } catch (error) {
    throw new Error(`${entry.id}: could not read the shipped file ${entry.file}: ${messageOf(error)}`);
  }
  await verifyModelBytes(entry, bytes).catch((error: unknown) => {
    throw new Error(`${messageOf(error)} in the shipped file ${entry.file} (is the manifest up to date?)`);
  });
  return bytes;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const joinWarnings = (warnings: string[]): string | undefined => (warnings.length > 0 ? warnings.join('; ') : undefined);

