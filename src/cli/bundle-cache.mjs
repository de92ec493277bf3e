/**
 * Starting the TypeScript CLI without compiling it module by module on every run.
 *
 * Through tsx, every start spends about 1 s on 2 cores before the command does anything: tsx's loader
 * runs on its own thread (Node 20's module hooks) and each of the 80-110 modules of a command is a
 * round trip to it. So the CLI is bundled once with esbuild (a dependency; the compiler tsx itself
 * uses) into a cache folder, and later starts import that bundle as plain JavaScript. The cache
 * remembers every source file that went into it with its size and modification time, and a start
 * that finds any of them changed builds it again (~0.4 s), so an edited source is never run stale.
 * Plain JavaScript on purpose: this runs before any TypeScript can.
 *
 * The bundle is split at the dynamic imports (code splitting), so a command still loads only what
 * it uses, and the heavy packages (sharp, onnxruntime-web) stay external, imported lazily from
 * node_modules as before. `import.meta.url`, `.dirname` and `.filename` are replaced, per source
 * file, by that file's own location, so code that finds files beside itself (models/) still does.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The layout of current.json. (A change to the build options is noticed anyway: this file is an input.) */
const FORMAT = 2;
/** Builds older than this that are no longer current are removed (a running process may still load their chunks). */
const KEEP_OLD_MS = 24 * 60 * 60 * 1000;

/**
 * The file URL of an up-to-date bundle of `entry` (an ES module exporting what `entry` exports),
 * building it if needed; `undefined` when it cannot be built (no esbuild, a compile error, a
 * read-only cache folder): the caller then runs the sources another way.
 *
 * @param {string} entry path of the TypeScript entry module
 * @param {string} cacheDir folder this cache may own
 * @returns {Promise<{ url: string, built: boolean } | undefined>}
 */
export async function bundledEntry(entry, cacheDir) {
  entry = resolve(entry);
  const current = readCurrent(cacheDir, entry);
  const main = current && join(cacheDir, current.dir, current.main);
  if (main && unchanged(current.inputs) && existsSync(main)) return { url: pathToFileURL(main).href, built: false };
  try {
    return await build(entry, cacheDir);
  } catch {
    return undefined;
  }
}

/**
 * A worker thread's TypeScript code (colour-worker.mjs, render-worker.mjs): the cached bundle of
 * `entryUrl`, since plain Node runs no TypeScript, or the module itself where the thread runs under
 * tsx (WORLDSPLAT_TSX=1) or no bundle could be built. `cacheName` is the bundle's own folder under
 * node_modules/.cache/worldsplat (one cache slot per entry).
 *
 * @param {URL} entryUrl
 * @param {string} cacheName
 */
export async function importThreadCode(entryUrl, cacheName) {
  const entry = fileURLToPath(entryUrl);
  if (process.env.WORLDSPLAT_TSX !== '1') {
    const bundle = await bundledEntry(entry, fileURLToPath(new URL(`../../node_modules/.cache/worldsplat/${cacheName}`, import.meta.url)));
    if (bundle) return import(bundle.url);
  }
  return import(pathToFileURL(entry).href);
}

function readCurrent(cacheDir, entry) {
  try {
    const c = JSON.parse(readFileSync(join(cacheDir, 'current.json'), 'utf8'));
    const ok = c.format === FORMAT && c.entry === entry && c.node === process.version && Array.isArray(c.inputs) && typeof c.dir === 'string' && typeof c.main === 'string';
    return ok ? c : undefined;
  } catch {
    return undefined;
  }
}

/** @param {[string, number, number][]} inputs path, size, mtimeMs (-1, -1: the file must not exist) */
function unchanged(inputs) {
  for (const [path, size, mtimeMs] of inputs) {
    const s = statSync(path, { throwIfNoEntry: false });
    if (s ? s.size !== size || s.mtimeMs !== mtimeMs : size !== -1) return false;
  }
  return true;
}

async function build(entry, cacheDir) {
  const esbuild = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  const temp = join(cacheDir, `building-${process.pid}-${started}`);
  const result = await esbuild.build({
    entryPoints: { main: entry },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outdir: temp,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'silent',
    plugins: [ownLocation],
  });
  // Besides the sources: every place on the way up from the entry where esbuild would read a
  // tsconfig.json (one that appears later counts as a change: missing is recorded as size -1), and this
  // file, whose build options shape the bundle.
  const configs = [];
  for (let d = dirname(entry); ; d = dirname(d)) {
    configs.push(join(d, 'tsconfig.json'));
    if (dirname(d) === d) break;
  }
  const inputs = [...Object.keys(result.metafile.inputs).map((p) => resolve(p)), ...configs, fileURLToPath(import.meta.url)].map((path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? [path, s.size, s.mtimeMs] : [path, -1, -1];
  });
  // A source saved while esbuild was reading it may be newer than what went in: use the bundle this
  // once, but do not record it as current.
  const settled = inputs.every(([, , mtimeMs]) => mtimeMs < started - 1000);
  const key = createHash('sha256').update(JSON.stringify([FORMAT, process.version, esbuild.version, entry, inputs])).digest('hex').slice(0, 16);
  const dir = `build-${key}`;
  try {
    renameSync(temp, join(cacheDir, dir));
  } catch {
    // Another process built the same sources at the same time: theirs is as good.
    rmSync(temp, { recursive: true, force: true });
  }
  if (settled) {
    const record = { format: FORMAT, entry, node: process.version, esbuild: esbuild.version, dir, main: 'main.mjs', inputs };
    const tempRecord = join(cacheDir, `current-${process.pid}-${started}.json`);
    writeFileSync(tempRecord, JSON.stringify(record));
    renameSync(tempRecord, join(cacheDir, 'current.json'));
    removeOldBuilds(cacheDir, dir);
  }
  return { url: pathToFileURL(join(cacheDir, dir, 'main.mjs')).href, built: true };
}

function removeOldBuilds(cacheDir, keep) {
  for (const name of readdirSync(cacheDir)) {
    if (name === keep || !(name.startsWith('build-') || name.startsWith('building-'))) continue;
    const path = join(cacheDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove: either way nothing to do
    }
  }
}

/** Each source file's `import.meta.url` / `.dirname` / `.filename` become its own, not the bundle's. */
const ownLocation = {
  name: 'own-location',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const values = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, k) => JSON.stringify(values[k]));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};
