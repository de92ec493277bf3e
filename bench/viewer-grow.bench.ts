/**
 * The viewer's first expansions of a photo world (issue #5: the first ones paid for cold code), in
 * headless Chromium (SwiftShader WebGL, the generator worker): the sample photo, shrunk, is made into a
 * world (?photo=), and after a wait the camera turns 30, 60 and 90 degrees with a "Fill this view" at
 * each. Per run: when the world first appeared (handed to the renderer, and its first final picture),
 * each Fill's time on the page and in the worker (per stage), and a SHA-256 of the saved .worldsplat's
 * splats and frames after the three Fills (all but the frames' timestamps). With --base DIR (a checkout
 * of other code, e.g. a git worktree whose node_modules links this one's) the same runs alternate
 * between DIR's viewer and this one's, each on its own Vite server, and the hashes must agree.
 *
 * Anchor: a fixed computation (fixed-anchor.ts) run in the page before the first Fill and after each
 * (the median of the four), so ratios compare runs made under different load.
 *
 * Run: node --import tsx bench/viewer-grow.bench.ts [--base /tmp/bX] [--runs 3] [--side 320] [--waits 12000,0]
 *   --side   the photo's long side (the sample is 1024x640: 655k splats, whose SwiftShader frames take
 *            tens of seconds and share the two cores with the worker)
 *   --waits  ms from the world's hand-over to the renderer (where a GPU shows it) to the first Fill: a
 *            user who looks around first, and one who asks at once (the warm-up must not delay that Fill)
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { type Harness, REPO_ROOT } from '../src/app/e2e/harness.ts';
import { serveFile } from '../src/app/e2e/page-helpers.ts';
import { readBundle } from '../src/io/bundle/bundle-reader.ts';
import { fixedComputationInPage } from './fixed-anchor.ts';
import { type ViewerTree, startViewerTrees } from './viewer-trees.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const baseDir = arg('base', '');
const RUNS = Number(arg('runs', '3'));
const SIDE = Number(arg('side', '320'));
const WAITS = arg('waits', '12000,0').split(',').filter(Boolean).map(Number);
const YAWS = [30, 60, 90];
const PHOTO_PATH = '/bench-grow-photo.png';
/** where each run's saved world is kept (to compare them by part where the hashes differ); none: not kept */
const SAVE_DIR = arg('save', '');

interface Fill { pageMs: number; workerMs: number; timings: Record<string, number>; added: number }
interface Run { tree: string; wait: number; generateMs: number; readyAt: number; shownAt: number; fills: Fill[]; hash: string; anchorMs: number }

/** Resolves with the page's time at which the first world was handed over (ready) and first drawn final (settled). */
const watchFirstWorld = `(() => {
  const poll = () => {
    const h = window.__worldsplat;
    if (!h) return void setTimeout(poll, 2);
    h.ready.then(async () => { window.__readyAt = performance.now(); try { await h.settled(300000); window.__shownAt = performance.now(); } catch { window.__shownAt = NaN; } });
  };
  poll();
})();`;

async function oneRun(harness: Harness, tree: string, photo: Uint8Array, wait: number): Promise<Run> {
  const page = await harness.newPage();
  try {
    await page.addInitScript(watchFirstWorld);
    await serveFile(page, PHOTO_PATH, photo);
    await page.goto(`${harness.baseUrl}/?photo=${PHOTO_PATH}`);
    await page.waitForFunction(() => (window as unknown as { __readyAt?: number }).__readyAt !== undefined, null, { timeout: 600_000, polling: 20 });
    const gen = await page.evaluate(() => ({ gen: window.__worldsplat!.lastGeneration(), error: window.__worldsplat!.lastError() }));
    if (!gen.gen || gen.error) throw new Error(`${tree}: expected a world from the photo, found ${gen.error ?? 'none'}`);
    // The wait counts from the hand-over (on a GPU the world shows then; SwiftShader takes seconds more).
    await page.evaluate((wait) => new Promise((r) => setTimeout(r, (window as unknown as { __readyAt: number }).__readyAt + wait - performance.now())), wait);
    const anchors = [await page.evaluate(fixedComputationInPage)];
    const fills: Fill[] = [];
    for (const deg of YAWS) {
      fills.push(await turnAndFill(page, deg));
      anchors.push(await page.evaluate(fixedComputationInPage));
    }
    await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt !== undefined, null, { timeout: 600_000, polling: 50 });
    const first = await page.evaluate(() => {
      const w = window as unknown as { __readyAt: number; __shownAt: number };
      return { readyAt: w.__readyAt, shownAt: w.__shownAt };
    });
    const hash = await savedBundleHash(page, SAVE_DIR && join(SAVE_DIR, `${tree}-wait${wait}-${Date.now()}.worldsplat`));
    return { tree, wait, generateMs: gen.gen.totalMs, readyAt: first.readyAt, shownAt: first.shownAt, fills, hash, anchorMs: median(anchors) };
  } finally {
    await page.close();
  }
}

async function turnAndFill(page: Page, deg: number): Promise<Fill> {
  return page.evaluate(async (deg) => {
    const h = window.__worldsplat!;
    const y = (deg * Math.PI) / 180;
    h.setPose({ position: [0, 0, 0], rotation: [Math.cos(y / 2), 0, Math.sin(y / 2), 0], fovDeg: 60 });
    const t0 = performance.now();
    const added = await h.fillView();
    const pageMs = performance.now() - t0;
    if (added === 0) throw new Error(`expected the Fill at ${deg} degrees to add splats, found none (${h.lastError()})`);
    const g = h.grown().at(-1)!;
    return { pageMs, workerMs: Object.values(g.timings).reduce((a, b) => a + b, 0), timings: g.timings, added };
  }, deg);
}

/** SHA-256 of the world as the panel's "Save .worldsplat" downloads it. */
async function savedBundleHash(page: Page, keepAs: string): Promise<string> {
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.evaluate(() => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('.lil-gui button')].find((b) => b.textContent?.includes('Save .worldsplat'));
    if (!button) throw new Error('expected a "Save .worldsplat" button in the panel, found none');
    button.click();
  });
  const path = await (await download).path();
  if (keepAs) copyFileSync(path, keepAs);
  return worldHash(readBundle(new Uint8Array(readFileSync(path))));
}

/** SHA-256 of a saved world's splats and frames, all but the frames' timestamps (the clock's, per run). */
function worldHash({ splats, frames }: ReturnType<typeof readBundle>): string {
  const hash = createHash('sha256');
  const add = (a: ArrayBufferView) => hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  for (const column of [splats.positions, splats.scales, splats.rotations, splats.opacities, splats.colors, splats.sh]) if (column) add(column);
  for (const { timestamp: _, pose, rgb, depth, confidence, ...rest } of frames) {
    hash.update(JSON.stringify({ ...rest, position: [...pose.position], rotation: [...pose.rotation] }));
    for (const a of [rgb, depth, confidence]) add(a);
  }
  return hash.digest('hex');
}

const r0 = (x: number) => Math.round(x);
const stages = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${r0(v)}`).join(', ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const meta = await sharp(join(REPO_ROOT, 'public/sample-photo.jpg')).metadata();
  const scale = SIDE / Math.max(meta.width!, meta.height!);
  const photo = new Uint8Array(await sharp(join(REPO_ROOT, 'public/sample-photo.jpg'))
    .resize(Math.round(meta.width! * scale), Math.round(meta.height! * scale), { fit: 'fill' }).png().toBuffer());
  const trees: ViewerTree[] = [];
  try {
    await startViewerTrees(baseDir, trees);
    console.log(`viewer-grow: sample photo at ${SIDE} long, Fills at ${YAWS.join(', ')} degrees, ${RUNS} runs per tree and wait, trees ${trees.map((t) => t.name).join(' / ')} alternated; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const runs: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      for (const wait of WAITS) {
        // Alternate which tree goes first, so neither always runs right after the other's worker.
        for (const t of r % 2 ? [...trees].reverse() : trees) {
          const run = await oneRun(t.harness, t.name, photo, wait);
          runs.push(run);
          console.log(
            `run ${r + 1} ${run.tree} wait ${wait} ms: world generated ${r0(run.generateMs)} ms, handed over at ${r0(run.readyAt)} ms, first final picture ${r0(run.shownAt - run.readyAt)} ms later; anchor ${r0(run.anchorMs)} ms; load ${loadavg()[0].toFixed(2)}\n` +
              run.fills.map((f, i) => `  Fill ${i + 1}: page ${r0(f.pageMs)} ms, worker ${r0(f.workerMs)} ms (${(f.workerMs / run.anchorMs).toFixed(2)}x anchor) [${stages(f.timings)}], +${f.added}`).join('\n') +
              `\n  saved world sha256 ${run.hash.slice(0, 16)}`,
          );
        }
      }
    }
    console.log('\nmedians (worker ms / page ms, and worker / anchor):');
    for (const wait of WAITS) {
      for (const t of trees) {
        const mine = runs.filter((x) => x.tree === t.name && x.wait === wait);
        const fill = (i: number) => `Fill ${i + 1} ${r0(median(mine.map((x) => x.fills[i].workerMs)))} / ${r0(median(mine.map((x) => x.fills[i].pageMs)))} ms (${median(mine.map((x) => x.fills[i].workerMs / x.anchorMs)).toFixed(2)}x)`;
        console.log(`  ${t.name.padEnd(4)} wait ${String(wait).padStart(5)}: ${YAWS.map((_, i) => fill(i)).join('; ')}; generated in ${r0(median(mine.map((x) => x.generateMs)))} ms, first final picture ${r0(median(mine.map((x) => x.shownAt - x.readyAt).filter(Number.isFinite)))} ms after the hand-over; anchor ${r0(median(mine.map((x) => x.anchorMs)))} ms`);
      }
    }
    const hashes = new Set(runs.map((x) => x.hash));
    console.log(hashes.size === 1 ? `saved worlds: all ${runs.length} identical (sha256 ${[...hashes][0].slice(0, 16)})` : `saved worlds DIFFER: ${[...hashes].map((h) => h.slice(0, 16)).join(', ')}`);
    if (hashes.size !== 1) process.exitCode = 1;
  } finally {
    for (const t of trees) await t.harness.close();
  }
}

await main();
