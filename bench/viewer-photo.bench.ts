/**
 * `npm start` as a new user meets it: the viewer (Vite's dev server, headless Chromium on SwiftShader)
 * opens and makes a world from the shipped sample photo (1024x640, 655k splats) in its generator worker.
 * Per run, a new page: the time from the page load to the world handed to the renderer (window.__worldsplat
 * .ready), the worker's phases (decode, model: opening the depth model, generate: depth + lift), which
 * onnxruntime WebAssembly the worker fetched, and a fixed computation (fixed-anchor.ts, the median of
 * three) timed in the same page just before it loads, which says how busy the machine was. It is short
 * (20-50 ms once optimised) and moves a lot, so the comparison to read is the one with --base: the other
 * tree's runs, alternated with these in the same minutes. The first run of each tree meets an empty browser cache, later ones a warm
 * one, so they are reported apart.
 *
 *   node --import tsx bench/viewer-photo.bench.ts [--runs 3] [--base DIR]      (or: npm run bench -- viewer-photo)
 *
 * --base DIR: another checkout (e.g. a git worktree of an older commit whose node_modules links this one's),
 * on its own Vite server and browser; the runs alternate between it and this tree.
 */
import { loadavg } from 'node:os';
import type { Harness } from '../src/app/e2e/harness.ts';
import { fixedComputationInPage } from './fixed-anchor.ts';
import { type ViewerTree, startViewerTrees } from './viewer-trees.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('runs', '3'));
const baseDir = arg('base', '');

const r0 = (x: number) => Math.round(x);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Run { tree: string; cold: boolean; readyMs: number; timings: Record<string, number>; wasm: string[]; anchorMs: number }

async function oneRun(harness: Harness, tree: string, cold: boolean): Promise<Run> {
  const wasm = new Set<string>();
  const onRequest = (r: { url(): string }) => {
    const file = new URL(r.url()).pathname.split('/').pop()!;
    if (file.endsWith('.wasm')) wasm.add(file);
  };
  harness.context.on('request', onRequest); // the worker's fetches are the context's, not the page's
  const page = await harness.newPage();
  try {
    const anchorMs = median([await page.evaluate(fixedComputationInPage), await page.evaluate(fixedComputationInPage), await page.evaluate(fixedComputationInPage)]);
    const t0 = Date.now();
    await page.goto(`${harness.baseUrl}/`);
    await page.waitForFunction(() => window.__worldsplat !== undefined, null, { timeout: 600_000 });
    await page.evaluate(() => window.__worldsplat!.ready);
    const readyMs = Date.now() - t0;
    const { gen, error } = await page.evaluate(() => ({ gen: window.__worldsplat!.lastGeneration(), error: window.__worldsplat!.lastError() }));
    if (!gen || error) throw new Error(`${tree}: expected a world from the sample photo, found ${error ?? 'none'}`);
    await page.goto('about:blank'); // SwiftShader would spend tens of seconds drawing 655k splats
    return { tree, cold, readyMs, timings: gen.timings, wasm: [...wasm], anchorMs };
  } finally {
    harness.context.off('request', onRequest);
    await page.close();
  }
}

const trees: ViewerTree[] = [];
try {
  await startViewerTrees(baseDir, trees);
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    for (const t of trees) {
      const run = await oneRun(t.harness, t.name, r === 0);
      runs.push(run);
      console.log(`run ${r + 1} ${t.name} (${run.cold ? 'empty browser cache' : 'warm cache'}): page load -> world ${r0(run.readyMs)} ms; worker ${Object.entries(run.timings).map(([k, v]) => `${k} ${r0(v)}`).join(', ')}; ` +
        `WebAssembly ${run.wasm.join(', ') || 'none fetched'}; anchor ${r0(run.anchorMs)} ms; load ${loadavg()[0].toFixed(2)}`);
    }
  }
  console.log('\nmedians: page load -> sample world, ms; the worker\'s model / generate ms; the fixed computation before each run');
  for (const t of trees) {
    for (const cold of [true, false]) {
      const mine = runs.filter((x) => x.tree === t.name && x.cold === cold);
      if (mine.length === 0) continue;
      console.log(`  ${t.name.padEnd(4)} ${cold ? 'first visit' : 'again      '}: ${r0(median(mine.map((x) => x.readyMs)))} ms, model ${r0(median(mine.map((x) => x.timings.model)))} / ` +
        `generate ${r0(median(mine.map((x) => x.timings.generate)))} ms; anchor ${r0(median(mine.map((x) => x.anchorMs)))} ms (${mine.length} runs)`);
    }
  }
} finally {
  for (const t of trees) await t.harness.close();
}
