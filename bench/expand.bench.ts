/**
 * Expansion on scenes whose every view is known: a world is made from the start view with its exact
 * depth (what generate would make with a perfect depth model), then the camera turns all the way
 * round on the spot in 12 stops, expanding the world at each (expandView; by default with the hybrid
 * completer that `explore` and the viewer use). Scenes:
 *   - courtyard: the ray-cast synthetic scene of src/world/expand/synthetic-scene.ts (ground, boxes, sky);
 *   - every held-out view set in bench/data/views/<scene>/ (training/scenes/export_views.py), whose
 *     turn01..turn11, turn00 are the start view turned by 30 degrees a step about the vertical.
 *   - --photo [photo.jpg] (instead of the scenes): a world made from a real photo (default the sample photo) by
 *     `worldsplat generate` with the built-in model (655k splats for the sample), explored by `worldsplat explore
 *     --path turn --steps 12` at 512 x 384 with its default (hybrid) completer, each in a child process as a user
 *     runs them: the time of every stop's expansion as explore reports it (with its stage times where explore
 *     prints them: WORLDSPLAT_TIMINGS=1), the first and the worst stop, next to the anchor measured in the same
 *     run: one renderSplats of that world from its start pose at 512 x 384 (median of 3). Time only, no truth.
 *     --world w.worldsplat skips the generate step (a world made from the photo already). Goal: every stop < 1 s.
 *     explore's model and render threads are on (WORLDSPLAT_MODEL_THREAD / _RENDER_THREAD=1, unless set),
 *     as on an idle machine: the anchors would otherwise raise the load enough for explore to leave them off.
 *     --path turn|orbit|walk (default turn): explore's path. Then, looking back: every remembered view's pose
 *     rendered at 256 x 192 from the explored world, against the world as it was right after that view was
 *     added (its first splatStart + splatCount splats: appends never reorder), PSNR and the share of pixels
 *     changed by more than 8 levels: what the rest of the tour changed where the camera had already been.
 * Run: node --import tsx bench/expand.bench.ts [--scenes courtyard,nature-22] [--completer hybrid|inpaint|detail|model]
 *   [--detail synthesis|mirror] [--texture-source on|off] [--lift-scale 2] [--merged-render on|off] [--dump <dir>] (the arrays of each stop, for looking at seams: see dumpStop)
 *   (--texture-source off: expandView's textureSource false, the texture synthesis copies from the view alone,
 *   as before the photo became a texture source; for timing the two: compare the ratios to the anchor)
 *
 * Prints per stop: unknown share before and after (coverage at 128 x 96; goal after < 1%), PSNR of
 * the completed (hole) pixels of the render after expansion against the true view, the seam
 * statistics (below), and the time of the expansion at 512 x 384 next to the anchor measured in the
 * same run: one renderSplats of the same world at the same pose and size, just before it, with the
 * ratio; per stop the stages' times (render, coverage, complete, align, lift, append), and per scene
 * their medians in ms and as a share of the anchor.
 * Then revisit consistency: the start pose rendered before and after the tour (goal >= 40 dB).
 *
 * Seam: over 4-neighbour pixel pairs of the render after expansion, the mean colour step (levels of
 * 255, mean over channels) and the mean relative depth step |ln(d1/d2)|, for pairs straddling the
 * hole border (one known, one completed pixel) and for pairs inside the known region; the ratio
 * border / known is 1 when the border is no more visible than any other place. The true views' ratio
 * over the same pairs is printed beside it (a border can run along a real edge). "Surfaces only": the
 * depth ratio again on a render without lift's sky shell (see surfaceSplats), since the true depth has
 * no pixel mixing a surface with the sky. "Matched": the colour seam against the render's own known
 * pairs of the same true contrast (matchedColourSeam; 1 = no seam), since the render has a noise floor
 * the true views lack.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Intrinsics, Pose } from '../src/core/camera.ts';
import type { SplatCloud } from '../src/core/splat-cloud.ts';
import { decodePng } from '../src/io/png.ts';
import { renderSplats } from '../src/render/rasterizer.ts';
import { coverage } from '../src/world/coverage/coverage.ts';
import { cameraPath } from '../src/world/expand/camera-paths.ts';
import type { Completer } from '../src/world/expand/completer.ts';
import { expandView } from '../src/world/expand/expand-view.ts';
import { InpaintCompleter } from '../src/world/expand/inpaint-completer.ts';
import { texturedInpainter } from '../src/world/expand/mirror-detail.ts';
import { castView, courtyardScene, toRgbImage, yawPose } from '../src/world/expand/synthetic-scene.ts';
import { liftToSplats } from '../src/world/lift.ts';
import { RenderCloud, mergeableGrids } from '../src/world/lod/render-cloud.ts';
import { bilinearResample } from '../src/world/resample.ts';
import { openViewSet } from '../src/world/views/view-set.ts';
import { World } from '../src/world/world.ts';
import { intrinsicsFromFov, scaleIntrinsics, verticalFovDegrees } from '../src/core/camera.ts';
import { loadWorld } from '../src/cli/files.ts';
import { psnr } from '../src/world/metrics.ts';
import { fixedComputation } from './fixed-anchor.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

interface Truth { pose: Pose; rgb: Float32Array; depth: Float32Array }
/** stops: each stop's truth, loaded (or ray-cast) when it is reached; poses: the stops' poses, known without it */
interface SceneCase { name: string; k: Intrinsics; start: Truth; stops: (() => Promise<Truth>)[]; poses: Pose[] }

const VIEWS = join(import.meta.dirname, 'data/views');

async function courtyardCase(): Promise<SceneCase> {
  const k = intrinsicsFromFov(512, 384, 60);
  const scene = courtyardScene();
  const startPose = yawPose([0, 1.6, 0], 0);
  const cast = (pose: Pose): Truth => ({ pose, ...castView(scene, pose, k) });
  const poses = cameraPath('turn', startPose, 12, 5);
  return { name: 'courtyard', k, start: cast(startPose), stops: poses.map((p) => async () => cast(p)), poses };
}

async function viewSetCase(name: string): Promise<SceneCase> {
  const dir = join(VIEWS, name);
  const set = await openViewSet({ read: async (n) => new Uint8Array(await readFile(join(dir, n))), decodePng });
  const load = async (view: string): Promise<Truth> => {
    const v = await set.load(view);
    const rgb = Float32Array.from(v.image.data, (b) => b / 255);
    return { pose: v.spec.pose, rgb, depth: v.depth.data };
  };
  const start = await load('start');
  const names = [...Array.from({ length: 11 }, (_, i) => `turn${String(i + 1).padStart(2, '0')}`), 'turn00'];
  return { name, k: set.view('start').intrinsics, start, stops: names.map((n) => () => load(n)), poses: names.map((n) => set.view(n).pose) };
}

/**
 * The start view lifted (LIFT_SCALE 1: at the view's own size). With --lift-scale s the picture is
 * first enlarged s times (bilinear) and lifted at that size with the view's depth as a model's (the
 * lift upsamples it, edge-aware): a world as a photo of s times the tour's size makes, whose view
 * expansion renders merged where s >= 1.5 (lod/render-cloud.ts; --merged-render off: never).
 */
function startWorld(c: SceneCase): World {
  const { k, start } = c;
  const depth = { width: k.width, height: k.height, data: start.depth };
  const big = { width: Math.round(k.width * LIFT_SCALE), height: Math.round(k.height * LIFT_SCALE) };
  const kBig = scaleIntrinsics(k, big.width, big.height);
  const rgb = LIFT_SCALE === 1 ? start.rgb : bilinearResample(start.rgb, k.width, k.height, 3, big.width, big.height);
  const image = toRgbImage({ ...big, rgb, depth: start.depth });
  const splats = liftToSplats({ image, depth, intrinsics: kBig, pose: start.pose }, { maxLongSide: Math.max(big.width, big.height) });
  const world = World.empty();
  world.append({ pose: start.pose, intrinsics: kBig, image, depth }, splats);
  return world;
}

/** PSNR (peak 1) over the pixels where `select` is true; Infinity when identical. */
function maskedPsnr(a: Float32Array, b: Float32Array, select: (i: number) => boolean): number {
  let sum = 0, n = 0;
  for (let i = 0; i < a.length / 3; i++) {
    if (!select(i)) continue;
    for (let c = 0; c < 3; c++) { const d = Math.min(1, Math.max(0, a[3 * i + c])) - Math.min(1, Math.max(0, b[3 * i + c])); sum += d * d; }
    n += 3;
  }
  return n === 0 ? NaN : sum === 0 ? Infinity : 10 * Math.log10(n / sum);
}

interface SeamStats { border: number; known: number }

/** Mean colour (levels) and relative depth steps over border pairs and known-known pairs. */
function seams(rgb: Float32Array, depth: Float32Array, mask: Uint8Array, w: number, h: number, alpha?: Float32Array): { colour: SeamStats; depth: SeamStats } {
  const acc = { cb: 0, nb: 0, ck: 0, nk: 0, db: 0, ndb: 0, dk: 0, ndk: 0 };
  // With `alpha` (a render of the surfaces alone), a pixel less than half covered is sky.
  const surface = alpha ? (i: number) => alpha[i] >= 0.5 && depth[i] > 0 && depth[i] <= 100 : (i: number) => depth[i] > 0 && depth[i] <= 100;
  const pair = (i: number, j: number) => {
    const border = mask[i] !== mask[j];
    if (!border && (mask[i] || mask[j])) return; // both completed: neither border nor known
    let c = 0;
    for (let ch = 0; ch < 3; ch++) c += Math.abs(rgb[3 * i + ch] - rgb[3 * j + ch]);
    c *= 255 / 3;
    if (border) { acc.cb += c; acc.nb++; } else { acc.ck += c; acc.nk++; }
    if (surface(i) && surface(j)) {
      const d = Math.abs(Math.log(depth[i] / depth[j]));
      if (border) { acc.db += d; acc.ndb++; } else { acc.dk += d; acc.ndk++; }
    }
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x + 1 < w) pair(i, i + 1);
      if (y + 1 < h) pair(i, i + w);
    }
  }
  return {
    colour: { border: acc.cb / acc.nb, known: acc.ck / acc.nk },
    depth: { border: acc.db / acc.ndb, known: acc.dk / acc.ndk },
  };
}

/**
 * Colour seam matched to the truth's contrast: the mean colour step of the render over the border
 * pairs, over what the render's known pairs step on average where the TRUE step is the same (bins of
 * the true step, doubling from 1/4 level; border pairs whose bin has no known pair are left out).
 * 1 = the border is no more visible than any known place of the same true contrast. Why beside the
 * plain ratio: the true views are noise-free floats, the render carries 8-bit colours through splats,
 * a floor of ~0.3-0.5 levels per step where the truth is flat. A border that runs through flat sky and
 * ground (courtyard: truth ratio 0.2-0.3) shows that floor as a seam in the plain ratio however well
 * the fill meets the known pixels.
 */
function matchedColourSeam(rgb: Float32Array, truth: Float32Array, mask: Uint8Array, w: number, h: number): number {
  const bins = 12, bin = (t: number) => Math.min(bins - 1, Math.max(0, Math.floor(Math.log2(Math.max(t, 1e-9) / 0.25)) + 1));
  const knownSum = new Float64Array(bins), knownN = new Float64Array(bins), borderSum = new Float64Array(bins), borderN = new Float64Array(bins);
  const step = (a: Float32Array, i: number, j: number) => (255 / 3) * (Math.abs(a[3 * i] - a[3 * j]) + Math.abs(a[3 * i + 1] - a[3 * j + 1]) + Math.abs(a[3 * i + 2] - a[3 * j + 2]));
  const pair = (i: number, j: number) => {
    const border = mask[i] !== mask[j];
    if (!border && (mask[i] || mask[j])) return;
    const b = bin(step(truth, i, j)), s = step(rgb, i, j);
    if (border) { borderSum[b] += s; borderN[b]++; } else { knownSum[b] += s; knownN[b]++; }
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x + 1 < w) pair(i, i + 1);
      if (y + 1 < h) pair(i, i + w);
    }
  }
  let got = 0, expected = 0;
  for (let b = 0; b < bins; b++) {
    if (knownN[b] === 0) continue;
    got += borderSum[b];
    expected += borderN[b] * (knownSum[b] / knownN[b]);
  }
  return got / expected;
}

/**
 * The splats within 150 m of `pose`'s eye: all but lift's sky shell (200 m around the eye of the view
 * it came from; every view of a turn on the spot shares that eye). For the "surfaces only" depth seam:
 * a render's depth is the splats' expected depth, which at every silhouette against the sky mixes the
 * surface with the shell 200 m behind it (40-90 m, where nothing is). The true depth has no such pixels
 * (a surface or sky), so a hole border crossing a silhouette counted the mixture as a 10x step; without
 * the shell a pixel's depth is that of the surfaces there, and sky is where they cover less than half.
 */
function surfaceSplats(cloud: SplatCloud, pose: Pose): SplatCloud {
  const p = cloud.positions, e = pose.position, keep: number[] = [];
  for (let i = 0; i < cloud.count; i++) {
    const dx = p[3 * i] - e[0], dy = p[3 * i + 1] - e[1], dz = p[3 * i + 2] - e[2];
    if (dx * dx + dy * dy + dz * dz < 150 * 150) keep.push(i);
  }
  return cloud.subset(keep);
}

const median = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };
const mean = (xs: number[]) => { const s = xs.filter(Number.isFinite); return s.reduce((a, b) => a + b, 0) / s.length; };
const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

async function runCase(c: SceneCase, completer: Completer) {
  const { k } = c;
  const world = startWorld(c);
  const startRender = renderSplats(world.splats, c.start.pose, k);
  const renders = RenderCloud.of(world, MERGED_RENDER ? mergeableGrids(world, k, c.poses) : []);
  console.log(`\n--- ${c.name}: ${k.width}x${k.height}, start world ${world.splats.count} splats`
    + (renders.merged.from ? `; expansion renders ${renders.merged.from} of them merged into ${renders.merged.to}` : ''));
  console.log('stop  unknown before -> after   holes   hole PSNR  known PSNR   colour step border/known (truth) matched   depth step border/known (truth)   surfaces  expand ms  anchor ms  ratio');
  const rows: { after: number; holePsnr: number; colourRatio: number; matchedColour: number; depthRatio: number; surfaceRatio: number; ms: number; anchor: number; truthColour: number; truthDepth: number; stages: Record<string, number> | null }[] = [];
  for (let s = 0; s < c.stops.length; s++) {
    const truth = await c.stops[s]();
    const a0 = performance.now();
    const beforeRender = renderSplats(world.splats, truth.pose, k);
    const anchor = performance.now() - a0;
    const recorded: { depth: Float32Array | null } = { depth: null };
    const used: Completer = DUMP ? { name: completer.name, usesTexture: completer.usesTexture, complete: async (v, sig) => { const r = await completer.complete(v, sig); recorded.depth = r.depth.slice(); return r; } } : completer;
    const t0 = performance.now();
    const result = await expandView(world, truth.pose, k, used, { textureSource, render: (splats, pose, kk, signal) => renderSplats(renders.follow(splats), pose, kk, { signal }) });
    const ms = performance.now() - t0;
    const after = result.frame ? coverage(world, truth.pose, k).unknownFraction : result.before.unknownFraction;
    const render = renderSplats(world.splats, truth.pose, k);
    const mask = result.partial?.mask ?? new Uint8Array(k.width * k.height);
    const surfaces = renderSplats(surfaceSplats(world.splats, truth.pose), truth.pose, k);
    if (DUMP && result.partial && result.completed && recorded.depth) {
      await dumpStop(join(DUMP, `${c.name}-${String(s + 1).padStart(2, '0')}`), {
        mask, beforeDepth: beforeRender.depth, beforeAlpha: beforeRender.alpha, beforeRgb: beforeRender.color, completedRgb: result.completed.rgb, truthDepth: truth.depth, truthRgb: truth.rgb, renderDepth: render.depth, renderAlpha: render.alpha, renderRgb: render.color, surfaceDepth: surfaces.depth, surfaceAlpha: surfaces.alpha,
        knownDepth: result.partial.depth, completedDepth: recorded.depth, alignedDepth: result.completed.depth,
      });
    }
    const holePsnr = result.holePixels ? maskedPsnr(render.color, truth.rgb, (i) => mask[i] === 1) : NaN;
    const knownPsnr = maskedPsnr(render.color, truth.rgb, (i) => mask[i] === 0);
    const seam = seams(render.color, render.depth, mask, k.width, k.height);
    const truthSeam = seams(truth.rgb, truth.depth, mask, k.width, k.height);
    const surfaceSeam = seams(surfaces.color, surfaces.depth, mask, k.width, k.height, surfaces.alpha);
    const row = {
      after, holePsnr, ms, anchor, stages: result.frame ? result.timings : null,
      colourRatio: seam.colour.border / seam.colour.known, depthRatio: seam.depth.border / seam.depth.known,
      matchedColour: matchedColourSeam(render.color, truth.rgb, mask, k.width, k.height),
      surfaceRatio: surfaceSeam.depth.border / surfaceSeam.depth.known,
      truthColour: truthSeam.colour.border / truthSeam.colour.known, truthDepth: truthSeam.depth.border / truthSeam.depth.known,
    };
    rows.push(row);
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    console.log(`${String(s + 1).padStart(4)}  ${pct(result.before.unknownFraction).padStart(7)} -> ${pct(after).padStart(6)}  ${String(result.holePixels).padStart(7)}  ${f(holePsnr).padStart(9)}  ${f(knownPsnr).padStart(10)}   `
      + `${f(seam.colour.border, 2)}/${f(seam.colour.known, 2)} = ${f(row.colourRatio, 2)} (${f(row.truthColour, 2)}) m ${f(row.matchedColour, 2)}`.padEnd(44)
      + `${f(seam.depth.border, 4)}/${f(seam.depth.known, 4)} = ${f(row.depthRatio, 2)} (${f(row.truthDepth, 2)})`.padEnd(34)
      + `${f(row.surfaceRatio, 2).padStart(8)}  `
      + `${f(ms, 0).padStart(9)}  ${f(anchor, 0).padStart(9)}  ${f(ms / anchor, 2).padStart(5)}`
      + (result.frame ? `   [${Object.entries(result.timings).map(([st, t]) => `${st} ${t.toFixed(0)}`).join(', ')}]` : ''));
  }
  const endRender = renderSplats(world.splats, c.start.pose, k);
  const revisit = maskedPsnr(endRender.color, startRender.color, () => true);
  const expanded = rows.filter((r) => Number.isFinite(r.holePsnr));
  const summary = {
    scene: c.name,
    maxAfter: Math.max(...rows.map((r) => r.after)),
    revisit,
    holePsnr: mean(expanded.map((r) => r.holePsnr)),
    colourRatio: median(expanded.map((r) => r.colourRatio)), truthColour: median(expanded.map((r) => r.truthColour)),
    matchedColour: median(expanded.map((r) => r.matchedColour)),
    depthRatio: median(expanded.map((r) => r.depthRatio)), truthDepth: median(expanded.map((r) => r.truthDepth)),
    surfaceRatio: median(expanded.map((r) => r.surfaceRatio)),
    ms: median(expanded.map((r) => r.ms)), anchor: median(expanded.map((r) => r.anchor)),
    splats: world.splats.count, frames: world.memory.size,
  };
  // Per stage: median ms over the stops that expanded, and as a share of the same stops' anchors.
  const stageNames = [...new Set(expanded.flatMap((r) => Object.keys(r.stages ?? {})))];
  const stageMedians = Object.fromEntries(stageNames.map((st) => [st, median(expanded.map((r) => r.stages?.[st] ?? NaN))]));
  console.log(`${c.name} stages, median ms (x anchor ${f(summary.anchor, 0)} ms): `
    + stageNames.map((st) => `${st} ${f(stageMedians[st], 0)} (${f(stageMedians[st] / summary.anchor, 2)})`).join(', '));
  console.log(`${c.name}: worst unknown after expansion ${(100 * summary.maxAfter).toFixed(2)}% (goal < 1%); revisit PSNR ${f(revisit, 1)} dB (goal >= 40); `
    + `hole PSNR mean ${f(summary.holePsnr, 2)} dB; seam ratio colour ${f(summary.colourRatio, 2)} (truth ${f(summary.truthColour, 2)}), matched to the truth's contrast ${f(summary.matchedColour, 2)}, depth ${f(summary.depthRatio, 2)} (truth ${f(summary.truthDepth, 2)}), surfaces only ${f(summary.surfaceRatio, 2)}; `
    + `expansion median ${f(summary.ms, 0)} ms vs renderSplats ${f(summary.anchor, 0)} ms (${f(summary.ms / summary.anchor, 2)}x); ${summary.splats} splats, ${summary.frames} frames`);
  return summary;
}

/**
 * --dump <dir>: per stop that expanded, the raw arrays (little-endian float32, or uint8 for the mask;
 * width x height, row-major) of the hole mask, the true depth and colour, the render after expansion
 * (depth, alpha, premultiplied colour) and without the sky shell (surfaceDepth, surfaceAlpha), the render before (depth, alpha,
 * premultiplied colour), the world's depth as the completer saw it (0 in the hole), the completer's depth
 * before alignment, the aligned depth and the colour that was lifted (completedRgb: the completion, known pixels the world's), for looking at seams pixel by pixel.
 */
const DUMP = process.argv.includes('--dump') ? arg('dump', '') : '';

async function dumpStop(prefix: string, arrays: Record<string, Float32Array | Uint8Array>): Promise<void> {
  await mkdir(join(prefix, '..'), { recursive: true });
  for (const [name, a] of Object.entries(arrays)) {
    await writeFile(`${prefix}.${name}.${a instanceof Uint8Array ? 'u8' : 'f32'}`, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
}

/**
 * --photo: the real-photo world's tour (see the header), timed as `explore` reports it. The child
 * processes run this checkout's bin/worldsplat.mjs, so the same file run in another checkout (a
 * worktree of an older commit) times that one's code.
 */
async function photoTour(photo: string, worldFile: string): Promise<void> {
  const bin = join(import.meta.dirname, '../bin/worldsplat.mjs');
  const dir = await mkdtemp(join(tmpdir(), 'bench-expand-photo-'));
  // explore uses its model and render threads only where the 1-minute load leaves a core free, and
  // this bench's own anchors (three renders, just before) push that load over 1 on 2 cores: the
  // threads are on here unless the caller says otherwise, as on an idle machine.
  const threads = { WORLDSPLAT_MODEL_THREAD: process.env.WORLDSPLAT_MODEL_THREAD ?? '1', WORLDSPLAT_RENDER_THREAD: process.env.WORLDSPLAT_RENDER_THREAD ?? '1' };
  const cli = (...args: string[]) => {
    // run as a program, as npx runs it: its first line's memory setting applies (bin/worldsplat.mjs)
    const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, WORLDSPLAT_TIMINGS: '1', ...threads } });
    if (r.status !== 0) throw new Error(`worldsplat ${args.join(' ')}: expected exit 0, found ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
    return r;
  };
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  let file = worldFile;
  if (!file) {
    file = join(dir, 'photo.worldsplat');
    const t = performance.now();
    cli('generate', photo, '-o', file);
    console.log(`generate ${photo}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const world = await loadWorld(file);
  const first = world.memory.frames[0];
  if (!first) throw new Error(`${file}: expected a world with a first frame (made by generate), found none`);
  const k = intrinsicsFromFov(512, 384, verticalFovDegrees(first.intrinsics));
  const anchorRun = () => { const t = performance.now(); renderSplats(world.splats, first.pose, k); return performance.now() - t; };
  const anchors = [anchorRun(), anchorRun(), anchorRun()];
  const anchor = median(anchors);
  // The render is code this bench times too (src/render): between checkouts compare against this instead.
  const fixed = median([fixedAnchor(), fixedAnchor(), fixedAnchor()]);
  console.log(`\n--- photo world ${file}: ${world.splats.count} splats; anchor renderSplats from the start pose at 512x384: ${f(anchor, 0)} ms (of ${anchors.map((a) => f(a, 0)).join(', ')}); `
    + `fixed computation (bench/fixed-anchor.ts, code no checkout changes) ${f(fixed, 0)} ms; load ${load()}; `
    + `WORLDSPLAT_MODEL_THREAD=${threads.WORLDSPLAT_MODEL_THREAD} WORLDSPLAT_RENDER_THREAD=${threads.WORLDSPLAT_RENDER_THREAD}`);
  const t0 = performance.now();
  const path = arg('path', 'turn');
  const explored = join(dir, 'explored.worldsplat');
  const r = cli('explore', file, '--path', path, '--steps', '12', '--size', '512x384', '-o', explored);
  const wall = performance.now() - t0;
  const stopMs = [...r.stdout.matchAll(/^step +(\d+)\/\d+ .* ([\d.]+) s$/gm)].map((m) => 1000 * Number(m[2]));
  const stages = new Map([...r.stderr.matchAll(/^step (\d+) ms: (.*)$/gm)].map((m) => [Number(m[1]), m[2]]));
  if (stopMs.length !== 12) throw new Error(`explore: expected 12 step lines, found ${stopMs.length}:\n${r.stdout}`);
  console.log('stop  expand ms  x anchor   stages (ms)');
  stopMs.forEach((ms, i) => console.log(`${String(i + 1).padStart(4)}  ${f(ms, 0).padStart(9)}  ${f(ms / anchor, 2).padStart(8)}   ${stages.get(i + 1) ?? ''}`));
  const worst = Math.max(...stopMs), worstAt = stopMs.indexOf(worst) + 1;
  const ready = /ready to explore at (\d+) ms/.exec(r.stderr);
  console.log(`photo tour: first stop ${f(stopMs[0], 0)} ms (${f(stopMs[0] / anchor, 2)}x anchor), worst ${f(worst, 0)} ms at stop ${worstAt} (${f(worst / anchor, 2)}x), `
    + `median ${f(median(stopMs), 0)} ms (${f(median(stopMs) / anchor, 2)}x); stops over 1 s: ${stopMs.filter((ms) => ms >= 1000).length}/12; `
    + `explore ${f(wall / 1000, 1)} s in all${ready ? ` (first stop began ${ready[1]} ms after the process started)` : ''}; anchor ${f(anchor, 0)} ms; `
    + `first / worst / median per fixed computation ${[stopMs[0], worst, median(stopMs)].map((ms) => f(ms / fixed, 1)).join(' / ')}; load ${load()}`);
  lookBack(await loadWorld(explored), path);
  await rm(dir, { recursive: true, force: true });
}

/** --photo's look back (see the header): per remembered view, its pose now against right after it was added. */
function lookBack(world: World, path: string): void {
  const frames = world.memory.frames;
  const k = intrinsicsFromFov(256, 192, verticalFovDegrees(frames[0].intrinsics));
  const rows: string[] = [];
  for (const frame of frames.slice(0, -1)) {
    const then = renderSplats(world.splats.subset(Uint32Array.from({ length: frame.splatStart + frame.splatCount }, (_, i) => i)), frame.pose, k);
    const now = renderSplats(world.splats, frame.pose, k);
    let changed = 0;
    for (let p = 0; p < k.width * k.height; p++) {
      let most = 0;
      for (let c = 0; c < 3; c++) most = Math.max(most, Math.abs(now.color[3 * p + c] - then.color[3 * p + c]));
      if (most > 8 / 255) changed++;
    }
    rows.push(`view ${frame.id}: ${f(psnr(now.color, then.color))} dB, ${f((100 * changed) / (k.width * k.height))}%`);
  }
  console.log(`looking back after the ${path} (each view's pose now against right after it was added, 256x192; PSNR, pixels changed > 8 levels): ${rows.join(' | ')}`);
}

/** The fixed computation's time (fixed-anchor.ts), ms. */
function fixedAnchor(): number {
  const t = performance.now();
  fixedComputation();
  return performance.now() - t;
}

if (process.argv.includes('--photo')) {
  const next = process.argv[process.argv.indexOf('--photo') + 1];
  await photoTour(next && !next.startsWith('--') ? next : join(import.meta.dirname, '../public/sample-photo.jpg'), arg('world', ''));
  process.exit(0);
}

const available = existsSync(VIEWS) ? readdirSync(VIEWS).filter((d) => existsSync(join(VIEWS, d, 'views.json'))).sort() : [];
const wanted = arg('scenes', ['courtyard', ...available].join(',')).split(',');
const unknownScenes = wanted.filter((s) => s !== 'courtyard' && !available.includes(s));
if (unknownScenes.length > 0) {
  console.error(`bench/expand --scenes: expected names from ${['courtyard', ...available].join(', ')}, found ${unknownScenes.join(', ')}`);
  process.exit(2);
}
const completerName = arg('completer', 'hybrid');
const LIFT_SCALE = Number(arg('lift-scale', '1'));
if (!(LIFT_SCALE >= 1 && LIFT_SCALE <= 4)) throw new Error(`--lift-scale: expected a number from 1 to 4, found "${arg('lift-scale', '1')}"`);
const MERGED_RENDER = arg('merged-render', 'on') !== 'off';
const textureSource = arg('texture-source', 'on') !== 'off';
// the detail of the textured inpainter (detail, hybrid): texture synthesis (the default) or mirrored
const detail = arg('detail', 'synthesis') as 'synthesis' | 'mirror';
if (detail !== 'synthesis' && detail !== 'mirror') throw new Error(`--detail: expected synthesis or mirror, found "${detail}"`);
const completer = await openBenchCompleter(completerName);
const summaries = [];
for (const name of wanted) {
  const c = name === 'courtyard' ? await courtyardCase() : await viewSetCase(name);
  summaries.push(await runCase(c, completer));
}
console.log('\nscene        worst after  revisit dB  hole PSNR  seam colour (truth)  matched  seam depth (truth)  surfaces only  expand ms  anchor ms  ratio');
for (const s of summaries) {
  console.log(`${s.scene.padEnd(12)} ${`${(100 * s.maxAfter).toFixed(2)}%`.padStart(11)}  ${f(s.revisit).padStart(10)}  ${f(s.holePsnr, 2).padStart(9)}  `
    + `${`${f(s.colourRatio, 2)} (${f(s.truthColour, 2)})`.padStart(19)}  ${f(s.matchedColour, 2).padStart(7)}  ${`${f(s.depthRatio, 2)} (${f(s.truthDepth, 2)})`.padStart(18)}  ${f(s.surfaceRatio, 2).padStart(13)}  ${f(s.ms, 0).padStart(9)}  ${f(s.anchor, 0).padStart(9)}  ${f(s.ms / s.anchor, 2).padStart(5)}`);
}

/**
 * The classical inpainter (inpaint), the same with texture (detail: --detail), the shipped completion model
 * (models/manifest.json, task 'complete'), or hybrid as `explore` and the viewer use it: the textured
 * inpainter's colour with the model's depth.
 */
async function openBenchCompleter(name: string): Promise<Completer> {
  if (name === 'inpaint') return new InpaintCompleter();
  if (name === 'detail') return texturedInpainter(detail);
  if (name !== 'model' && name !== 'hybrid') throw new Error(`--completer: expected inpaint, detail, model or hybrid, found "${name}"`);
  const { loadManifest, openModel } = await import('../src/cli/models.ts');
  const { ModelCompleter } = await import('../src/world/expand/model-completer.ts');
  const manifest = await loadManifest();
  const entry = manifest.models.find((m) => m.task === 'complete');
  if (!entry) throw new Error("--completer model: expected a completion model in models/manifest.json, found none");
  const model = new ModelCompleter(await openModel(entry.id, manifest, (line) => console.log(line)));
  if (name === 'model') return model;
  const { SplitCompleter } = await import('../src/world/expand/split-completer.ts');
  return new SplitCompleter(texturedInpainter(detail), model);
}
