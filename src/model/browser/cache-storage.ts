/**
 * BROWSER. A ModelCache in the Cache Storage API (window.caches, also in workers), which holds large
 * binary responses, survives reloads, and is cleared with the site's data. Entries are stored under URLs
 * of our own making (https://worldsplat.invalid/models/<key>): Cache Storage keys must be http(s)
 * requests, and our own URL keeps an entry independent of where its file was downloaded from.
 *
 * Cache Storage only exists in secure contexts (https, localhost); elsewhere `caches` is undefined and
 * the constructor says so, and the app can fall back to MemoryModelCache.
 */
import type { ModelCache } from '../cache.ts';

const KEY_ORIGIN = 'https://worldsplat.invalid/models/';

export class CacheStorageModelCache implements ModelCache {
  private readonly storage: CacheStorage;

  constructor(
    readonly cacheName = 'worldsplat-models',
    storage: CacheStorage | undefined = (globalThis as { caches?: CacheStorage }).caches,
  ) {
    if (!storage) throw new Error('model cache: Cache Storage is not available here (it needs https or localhost)');
    this.storage = storage;
  }

  private urlOf(key: string): string {
    return KEY_ORIGIN + encodeURIComponent(key);
  }

  async get(key: string): Promise<Uint8Array | null> {
    const cache = await this.storage.open(this.cacheName);
    const response = await cache.match(this.urlOf(key));
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const cache = await this.storage.open(this.cacheName);
    const body = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
    await cache.put(this.urlOf(key), new Response(body, { headers: { 'content-type': 'application/octet-stream' } }));
  }

  async delete(key: string): Promise<void> {
    const cache = await this.storage.open(this.cacheName);
    await cache.delete(this.urlOf(key));
  }
}
