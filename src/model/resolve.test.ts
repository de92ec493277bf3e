/**
 * resolveModel and downloadModel against a fake fetch that serves the fixture bytes, a wrong file, a
 * truncated or broken body, an HTTP error or no network at all; an in-memory cache.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { MemoryModelCache, type ModelCache, modelCacheKey } from './cache.ts';
import type { FetchFn } from './download.ts';
import { fixtureManifest, fixtureModel, readFixture } from './fixtures/fixtures.ts';
import { type Manifest, type ModelEntry, findModel } from './manifest.ts';
import { resolveModel } from './resolve.ts';
import { sha256Hex } from './verify.ts';

const REMOTE = 'depth-anything-like';
const served = fixtureModel(REMOTE).bytes;

/** A body delivered in chunks of 1000 bytes, optionally failing after `failAfter` bytes. */
function streamOf(bytes: Uint8Array, failAfter = Infinity): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= failAfter) return controller.error(new TypeError('terminated'));
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 1000));
      offset += 1000;
    },
  });
}

function fakeFetch(respond: (url: string) => Response | Promise<Response>): FetchFn & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string, init?: { signal?: AbortSignal }) => {
    calls.push(url);
    init?.signal?.throwIfAborted();
    return respond(url);
  };
  return Object.assign(fetch, { calls });
}

function setup(respond: (url: string) => Response | Promise<Response>, manifest: Manifest = fixtureManifest(), cache: ModelCache = new MemoryModelCache()) {
  const fetch = fakeFetch(respond);
  const progress: number[] = [];
  const options = { manifest, fetch, cache, readShipped: readFixture, onProgress: (f: number) => progress.push(f) };
  return { fetch, cache, progress, options };
}

test('Web Crypto SHA-256 agrees with node:crypto', async () => {
  assert.equal(await sha256Hex(served), createHash('sha256').update(served).digest('hex'));
  assert.equal(await sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('first use downloads with progress, verifies and caches; the second comes from the cache without a fetch', async () => {
  const { fetch, cache, progress, options } = setup(() => new Response(streamOf(served)));
  const first = await resolveModel(REMOTE, options);
  assert.equal(first.source, 'download');
  assert.equal(first.warning, undefined);
  assert.deepEqual(first.bytes, served);
  assert.equal(fetch.calls[0], findModel(options.manifest, REMOTE).url);
  assert.ok(progress.length > 2, 'progress reported along the way');
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
  assert.equal(progress.at(-1), 1);
  assert.deepEqual(await cache.get(modelCacheKey(first.entry)), served);

  const second = await resolveModel(REMOTE, options);
  assert.equal(second.source, 'cache');
  assert.deepEqual(second.bytes, served);
  assert.equal(fetch.calls.length, 1);
});

/** Every failure must fall back to the built-in model, say why in one line, and cache nothing. */
async function expectFallback(respond: (url: string) => Response | Promise<Response>, reason: RegExp, manifest?: Manifest) {
  const { cache, options } = setup(respond, manifest);
  const result = await resolveModel(REMOTE, options);
  assert.equal(result.source, 'builtin');
  assert.equal(result.entry.id, 'builtin');
  assert.deepEqual(result.bytes, fixtureModel('builtin').bytes);
  assert.match(result.warning ?? '', reason);
  assert.match(result.warning ?? '', /; using the built-in model$/);
  assert.ok(!result.warning!.includes('\n'));
  assert.equal((cache as MemoryModelCache).entries.size, 0, 'nothing cached');
}

test('offline: the network error becomes one line, and the built-in model serves', async () => {
  await expectFallback(() => {
    throw Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND models.example.invalid') });
  }, /^depth-anything-like: download failed \(offline\?\): fetch failed \(getaddrinfo ENOTFOUND models\.example\.invalid\)/);
});

test('HTTP error', async () => {
  await expectFallback(() => new Response('gone', { status: 404, statusText: 'Not Found' }), /^depth-anything-like: download failed: HTTP 404 Not Found;/);
});

test('a truncated body is a size mismatch', async () => {
  await expectFallback(() => new Response(streamOf(served.subarray(0, 3000))), new RegExp(`^depth-anything-like: expected ${served.length} bytes, found 3000 in the download;`));
});

test('a body longer than the manifest says is refused as soon as it overflows', async () => {
  const longer = new Uint8Array(served.length + 5000);
  longer.set(served);
  await expectFallback(() => new Response(streamOf(longer)), /^depth-anything-like: expected \d+ bytes, found more in the download;/);
});

test('a connection lost mid-body', async () => {
  await expectFallback(() => new Response(streamOf(served, 2000)), /^depth-anything-like: download failed while receiving \(connection lost\?\): terminated;/);
});

test('the right size but the wrong bytes is a checksum mismatch, and is not cached', async () => {
  const wrong = served.slice();
  wrong[100] ^= 0xff;
  const expected = findModel(fixtureManifest(), REMOTE).sha256;
  await expectFallback(() => new Response(streamOf(wrong)), new RegExp(`^depth-anything-like: expected SHA-256 ${expected}, found [0-9a-f]{64} in the download;`));
});

test('a manifest hash that does not match the served file also falls back (the pin is what is trusted)', async () => {
  const manifest = fixtureManifest();
  const entry = findModel(manifest, REMOTE) as ModelEntry & { sha256: string };
  entry.sha256 = '0'.repeat(64);
  await expectFallback(() => new Response(streamOf(served)), /expected SHA-256 0{64}, found/, manifest);
});

test('a damaged cache entry is dropped and downloaded again', async () => {
  const cache = new MemoryModelCache();
  const entry = findModel(fixtureManifest(), REMOTE);
  await cache.put(modelCacheKey(entry), served.subarray(0, 10));
  const { fetch, options } = setup(() => new Response(streamOf(served)), undefined, cache);
  const result = await resolveModel(REMOTE, options);
  assert.equal(result.source, 'download');
  assert.match(result.warning ?? '', /^depth-anything-like: expected \d+ bytes, found 10 in the cache; downloading it again$/);
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(await cache.get(modelCacheKey(entry)), served);
});

test('a cache that cannot store still returns the verified download, with a warning', async () => {
  const full: ModelCache = { get: async () => null, put: async () => Promise.reject(new Error('QuotaExceededError')) };
  const { options } = setup(() => new Response(streamOf(served)), undefined, full);
  const result = await resolveModel(REMOTE, options);
  assert.equal(result.source, 'download');
  assert.match(result.warning ?? '', /downloaded and verified but not cached \(QuotaExceededError\)/);
});

test('aborting is not a failure to fall back from: the abort reason comes through', async () => {
  const controller = new AbortController();
  const { options } = setup(() => new Response(streamOf(served)));
  controller.abort();
  await assert.rejects(resolveModel(REMOTE, { ...options, signal: controller.signal }), { name: 'AbortError' });
});

test('shipped models are read and verified; a stale shipped file is an error, not a silent load', async () => {
  const { options } = setup(() => Promise.reject(new Error('no fetch expected')));
  const builtin = await resolveModel('builtin', options);
  assert.equal(builtin.source, 'builtin');
  assert.deepEqual(builtin.bytes, fixtureModel('builtin').bytes);

  const manifest = fixtureManifest();
  (findModel(manifest, 'builtin') as { bytes: number }).bytes += 1;
  await assert.rejects(resolveModel('builtin', { ...options, manifest }), {
    message: `builtin: expected ${builtin.bytes.length + 1} bytes, found ${builtin.bytes.length} in the shipped file builtin-like.onnx (is the manifest up to date?)`,
  });
  await assert.rejects(resolveModel('nope', options), { message: "manifest: no model 'nope' (known: 'builtin', 'depth-anything-like', 'half-res-fixed')" });
});

test('when the built-in model is missing too, the error says both', async () => {
  const { options } = setup(() => new Response('', { status: 500, statusText: 'Internal Server Error' }));
  const readShipped = async () => Promise.reject(new Error('ENOENT: no such file'));
  await assert.rejects(resolveModel(REMOTE, { ...options, readShipped }), {
    message: 'depth-anything-like: download failed: HTTP 500 Internal Server Error; and the built-in model could not be used either: builtin: could not read the shipped file builtin-like.onnx: ENOENT: no such file',
  });
});
