/**
 * The CLI's start-up bundle (bundle-cache.mjs) on a small TypeScript project made here: reused while
 * the sources are unchanged, rebuilt as soon as one changes (never run stale), each file keeps its
 * own import.meta location, dynamic imports still work, and a compile error means "no bundle".
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bundledEntry } from './bundle-cache.mjs';

const dir = mkdtempSync(join(tmpdir(), 'worldsplat-bundle-'));
const src = join(dir, 'src');
const cache = join(dir, 'cache');

/** Writes a source file with a modification time in the past (a file saved in the last second is not cached). */
function source(name: string, text: string, secondsAgo: number) {
  const path = join(src, name);
  writeFileSync(path, text);
  const t = Date.now() / 1000 - secondsAgo;
  utimesSync(path, t, t);
}

interface Entry {
  value(): number;
  where: string;
  bWhere: string;
  lazy(): Promise<string>;
}

test('the bundle is built once, reused while nothing changes, rebuilt when a source changes', async () => {
  mkdirSync(src);
  source('a.ts', "import { b, bWhere } from './b.ts';\nexport const value = (): number => b;\nexport const where: string = import.meta.url;\n" +
    "export { bWhere };\nexport const lazy = (): Promise<string> => import('./c.ts').then((m) => m.c);\n", 60);
  source('b.ts', 'export const b: number = 1;\nexport const bWhere: string = import.meta.dirname;\n', 60);
  source('c.ts', "export const c: string = 'loaded later';\n", 60);
  const entry = join(src, 'a.ts');

  const first = await bundledEntry(entry, cache);
  assert.ok(first, 'expected a bundle');
  assert.equal(first.built, true);
  const a = (await import(first.url)) as Entry;
  assert.equal(a.value(), 1);
  assert.equal(a.where, pathToFileURL(entry).href, "import.meta.url is the source file's, not the bundle's");
  assert.equal(a.bWhere, src);
  assert.equal(await a.lazy(), 'loaded later');

  const again = await bundledEntry(entry, cache);
  assert.deepEqual(again, { url: first.url, built: false });

  // Same size, other content: the modification time alone must be enough to notice.
  source('b.ts', 'export const b: number = 2;\nexport const bWhere: string = import.meta.dirname;\n', 30);
  const edited = await bundledEntry(entry, cache);
  assert.ok(edited);
  assert.equal(edited.built, true);
  assert.notEqual(edited.url, first.url);
  assert.equal(((await import(edited.url)) as Entry).value(), 2);
  assert.deepEqual(await bundledEntry(entry, cache), { url: edited.url, built: false });
  // The first build is kept for a while: a process started from it may still load its chunks.
  assert.equal(readdirSync(cache).filter((n) => n.startsWith('build-')).length, 2);

  // A tsconfig.json on the way up from the entry counts as an input too (esbuild reads it).
  writeFileSync(join(src, 'tsconfig.json'), '{ "compilerOptions": { "useDefineForClassFields": true } }\n');
  const configured = await bundledEntry(entry, cache);
  assert.equal(configured?.built, true);
  assert.equal((await bundledEntry(entry, cache))?.built, true, 'a tsconfig.json saved in the last second is not trusted yet');
  const t = Date.now() / 1000 - 20;
  utimesSync(join(src, 'tsconfig.json'), t, t);
  assert.equal((await bundledEntry(entry, cache))?.built, true);
  const settled = await bundledEntry(entry, cache);
  assert.equal(settled?.built, false);

  // A cache emptied by hand is noticed, not imported from.
  rmSync(join(cache, readdirSync(cache).find((n) => settled!.url.includes(n))!), { recursive: true });
  const rebuilt = await bundledEntry(entry, cache);
  assert.equal(rebuilt?.built, true);
  assert.equal(((await import(rebuilt.url + '?again')) as Entry).value(), 2);
});

test('a source that does not compile gives no bundle (the CLI then runs the sources through tsx)', async () => {
  source('b.ts', 'export const b: number = ;\n', 10);
  assert.equal(await bundledEntry(join(src, 'a.ts'), cache), undefined);
});
