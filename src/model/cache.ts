/**
 * Where verified model files are kept between runs. The store itself is injected: a folder in Node
 * (node/folder-cache.ts), Cache Storage in the browser (browser/cache-storage.ts), memory in tests.
 * Only verified bytes are ever put; bytes read back are verified again before use (a cache can be
 * damaged on disk or filled by an older version).
 */
import type { ModelEntry } from './manifest.ts';

export interface ModelCache {
  /** The bytes stored under `key`, or null when there are none. */
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Removes a damaged entry; a cache that cannot may leave it to be overwritten by the next put. */
  delete?(key: string): Promise<void>;
}

/**
 * Keys name the content, not only the model: a manifest that moves a model to new bytes (a new hash)
 * gets a new key, and the old file is never served for it. Safe as a file name and in a URL path.
 */
export const modelCacheKey = (entry: ModelEntry): string => `${entry.id}-${entry.sha256}`;

export class MemoryModelCache implements ModelCache {
  readonly entries = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | null> {
    return this.entries.get(key) ?? null;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.entries.set(key, bytes.slice());
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
