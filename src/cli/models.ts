/**
 * Models for the command line: the shipped manifest (models/manifest.json) merged with the pretrained
 * models listed in src/model/pretrained.json, shipped files read from models/, downloads cached in
 * $XDG_CACHE_HOME/worldsplat/models (or ~/.cache/...).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Manifest, type Model, PRETRAINED_MODELS, mergeManifests, parseManifest, resolveModel } from '../model/index.ts';
import { loadModelInNode } from '../model/node/load-model.ts';
import { FolderModelCache } from '../model/node/folder-cache.ts';
import type { ProgressCallback } from './progress.ts';
import { raiseWasmTieringBudget } from './wasm-tiering.mjs';
import type { ModelThread } from './worker-model.ts';

export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

export async function loadManifest(): Promise<Manifest> {
  const path = join(MODELS_DIR, 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`models: expected the built-in model's manifest at ${path} (made by npm run export-model), found none`);
  }
  return mergeManifests(parseManifest(JSON.parse(text), 'models/manifest.json'), PRETRAINED_MODELS);
}

export const modelCacheFolder = (): string =>
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'worldsplat', 'models');

/**
 * The model with this id, ready to run. A download that fails falls back to the built-in model; the
 * reason is passed to `warn` as one line. With a `thread` (started early by the caller), the session
 * is made and run on that thread (worker-model.ts says why).
 */
export async function openModel(
  id: string,
  manifest: Manifest,
  warn: (line: string) => void,
  onProgress?: ProgressCallback,
  thread?: ModelThread,
): Promise<Model> {
  const resolved = await resolveModel(id, {
    manifest,
    fetch: globalThis.fetch,
    cache: new FolderModelCache(modelCacheFolder()),
    readShipped: async (file) => new Uint8Array(await readFile(join(MODELS_DIR, file))),
    onProgress,
  });
  if (resolved.warning) warn(resolved.warning);
  raiseWasmTieringBudget(); // before onnxruntime-web instantiates its WebAssembly, if it runs the model (see wasm-tiering.mjs)
  return thread ? thread.load(resolved.entry, resolved.bytes) : loadModelInNode(resolved.entry, resolved.bytes);
}
