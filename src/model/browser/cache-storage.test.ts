/**
 * Node 20 has no Cache Storage, so this runs against a minimal stand-in with the same semantics for the
 * calls used (open, match, put, delete; keys compared by URL). It checks the mapping of keys to URLs and
 * of bytes to Responses, not the browser's implementation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheStorageModelCache } from './cache-storage.ts';

function fakeCacheStorage() {
  const caches = new Map<string, Map<string, Response>>();
  const storage = {
    caches,
    async open(name: string) {
      if (!caches.has(name)) caches.set(name, new Map());
      const entries = caches.get(name)!;
      return {
        async match(url: string) {
          return entries.get(url)?.clone();
        },
        async put(url: string, response: Response) {
          assert.match(url, /^https:\/\//, 'Cache Storage keys must be http(s) URLs');
          entries.set(url, response);
        },
        async delete(url: string) {
          return entries.delete(url);
        },
      };
    },
  };
  return storage;
}

test('bytes go in as a Response under a URL of their own and come back unchanged', async () => {
  const storage = fakeCacheStorage();
  const cache = new CacheStorageModelCache('models-test', storage as unknown as CacheStorage);
  assert.equal(await cache.get('m-1'), null);
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
  await cache.put('m-1', bytes);
  assert.deepEqual([...storage.caches.get('models-test')!.keys()], ['https://worldsplat.invalid/models/m-1']);
  assert.deepEqual(await cache.get('m-1'), bytes);
  await cache.delete('m-1');
  assert.equal(await cache.get('m-1'), null);
});

test('without Cache Storage (insecure page, Node) the constructor says so', () => {
  assert.throws(() => new CacheStorageModelCache('x', undefined), { message: 'model cache: Cache Storage is not available here (it needs https or localhost)' });
});
