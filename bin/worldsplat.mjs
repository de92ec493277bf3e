#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node
// The first line sets a glibc memory setting for this process (env -S: npx and a global install run
// this file as a program; `node bin/worldsplat.mjs` runs without it, with the same results, slower).
// Page faults cost about 10 microseconds each on the 2-core development machine, and a fresh generate
// took ~79k of them first touching its large arrays (explore's 12-stop turn ~157k). hugetlb=1 has
// glibc ask the kernel for 2 MB pages where it maps memory (transparent huge pages in "madvise" mode,
// the common default): faults 79k -> 51k and 157k -> 25k, generate 1.86 -> 1.35 s, the turn 9.2 ->
// 8.2 s (README, "Memory settings"). Other C libraries ignore the variable.
// The `worldsplat` command. The CLI is TypeScript and `npx worldsplat` works right after
// `npm install`, with no build step to remember: the first run bundles it with esbuild into
// node_modules/.cache/worldsplat (src/cli/bundle-cache.mjs says why: tsx cost about 1 s per start)
// and later runs start from that bundle for as long as no source file changes. Where the bundle
// cannot be made, or with WORLDSPLAT_TSX=1, tsx compiles the sources on the fly as before.
import { fileURLToPath } from 'node:url';
import { startEarlyModelWorker } from '../src/cli/early-model-worker.mjs';

// A generate from a photo starts its model's thread now, before the CLI's code loads (early-model-worker.mjs).
startEarlyModelWorker(process.argv.slice(2));
const { bundledEntry } = await import('../src/cli/bundle-cache.mjs');

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const cacheDir = fileURLToPath(new URL('../node_modules/.cache/worldsplat/cli', import.meta.url));
const bundle = process.env.WORLDSPLAT_TSX === '1' ? undefined : await bundledEntry(entry, cacheDir);
let main;
if (bundle) {
  ({ main } = await import(bundle.url));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
