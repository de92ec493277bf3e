/**
 * Viewer frame cost in headless Chromium (WebGL2 on SwiftShader, so only ratios from one run mean
 * anything): our app vs Spark's own minimal page (bench/spark-minimal.html) on the same random
 * splats, in the same browser, in the same run; plus time to first frame and the cost of growing a world.
 *
 * Run: node --import tsx bench/viewer.bench.ts [--sizes 100000] [--frames 6] [--reps 2] [--size 0.1]
 *                                              [--pages app,demand,loop] [--append 50000] [--append-world 1000000]
 *
 * What a "frame" is, identically on every page: the camera moves to the next point of an orbit, then
 * the page's own frame loop runs as it would for a user; the frame is done when a frame has been drawn
 * with Spark's sort for that camera applied (drawn after the move with Spark neither sorting nor
 * holding a newer view to sort) and its pixels are out of the GPU (a 1-pixel read in the task that drew
 * it). Time to first frame is the same, from handing the splats over until every one of them is in such
 * a frame.
 *
 *   app      the viewer (index.html?sample=none) driven through window.__worldsplat: its panel, stats,
 *            URL hash and controls run as for a user; it draws when the camera moved or a sort finished
 *   demand   Spark's minimal page with our adapter's settings, drawing only when the camera moved or
 *            Spark reported a finished sort: the app's render policy with nothing of the app around it
 *   loop     the same page drawing every animation frame, as Spark's example does
 *   spark    (optional) Spark's example as shipped: default settings, drawing every animation frame
 * "overhead" = app / demand.
 */
import type { Page } from 'playwright-core';
import { startHarness } from '../src/app/e2e/harness.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const sizes = arg('sizes', '100000').split(',').filter(Boolean).map(Number);
const frames = Number(arg('frames', '6'));
const pages = arg('pages', 'app,demand,loop').split(',');
const appendCount = Number(arg('append', '50000'));
const appendWorld = Number(arg('append-world', '1000000'));
const VIEW = { width: 480, height: 270 };
const EXTENT = 2; // random splats fill a 4 m box; the orbit circles it at 6 m
// Splats 2-20 mm (0.1-1 px at 6 m), as in a real million-splat world: SwiftShader shades fragments on
// the CPU, and random 2-20 cm splats would make fill rate, not the app, the whole measurement.
const SIZE = Number(arg('size', '0.1'));
const REPS = Number(arg('reps', '2'));
const STEP = 0.01; // radians per frame: every frame is a new view, so every frame needs a new sort
const PRESENT_FRAMES = 3; // orbit frames traced to count presented frames
const URLS: Record<string, string> = {
  // Empty at first, as the minimal page is: the sample world (made from the sample photo at start-up)
  // would cost the app's first frame one more draw of the outgoing world that the minimal page does not pay.
  app: '/?sample=none',
  demand: '/bench/spark-minimal.html?settings=ours&loop=demand',
  loop: '/bench/spark-minimal.html?settings=ours',
  spark: '/bench/spark-minimal.html',
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The surface both pages offer (the minimal page natively, the app built over its test hook). */
interface BenchApi {
  showRandom(count: number, seed: number, extent: number, sizeFactor: number): { handOverMs: number };
  shownSplatCount(): number;
  busy(): boolean;
  canvas: HTMLCanvasElement;
  setAngle(a: number): void;
  onFrame(callback: () => void): () => void;
  requestRender(): void;
  renderNow(): void;
}
interface SortedFrame { ms: number; renders: number }
interface Run { handOverMs: number; firstFrameMs: number; firstFrameRenders: number; frameMs: number; rendersPerFrame: number; bareRenderMs: number; presentedPerFrame: number }

async function openPage(page: Page, baseUrl: string, kind: string): Promise<void> {
  await page.goto(baseUrl + URLS[kind], { waitUntil: 'commit', timeout: 300_000 });
  if (kind === 'app') {
    await page.waitForFunction(() => window.__worldsplat !== undefined, null, { timeout: 300_000 });
    await page.evaluate(() => window.__worldsplat!.ready);
    await page.evaluate(() => window.__worldsplat!.settled(300_000));
    await page.evaluate(() => {
      const h = window.__worldsplat!;
      const poseAt = (a: number) => {
        // The minimal page's camera.lookAt(origin) from (6 sin a, 1, 6 cos a), as yaw then pitch.
        const pitch = -Math.atan2(1, 6);
        const cy = Math.cos(a / 2), sy = Math.sin(a / 2), cp = Math.cos(pitch / 2), sp = Math.sin(pitch / 2);
        return { position: [6 * Math.sin(a), 1, 6 * Math.cos(a)] as [number, number, number], rotation: [cy * cp, cy * sp, sy * cp, -sy * sp] as [number, number, number, number], fovDeg: 60 };
      };
      const api: BenchApi = {
        showRandom: (n, seed, extent, size) => h.showRandom(n, seed, extent, size),
        shownSplatCount: () => h.shownSplatCount(),
        busy: () => h.busy(),
        canvas: document.querySelector('#viewer canvas') as HTMLCanvasElement,
        setAngle: (a) => h.setPose(poseAt(a)),
        onFrame: (cb) => h.onFrame(() => cb()),
        requestRender: () => h.requestRender(),
        renderNow: () => h.renderNow(),
      };
      (window as any).__api = api;
    });
  } else {
    await page.waitForFunction(() => (window as any).__bench !== undefined, null, { timeout: 300_000 });
    await page.evaluate(() => ((window as any).__api = (window as any).__bench));
  }
  // The measuring routines, one copy for every page.
  await page.evaluate(() => {
    const api = (window as any).__api as BenchApi;
    const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    /** Copies a region of the WebGL canvas out (must run in the task that drew it); waits for the GPU. */
    const read = (x: number, y: number, w: number, h: number) => {
      probe.canvas.width = w;
      probe.canvas.height = h;
      probe.drawImage(api.canvas, x, y, w, h, 0, 0, w, h);
      return probe.getImageData(0, 0, w, h).data;
    };
    /** After `change()`, waits for a drawn frame with the sort for the new state applied (and `ok()`). */
    const sortedFrame = (change: () => void, ok: () => boolean = () => true) =>
      new Promise<SortedFrame>((resolve) => {
        let renders = 0;
        const t0 = performance.now();
        const off = api.onFrame(() => {
          renders++;
          if (!api.busy() && ok()) {
            off();
            read(0, 0, 1, 1);
            resolve({ ms: performance.now() - t0, renders });
          }
        });
        change();
      });
    let angle = 0;
    (window as any).__measure = {
      read,
      sortedFrame,
      async firstFrame(n: number, extent: number, size: number) {
        let handOverMs = 0;
        const f = await sortedFrame(() => ({ handOverMs } = api.showRandom(n, 1, extent, size)), () => api.shownSplatCount() >= n);
        return { handOverMs, firstFrameMs: f.ms, firstFrameRenders: f.renders };
      },
      async orbit(count: number, step: number) {
        const out: SortedFrame[] = [];
        for (let i = 0; i < count; i++) out.push(await sortedFrame(() => api.setAngle((angle += step))));
        return out;
      },
      /** One bare render of the unchanged view, until its pixels are out of the GPU. */
      bareRender() {
        const t0 = performance.now();
        api.renderNow();
        read(0, 0, 1, 1);
        return performance.now() - t0;
      },
    };
  });
}

async function run(page: Page, baseUrl: string, kind: string, n: number, frames: number): Promise<Run> {
  await openPage(page, baseUrl, kind);
  const { handOverMs, firstFrameMs, firstFrameRenders } = await page.evaluate(([n, e, s]) => (window as any).__measure.firstFrame(n, e, s), [n, EXTENT, SIZE] as const);
  if (frames === 0) return { handOverMs, firstFrameMs, firstFrameRenders, frameMs: NaN, rendersPerFrame: NaN, bareRenderMs: NaN, presentedPerFrame: NaN };
  await page.evaluate(([s]) => (window as any).__measure.orbit(2, s), [STEP] as const); // warm-up: shaders, buffers
  const fs: SortedFrame[] = await page.evaluate(([c, s]) => (window as any).__measure.orbit(c, s), [frames, STEP] as const);
  const bare: number[] = [];
  for (let i = 0; i < 3; i++) bare.push(await page.evaluate(() => (window as any).__measure.bareRender()));
  const presentedPerFrame = await presentedFrames(page, PRESENT_FRAMES);
  return { handOverMs, firstFrameMs, firstFrameRenders, frameMs: median(fs.map((f) => f.ms)), rendersPerFrame: median(fs.map((f) => f.renders)), bareRenderMs: median(bare), presentedPerFrame };
}

/**
 * Frames the browser presented (composited and swapped, counted in a Chrome trace of the GPU process)
 * per camera move, over `count` more orbit frames. Every DOM or URL change costs one more presented
 * frame of the whole page, which on SwiftShader is as dear as compositing the canvas; unlike the
 * timings this count does not depend on how loaded the machine is.
 */
async function presentedFrames(page: Page, count: number): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  let swaps = 0;
  cdp.on('Tracing.dataCollected', (e: { value: Array<{ name?: string; ph?: string }> }) => {
    for (const ev of e.value) if (ev.name === 'SkiaOutputSurfaceImplOnGpu::SwapBuffers' && (ev.ph === 'X' || ev.ph === 'B')) swaps++;
  });
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['gpu', 'viz'] } } as never);
  await page.evaluate(([c, s]) => (window as any).__measure.orbit(c, s), [count, STEP] as const);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return swaps / count;
}

/**
 * Appends a bright chunk in front of the app's camera while it draws continuously: how long the call
 * blocks, when the chunk first shows in a drawn frame (pixels read back), and the longest frame
 * interval, animation-frame gap and long task meanwhile, against the same figures just before.
 */
async function measureAppend(page: Page, count: number) {
  await page.evaluate(() => (window as any).__measure.sortedFrame(() => (window as any).__api.setAngle(0)));
  return page.evaluate(async ([count, baselineFrames]) => {
    const h = window.__worldsplat!;
    const api = (window as any).__api as BenchApi;
    const m = (window as any).__measure;
    // Camera at (0, 1, 6) looking at the origin (angle 0): the chunk sits 3 m ahead, mid-picture.
    const d = Math.hypot(1, 6), ahead = 3;
    const centre: [number, number, number] = [0, 1 - ahead / d, 6 - (6 * ahead) / d];
    const R = 6; // probe: the middle 12x12 px; the 0.3 m chunk covers about 23 px there
    const cx = Math.floor(api.canvas.width / 2), cy = Math.floor(api.canvas.height / 2);
    const bright = () => {
      const px = m.read(cx - R, cy - R, 2 * R, 2 * R);
      let k = 0;
      for (let i = 0; i < px.length; i += 4) if (Math.min(px[i], px[i + 1], px[i + 2]) >= 200) k++;
      return k / (px.length / 4);
    };
    const rafGaps: Array<[number, number]> = [];
    let lastRaf = performance.now(), monitoring = true;
    const raf = (now: number) => {
      rafGaps.push([now, now - lastRaf]);
      lastRaf = now;
      if (monitoring) requestAnimationFrame(raf);
    };
    requestAnimationFrame(raf);
    const longTasks: Array<[number, number]> = [];
    let observer: PerformanceObserver | null = null;
    if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
      observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push([e.startTime, e.duration])));
      observer.observe({ type: 'longtask' });
    }
    // Draw continuously (as while the user moves), reading the probe after every frame.
    const frameLog: Array<{ t: number; bright: number }> = [];
    const off = api.onFrame(() => {
      frameLog.push({ t: performance.now(), bright: bright() });
      api.requestRender();
    });
    api.requestRender();
    const waitFrames = (k: number) => new Promise<void>((res) => {
      const start = frameLog.length;
      const check = () => (frameLog.length >= start + k ? res() : setTimeout(check, 5));
      check();
    });
    await waitFrames(1);
    const tBase = frameLog[frameLog.length - 1].t;
    await waitFrames(baselineFrames);
    const t0 = performance.now();
    h.appendRandom(count, 99, centre, 0.15, 1, [1, 1, 1]);
    const callMs = performance.now() - t0;
    const before = frameLog.length;
    await new Promise<void>((res) => {
      const check = () => (frameLog.slice(before).some((f) => f.bright >= 0.8) ? res() : setTimeout(check, 5));
      check();
    });
    const shown = frameLog.slice(before).find((f) => f.bright >= 0.8)!;
    off();
    monitoring = false;
    observer?.disconnect();
    const intervals = (from: number, to: number) => {
      const out: number[] = [];
      for (let i = 1; i < frameLog.length; i++) if (frameLog[i].t > from && frameLog[i].t <= to) out.push(frameLog[i].t - frameLog[i - 1].t);
      return out;
    };
    // "during" starts with the interval that holds the append call (it ends with the first frame after it).
    const base = intervals(tBase, t0), during = intervals(t0, shown.t);
    const gaps = (from: number, to: number) => rafGaps.filter(([t]) => t > from && t <= to).map(([, g]) => g);
    const tasks = (from: number, to: number) => longTasks.filter(([s]) => s >= from && s <= to).map(([, dd]) => dd);
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
    const med = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length ? s[Math.floor(s.length / 2)] : 0;
    };
    return {
      callMs, shownMs: shown.t - t0, framesUntilShown: frameLog.slice(before).indexOf(shown) + 1,
      brightBefore: max(frameLog.slice(0, before).map((f) => f.bright)), brightShown: shown.bright,
      baseFrameMedian: med(base), baseFrameMax: max(base), duringFrameMax: max(during),
      baseRafMax: max(gaps(tBase, t0)), duringRafMax: max(gaps(t0, shown.t)),
      longTaskSupported: observer !== null, baseLongTaskMax: max(tasks(tBase, t0)), duringLongTaskMax: max(tasks(t0, shown.t)),
      splats: h.splatCount(), shownSplats: h.shownSplatCount(),
    };
  }, [count, 3] as const);
}

const harness = await startHarness();
try {
  const page = await harness.newPage();
  await page.setViewportSize(VIEW);
  console.log(`viewer benchmark: ${VIEW.width}x${VIEW.height}, ${frames} orbit frames per run (a new view each, waited out until drawn sorted), ${REPS} interleaved reps`);
  const fmt = (v: number) => v.toFixed(0).padStart(8);
  for (const n of sizes) {
    const runs: Record<string, Run[]> = Object.fromEntries(pages.map((k) => [k, []]));
    for (let rep = 0; rep < REPS; rep++) {
      for (const k of pages) {
        const r = await run(page, harness.baseUrl, k, n, frames);
        runs[k].push(r);
        console.log(`  (${n} ${k} rep ${rep + 1}: hand-over ${r.handOverMs.toFixed(0)} ms, first frame ${r.firstFrameMs.toFixed(0)} ms in ${r.firstFrameRenders} renders, frame ${r.frameMs.toFixed(0)} ms, ${r.rendersPerFrame} renders/frame, bare render ${r.bareRenderMs.toFixed(0)} ms, ${r.presentedPerFrame.toFixed(2)} presented frames/frame)`);
      }
    }
    const med = (k: string, f: keyof Run) => median(runs[k].map((r) => r[f]));
    console.log(`\n${n.toLocaleString('en')} splats   hand-over ms  first frame ms  frame ms  renders/frame  bare render ms  presented/frame`);
    for (const k of pages) console.log(`  ${k.padEnd(8)}   ${fmt(med(k, 'handOverMs'))}      ${fmt(med(k, 'firstFrameMs'))}  ${fmt(med(k, 'frameMs'))}  ${med(k, 'rendersPerFrame').toFixed(1).padStart(8)}       ${fmt(med(k, 'bareRenderMs'))}  ${med(k, 'presentedPerFrame').toFixed(2).padStart(8)}`);
    // Sanity: a sorted frame takes at least one full render (in practice two: the move, then the sorted one).
    for (const k of pages) {
      const ok = med(k, 'frameMs') >= med(k, 'bareRenderMs') && med(k, 'rendersPerFrame') >= 2;
      console.log(`  check ${k}: frame >= bare render and >= 2 renders per frame: ${ok ? 'ok' : 'FAILED'}`);
    }
    if (runs.app && runs.demand) {
      console.log(`  overhead (app / demand): frame ${(med('app', 'frameMs') / med('demand', 'frameMs')).toFixed(3)}, first frame ${(med('app', 'firstFrameMs') / med('demand', 'firstFrameMs')).toFixed(3)}`);
    }
    if (runs.loop && runs.demand) console.log(`  drawing every animation frame (loop / demand): frame ${(med('loop', 'frameMs') / med('demand', 'frameMs')).toFixed(3)}`);
  }
  if (appendCount > 0) {
    const r = await run(page, harness.baseUrl, 'app', appendWorld, 0);
    console.log(`\nappend world: ${appendWorld.toLocaleString('en')} splats, hand-over ${r.handOverMs.toFixed(0)} ms, first frame ${r.firstFrameMs.toFixed(0)} ms in ${r.firstFrameRenders} renders`);
    const a = await measureAppend(page, appendCount);
    console.log(`append ${appendCount.toLocaleString('en')} white splats (0.3 m cluster, 3 m ahead) to the ${appendWorld.toLocaleString('en')}-splat world, app drawing continuously:`);
    console.log(`  append call blocked the main thread ${a.callMs.toFixed(0)} ms; new splats visible after ${a.shownMs.toFixed(0)} ms (${a.framesUntilShown} frames); now ${a.shownSplats}/${a.splats} splats shown`);
    console.log(`  probe bright fraction: ${a.brightBefore.toFixed(2)} before, ${a.brightShown.toFixed(2)} when shown (threshold 0.8)`);
    console.log(`  frame interval: before median ${a.baseFrameMedian.toFixed(0)} / max ${a.baseFrameMax.toFixed(0)} ms; during, max ${a.duringFrameMax.toFixed(0)} ms (ratio ${(a.duringFrameMax / a.baseFrameMedian).toFixed(2)})`);
    console.log(`  animation-frame gap max: before ${a.baseRafMax.toFixed(0)} ms, during ${a.duringRafMax.toFixed(0)} ms`);
    console.log(a.longTaskSupported
      ? `  longest long task: before ${a.baseLongTaskMax.toFixed(0)} ms, during ${a.duringLongTaskMax.toFixed(0)} ms`
      : '  long tasks: PerformanceObserver longtask not supported');
  }
} finally {
  await harness.close();
}
