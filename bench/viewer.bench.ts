/**
 * Viewer frame cost in headless Chromium (WebGL2 on SwiftShader, so only ratios mean anything):
 * our app vs Spark's own minimal page (bench/spark-minimal.html) on the same random splats, in the
 * same browser, in the same run; plus time to first sorted frame and the cost of growing a world.
 *
 * Run: node --import tsx bench/viewer.bench.ts [--sizes 100000,1000000] [--frames 12] [--append 50000] [--size 0.1] [--reps 2]
 *
 *   app          the viewer (index.html) driven through window.__worldsplat
 *   spark        Spark's minimal example with Spark's default settings
 *   spark+ours   the same minimal page with our adapter's image-formation settings
 *                (extended 32-byte splats, 3DGS low-pass, 3-sigma footprints, depth sort)
 * "overhead" = app / spark+ours: what our app adds around the same Spark work.
 */
import type { Page } from 'playwright-core';
import { startHarness } from '../src/app/e2e/harness.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const frames = Number(arg('frames', '12'));
const appendCount = Number(arg('append', '50000'));
const VIEW = { width: 480, height: 270 };
const EXTENT = 2; // random splats fill a 4 m box; the orbit circles it at 6 m
// Splats 2-20 mm (0.1-1 px at 6 m), as in a real million-splat world: SwiftShader shades fragments on
// the CPU, and random 2-20 cm splats would make fill rate, not the app, the whole measurement.
const SIZE = Number(arg('size', '0.1'));
const REPS = Number(arg('reps', '2'));
const STEP = 0.01; // radians per frame: every frame is a new view, so Spark re-sorts every frame

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Run { handOverMs: number; firstFrameMs: number; frameMs: number }

/** Drives the app along the orbit (same path as spark-minimal.ts) through the test hook. */
const appOrbit = (page: Page, count: number) =>
  page.evaluate(([count, step]) => {
    const h = window.__worldsplat!;
    const poseAt = (a: number) => {
      const pitch = -Math.atan2(1, 6);
      const cy = Math.cos(a / 2), sy = Math.sin(a / 2), cp = Math.cos(pitch / 2), sp = Math.sin(pitch / 2);
      return { position: [6 * Math.sin(a), 1, 6 * Math.cos(a)] as [number, number, number], rotation: [cy * cp, cy * sp, sy * cp, -sy * sp] as [number, number, number, number], fovDeg: 60 };
    };
    (window as any).__angle ??= 0;
    const intervals: number[] = [];
    let last = -1;
    return new Promise<number[]>((resolve) => {
      const off = h.onFrame((now) => {
        if (last >= 0) intervals.push(now - last);
        last = now;
        (window as any).__angle += step;
        h.setPose(poseAt((window as any).__angle));
        if (intervals.length >= count) {
          off();
          resolve(intervals);
        }
      });
      h.setPose(poseAt((window as any).__angle));
    });
  }, [count, STEP] as const);

async function runApp(page: Page, baseUrl: string, n: number): Promise<Run> {
  await page.goto(`${baseUrl}/`, { waitUntil: 'commit', timeout: 300_000 });
  await page.waitForFunction(() => window.__worldsplat !== undefined, null, { timeout: 300_000 });
  await page.evaluate(() => window.__worldsplat!.ready);
  await page.evaluate(() => window.__worldsplat!.settled());
  const { handOverMs, firstFrameMs } = await page.evaluate(async ([n, extent, size]) => {
    const h = window.__worldsplat!;
    const t0 = performance.now();
    const { handOverMs } = h.showRandom(n, 1, extent, size);
    await new Promise<void>((resolve) => {
      // The same test as spark-minimal's whenShown: a frame drawn with every splat, nothing left to sort.
      const off = h.onFrame(() => {
        if (h.shownSplatCount() >= n && !h.busy()) {
          off();
          resolve();
        } else h.requestRender();
      });
      h.requestRender();
    });
    return { handOverMs, firstFrameMs: performance.now() - t0 };
  }, [n, EXTENT, SIZE] as const);
  await appOrbit(page, 3); // warm-up: shader compiles, buffers grow
  const frameMs = median(await appOrbit(page, frames));
  return { handOverMs, firstFrameMs, frameMs };
}

async function runMinimal(page: Page, baseUrl: string, n: number, settings: string): Promise<Run> {
  await page.goto(`${baseUrl}/bench/spark-minimal.html?settings=${settings}`, { waitUntil: 'commit', timeout: 300_000 });
  await page.waitForFunction(() => (window as any).__bench !== undefined, null, { timeout: 300_000 });
  const { handOverMs, firstFrameMs } = await page.evaluate(async ([n, extent, size]) => {
    const b = (window as any).__bench;
    const t0 = performance.now();
    const { handOverMs } = b.showRandom(n, 1, extent, size);
    await b.whenShown(n);
    return { handOverMs, firstFrameMs: performance.now() - t0 };
  }, [n, EXTENT, SIZE] as const);
  await page.evaluate(([c, s]) => (window as any).__bench.orbit(c, s), [3, STEP] as const);
  const frameMs = median(await page.evaluate(([c, s]) => (window as any).__bench.orbit(c, s), [frames, STEP] as const));
  return { handOverMs, firstFrameMs, frameMs };
}

/** Appends a chunk to the app's world while it orbits; how long until it shows, worst frame meanwhile. */
async function measureAppend(page: Page, count: number) {
  const baseline = await appOrbit(page, 6);
  const result = await page.evaluate(async ([count, extent, size]) => {
    const h = window.__worldsplat!;
    const target = h.splatCount() + count;
    const intervals: number[] = [];
    let last = performance.now();
    const t0 = performance.now();
    h.appendRandom(count, 99, [0, 0, 0], extent, size);
    const callMs = performance.now() - t0;
    await new Promise<void>((resolve) => {
      const off = h.onFrame((now) => {
        intervals.push(now - last);
        last = now;
        if (h.shownSplatCount() >= target) {
          off();
          resolve();
        } else h.requestRender();
      });
      h.requestRender();
    });
    return { callMs, shownMs: performance.now() - t0, longestFrameMs: Math.max(...intervals), frames: intervals.length };
  }, [count, EXTENT, SIZE] as const);
  return { ...result, baselineFrameMs: median(baseline), baselineLongestMs: Math.max(...baseline) };
}

const harness = await startHarness();
try {
  const page = await harness.newPage();
  await page.setViewportSize(VIEW);
  console.log(`viewer benchmark: ${VIEW.width}x${VIEW.height}, ${frames} frames per run, orbiting (a new view every frame)`);
  const fmt = (v: number) => v.toFixed(0).padStart(7);
  for (const n of sizes) {
    // Interleaved twice, so slow drift of the machine affects every page alike.
    const runs: Record<string, Run[]> = { app: [], spark: [], 'spark+ours': [] };
    for (let rep = 0; rep < REPS; rep++) {
      const record = (k: string, r: Run) => {
        runs[k].push(r);
        console.log(`  (${n} ${k} run ${rep + 1}: hand-over ${r.handOverMs.toFixed(0)} ms, first frame ${r.firstFrameMs.toFixed(0)} ms, frame ${r.frameMs.toFixed(0)} ms)`);
      };
      record('app', await runApp(page, harness.baseUrl, n));
      record('spark+ours', await runMinimal(page, harness.baseUrl, n, 'ours'));
      record('spark', await runMinimal(page, harness.baseUrl, n, 'spark'));
    }
    const med = (k: string, f: keyof Run) => median(runs[k].map((r) => r[f]));
    console.log(`\n${n.toLocaleString('en')} splats          hand-over ms  first frame ms  frame ms`);
    for (const k of Object.keys(runs)) console.log(`  ${k.padEnd(12)}      ${fmt(med(k, 'handOverMs'))}         ${fmt(med(k, 'firstFrameMs'))}   ${fmt(med(k, 'frameMs'))}`);
    console.log(`  overhead (app / spark+ours): frame ${(med('app', 'frameMs') / med('spark+ours', 'frameMs')).toFixed(3)}, first frame ${(med('app', 'firstFrameMs') / med('spark+ours', 'firstFrameMs')).toFixed(3)}`);
    console.log(`  our settings (spark+ours / spark): frame ${(med('spark+ours', 'frameMs') / med('spark', 'frameMs')).toFixed(3)}`);
  }
  if (appendCount > 0) {
    const n = Math.max(...sizes);
    await runApp(page, harness.baseUrl, n);
    const a = await measureAppend(page, appendCount);
    console.log(`\nappend ${appendCount.toLocaleString('en')} splats to a ${n.toLocaleString('en')}-splat world while orbiting:`);
    console.log(`  main thread blocked by the call ${a.callMs.toFixed(0)} ms; new splats shown after ${a.shownMs.toFixed(0)} ms (${a.frames} frames)`);
    console.log(`  longest frame meanwhile ${a.longestFrameMs.toFixed(0)} ms, vs median ${a.baselineFrameMs.toFixed(0)} / longest ${a.baselineLongestMs.toFixed(0)} ms just before (ratio ${(a.longestFrameMs / a.baselineFrameMs).toFixed(2)} to the median)`);
  }
} finally {
  await harness.close();
}
