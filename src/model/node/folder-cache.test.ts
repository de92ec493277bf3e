import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FolderModelCache } from './folder-cache.ts';

const folders: string[] = [];
after(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));
async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'worldsplat-model-cache-'));
  folders.push(folder);
  return folder;
}

test('put then get gives the same bytes, from a file named after the key; missing keys are null', async () => {
  const root = await tempFolder();
  const cache = new FolderModelCache(join(root, 'not-yet', 'models')); // created on first put
  assert.equal(await cache.get('m-abc'), null);
  const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 31) & 255);
  await cache.put('m-abc', bytes);
  assert.deepEqual(await cache.get('m-abc'), bytes);
  // Read back with plain fs, not through the cache, and no temporary file left behind.
  assert.deepEqual(new Uint8Array(await readFile(join(root, 'not-yet', 'models', 'm-abc.onnx'))), bytes);
  assert.deepEqual(await readdir(join(root, 'not-yet', 'models')), ['m-abc.onnx']);
});

test('put replaces, delete removes (and deleting twice is fine)', async () => {
  const cache = new FolderModelCache(await tempFolder());
  await cache.put('k', Uint8Array.of(1, 2, 3));
  await cache.put('k', Uint8Array.of(9));
  assert.deepEqual(await cache.get('k'), Uint8Array.of(9));
  await cache.delete('k');
  await cache.delete('k');
  assert.equal(await cache.get('k'), null);
});

test('keys that could leave the folder are refused', async () => {
  const cache = new FolderModelCache(await tempFolder());
  for (const key of ['../x', 'a/b', '.hidden', '']) {
    await assert.rejects(cache.get(key), { message: `model cache: expected a key of letters, digits, '.', '_' or '-', found '${key}'` });
  }
});
