/**
 * Generator benchmark on held-out procedural scenes (issue #4 part 7): photo -> world with the built-in
 * model, judged against the exact pictures and depth of the scene.
 *
 *   node --import tsx bench/generate.bench.ts [--runs R] [--scenes room-4,street-1]
 *
 * Input: the view sets in bench/data/views (made by training/scenes/export_views.py, see the format
 * there; exported on the first run if missing, ~2 CPU-minutes). Per scene, from the 512x384 'start'
 * picture and its field of view, placed at the start pose:
 *   - depth of the model on its own grid against the true depth (AbsRel and delta1, metric and
 *     median-scaled; pixels whose true depth is 0..100 m; a model 'sky' pixel counts as 200 m, the
 *     sky shell's radius);
 *   - PSNR/SSIM of the world rendered by the CPU reference renderer (renderSplats) at the start pose
 *     against the start picture (goal >= 30 dB: the photo comes back);
 *   - PSNR of the world rendered at the 'moved' pose (0.5 m sideways, turned 15 degrees) against the
 *     true picture there, over the covered pixels (alpha > 0.5), and the covered fraction;
 *   - the same two with the TRUE depth lifted the same way (liftToSplats with the default options, as
 *     generate calls it), so model error and lift error can be told apart; and the input view of the
 *     true depth lifted with generate's colour steps (GENERATE_COLOUR_ITERATIONS, the lift's optional
 *     sharpening of the input view);
 *   - input alpha: mean accumulated opacity at the input pose (the background is black, so translucent
 *     splats would darken the picture); and both PSNRs again for the generated world with plain
 *     colours (lift colourIterations 0: generate before its colour steps, input-view-colours.ts);
 *   - anchor for the moved view: the start picture itself scored as the moved picture (no 3D at all).
 * Colours are compared as stored (sRGB-encoded 0..1), as the photo is.
 *
 * Speed: a 1024x768 JPEG -> decode -> model -> lift -> a written .ply, in this process with the model
 * already open (median of R runs), and the same with plain colours (no colour steps) in the same
 * runs, next to an anchor measured in the same run between them: one plain
 * pass over 1024x768 pixels (unproject at a depth, copy the colour into a SplatCloud) plus writing that
 * cloud as a .ply: the least any photo -> .ply must do; and the first run in the process (JIT warm-up).
 * Also the whole command line (`worldsplat generate` in a fresh process: Node, the CLI's cached bundle,
 * opening the model) with its peak RSS, measured by /usr/bin/time, next to the command's start-up alone
 * (bench/cli-start.bench.ts breaks the fresh process down by phase). And the model file's size and SHA-256.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { intrinsicsFromFov } from '../src/core/camera.ts';
import type { FloatField } from '../src/core/image.ts';
import { SplatCloud } from '../src/core/splat-cloud.ts';
import { saveWorld } from '../src/cli/files.ts';
import { MODELS_DIR, loadManifest, openModel } from '../src/cli/models.ts';
import { NodePhotoDecoder } from '../src/io/photo/node-decoder.ts';
import { decodePng } from '../src/io/png.ts';
import { writePly } from '../src/io/ply-writer.ts';
import { BUILTIN_MODEL_ID } from '../src/model/index.ts';
import { renderSplats } from '../src/render/rasterizer.ts';
import { GENERATE_COLOUR_ITERATIONS, frameOfView, generateFromPhoto } from '../src/world/generate.ts';
import { liftToSplats } from '../src/world/lift.ts';
import { psnr, ssim } from '../src/world/metrics.ts';
import { type ViewData, openViewSet } from '../src/world/views/view-set.ts';
import { World } from '../src/world/world.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs') ?? 3);
const ROOT = join(import.meta.dirname, '..');
const VIEWS = join(ROOT, 'bench', 'data', 'views');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

// ---- the model -------------------------------------------------------------------------------
const manifest = await loadManifest();
const entry = manifest.models.find((m) => m.id === BUILTIN_MODEL_ID);
if (!entry) throw new Error(`generate bench: expected a '${BUILTIN_MODEL_ID}' entry in models/manifest.json, found none`);
const modelPath = join(MODELS_DIR, entry.file ?? '');
const modelBytes = readFileSync(modelPath);
const modelSha = createHash('sha256').update(modelBytes).digest('hex');
const model = await openModel(BUILTIN_MODEL_ID, manifest, (line) => console.log(`  model: ${line}`));
console.log(`model ${entry.id}: ${entry.file}, ${(modelBytes.length / 1e6).toFixed(2)} MB (${modelBytes.length} bytes), sha256 ${modelSha}` +
  (modelSha === entry.sha256 ? ' (= manifest)' : ` (manifest says ${entry.sha256})`));

// ---- the scenes ------------------------------------------------------------------------------
const sceneNames = () => (existsSync(VIEWS) ? readdirSync(VIEWS).filter((d) => existsSync(join(VIEWS, d, 'views.json'))).sort() : []);
if (sceneNames().length === 0) {
  console.log(`no view sets in ${VIEWS}: exporting them (training/scenes/export_views.py, about 2 CPU-minutes) ...`);
  const r = spawnSync('nice', ['/usr/bin/python3', '-m', 'scenes.export_views'], { cwd: join(ROOT, 'training'), stdio: 'inherit' });
  if (r.status !== 0) throw new Error('generate bench: expected export_views.py to write the view sets, found it failing');
}
const wanted = arg('--scenes')?.split(',');
const scenes = sceneNames().filter((s) => !wanted || wanted.includes(s));
const unknownScenes = wanted?.filter((s) => !sceneNames().includes(s)) ?? [];
if (unknownScenes.length > 0 || scenes.length === 0) {
  console.error(`bench/generate --scenes: expected names from ${sceneNames().join(', ')}, found ${unknownScenes.join(', ') || '(none)'}`);
  process.exit(2);
}

/** The true depth as lift takes it: 0 (sky) becomes unknown, which lift puts on the sky shell. */
const trueDepthForLift = (v: ViewData): FloatField => ({ ...v.depth, data: Float32Array.from(v.depth.data, (d) => (d > 0 ? d : NaN)) });

const picture = (v: ViewData) => Float32Array.from(v.image.data, (x) => x / 255);

/** PSNR over pixels with alpha > 0.5, and their fraction. */
function coveredPsnr(render: { color: Float32Array; alpha: Float32Array }, truth: Float32Array) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < render.alpha.length; i++) {
    if (render.alpha[i] <= 0.5) continue;
    for (let c = 0; c < 3; c++) {
      a.push(Math.min(1, Math.max(0, render.color[3 * i + c])));
      b.push(truth[3 * i + c]);
    }
  }
  return { psnr: a.length ? psnr(a, b) : NaN, covered: a.length / 3 / render.alpha.length };
}

/** Model depth on its grid against the true depth at the grid cells' centres. */
function depthMetrics(model: FloatField, truth: FloatField) {
  const p: number[] = [];
  const t: number[] = [];
  for (let gy = 0; gy < model.height; gy++) {
    for (let gx = 0; gx < model.width; gx++) {
      const x = Math.min(truth.width - 1, Math.floor(((gx + 0.5) * truth.width) / model.width));
      const y = Math.min(truth.height - 1, Math.floor(((gy + 0.5) * truth.height) / model.height));
      const d = truth.data[y * truth.width + x];
      if (!(d > 0 && d <= 100)) continue;
      const m = model.data[gy * model.width + gx];
      p.push(Number.isFinite(m) && m > 0 ? m : 200);
      t.push(d);
    }
  }
  const scores = (s: number) => {
    let absRel = 0, good = 0;
    for (let i = 0; i < p.length; i++) {
      const q = p[i] * s;
      absRel += Math.abs(q - t[i]) / t[i];
      if (Math.max(q / t[i], t[i] / q) < 1.25) good++;
    }
    return { absRel: absRel / p.length, delta1: good / p.length };
  };
  return { metric: scores(1), scaled: scores(median(t) / median(p)), pixels: p.length };
}

interface Row {
  scene: string;
  depth: ReturnType<typeof depthMetrics>;
  inPsnr: number;
  inSsim: number;
  inAlpha: number;
  plainInPsnr: number;
  plainMoved: ReturnType<typeof coveredPsnr>;
  trueInPsnr: number;
  trueInPsnrSharp: number;
  noMotion: number;
  moved: ReturnType<typeof coveredPsnr>;
  trueMoved: ReturnType<typeof coveredPsnr>;
  splats: number;
  seconds: number;
}

const rows: Row[] = [];
for (const name of scenes) {
  const set = await openViewSet({ read: async (n) => new Uint8Array(readFileSync(join(VIEWS, name, n))), decodePng });
  const start = await set.load('start');
  const moved = await set.load('moved');
  const { intrinsics: k, pose, verticalFovDegrees: fov } = start.spec;
  const t0 = performance.now();
  const view = await generateFromPhoto(start.image, model, { verticalFovDegrees: fov, pose });
  const seconds = (performance.now() - t0) / 1000;
  const trueInput = { image: start.image, depth: trueDepthForLift(start), intrinsics: k, pose };
  const trueSplats = liftToSplats(trueInput);
  const trueSharp = liftToSplats(trueInput, { colourIterations: GENERATE_COLOUR_ITERATIONS });
  // the generated world with plain colours: generate as it was before its colour steps
  const plain = (await generateFromPhoto(start.image, model, { verticalFovDegrees: fov, pose, lift: { colourIterations: 0 } })).splats;

  const startTruth = picture(start);
  const movedTruth = picture(moved);
  const inModel = renderSplats(view.splats, pose, k);
  const inTrue = renderSplats(trueSplats, pose, k);
  const clamp = (c: Float32Array) => c.map((x) => Math.min(1, Math.max(0, x)));
  rows.push({
    scene: name,
    depth: depthMetrics(view.depth, start.depth),
    inPsnr: psnr(clamp(inModel.color), startTruth),
    inSsim: ssim(clamp(inModel.color), startTruth, k.width, k.height, 3),
    inAlpha: inModel.alpha.reduce((s, a) => s + a, 0) / inModel.alpha.length,
    plainInPsnr: psnr(clamp(renderSplats(plain, pose, k).color), startTruth),
    plainMoved: coveredPsnr(renderSplats(plain, moved.spec.pose, moved.spec.intrinsics), movedTruth),
    trueInPsnr: psnr(clamp(inTrue.color), startTruth),
    trueInPsnrSharp: psnr(clamp(renderSplats(trueSharp, pose, k).color), startTruth),
    noMotion: psnr(startTruth, movedTruth),
    moved: coveredPsnr(renderSplats(view.splats, moved.spec.pose, moved.spec.intrinsics), movedTruth),
    trueMoved: coveredPsnr(renderSplats(trueSplats, moved.spec.pose, moved.spec.intrinsics), movedTruth),
    splats: view.splats.count,
    seconds,
  });
  const r = rows[rows.length - 1];
  console.log(`  ${name}: ${r.splats} splats, generate ${f(seconds)} s; input ${f(r.inPsnr, 1)} dB, moved ${f(r.moved.psnr, 1)} dB on ${f(100 * r.moved.covered, 0)}%`);
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\nheld-out scenes, start view 512x384 (model ${modelSha.slice(0, 12)}):`);
console.log('| scene | AbsRel metric | delta1 metric | AbsRel med-scaled | delta1 med-scaled | input PSNR dB | input SSIM | input alpha | moved PSNR dB (covered) ' +
  '| plain colours: input PSNR | plain colours: moved PSNR (covered) ' +
  '| TRUE depth: input PSNR | same, with generate colour steps | TRUE depth: moved PSNR (covered) | anchor: start picture as the moved one (all pixels) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${pad(r.scene, 11)} | ${f(r.depth.metric.absRel, 3)} | ${f(r.depth.metric.delta1, 3)} | ${f(r.depth.scaled.absRel, 3)} | ${f(r.depth.scaled.delta1, 3)} | ` +
    `${f(r.inPsnr, 1)} | ${f(r.inSsim, 3)} | ${f(r.inAlpha, 3)} | ${f(r.moved.psnr, 1)} (${f(100 * r.moved.covered, 0)}%) | ${f(r.plainInPsnr, 1)} | ` +
    `${f(r.plainMoved.psnr, 1)} (${f(100 * r.plainMoved.covered, 0)}%) | ${f(r.trueInPsnr, 1)} | ` +
    `${f(r.trueInPsnrSharp, 1)} | ${f(r.trueMoved.psnr, 1)} (${f(100 * r.trueMoved.covered, 0)}%) | ${f(r.noMotion, 1)} |`);
}
const mean = (g: (r: Row) => number) => rows.reduce((s, r) => s + g(r), 0) / rows.length;
if (rows.length) {
  console.log(`| mean | ${f(mean((r) => r.depth.metric.absRel), 3)} | ${f(mean((r) => r.depth.metric.delta1), 3)} | ${f(mean((r) => r.depth.scaled.absRel), 3)} | ` +
    `${f(mean((r) => r.depth.scaled.delta1), 3)} | ${f(mean((r) => r.inPsnr), 1)} | ${f(mean((r) => r.inSsim), 3)} | ${f(mean((r) => r.inAlpha), 3)} | ` +
    `${f(mean((r) => r.moved.psnr), 1)} (${f(100 * mean((r) => r.moved.covered), 0)}%) | ${f(mean((r) => r.plainInPsnr), 1)} | ` +
    `${f(mean((r) => r.plainMoved.psnr), 1)} (${f(100 * mean((r) => r.plainMoved.covered), 0)}%) | ${f(mean((r) => r.trueInPsnr), 1)} | ` +
    `${f(mean((r) => r.trueInPsnrSharp), 1)} | ${f(mean((r) => r.trueMoved.psnr), 1)} (${f(100 * mean((r) => r.trueMoved.covered), 0)}%) | ` +
    `${f(mean((r) => r.noMotion), 1)} |`);
}
console.log('goals: input PSNR >= 30 dB; depth AbsRel <= 0.08, delta1 >= 0.93 (held-out synthetic)');

// ---- speed: a 1024x768 photo to a written .ply ----------------------------------------------
const W = 1024, H = 768;
const work = mkdtempSync(join(tmpdir(), 'generate-bench-'));
try {
  const first = scenes[0];
  const src = readFileSync(join(VIEWS, first, 'start.png'));
  const fov = (await openViewSet({ read: async (n) => new Uint8Array(readFileSync(join(VIEWS, first, n))), decodePng })).view('start').verticalFovDegrees;
  const photoPath = join(work, 'photo.jpg');
  await sharp(src).resize(W, H).jpeg({ quality: 90 }).toFile(photoPath);
  const decoder = new NodePhotoDecoder();

  const pipeline = async (out: string, colourIterations?: number) => {
    const stages: Record<string, number> = {};
    let t = performance.now();
    const lap = (s: string) => {
      const now = performance.now();
      stages[s] = now - t;
      t = now;
    };
    const photo = await decoder.decode(new Uint8Array(readFileSync(photoPath)));
    lap('decode');
    let modelMs = 0;
    const view = await generateFromPhoto(photo, model, {
      verticalFovDegrees: fov,
      lift: colourIterations === undefined ? undefined : { colourIterations },
      onProgress: (_, s) => {
        if (!modelMs && s.startsWith('lift')) modelMs = performance.now() - t;
      },
    });
    stages.model = modelMs;
    lap('lift');
    stages.lift -= modelMs;
    const world = World.empty(view.splats.shDegree);
    world.append(frameOfView(view), view.splats);
    await saveWorld(out, world);
    lap('write');
    return { total: Object.values(stages).reduce((s, x) => s + x, 0), stages, count: view.splats.count };
  };

  const anchor = () => {
    const t0 = performance.now();
    const rgb = new Uint8Array(readFileSync(photoPath)); // the bytes are read; the colours are a stand-in
    const cloud = SplatCloud.create(W * H);
    const { positions, colors } = cloud;
    const fx = H / 2 / Math.tan((fov * Math.PI) / 360);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x, d = 2 + ((x + y) & 7);
        positions[3 * i] = ((x + 0.5 - W / 2) / fx) * d;
        positions[3 * i + 1] = (-(y + 0.5 - H / 2) / fx) * d;
        positions[3 * i + 2] = -d;
        for (let c = 0; c < 3; c++) colors[3 * i + c] = rgb[(3 * i + c) % rgb.length] / 255;
      }
    }
    writeFileSync(join(work, 'anchor.ply'), writePly(cloud));
    return performance.now() - t0;
  };

  const cold = await pipeline(join(work, 'warm.ply')); // the first run in this process: JIT warm-up included
  anchor();
  const totals: number[] = [];
  const plainTotals: number[] = [];
  const anchors: number[] = [];
  const stageRuns: Record<string, number>[] = [];
  let count = 0;
  for (let r = 0; r < runs; r++) {
    const p = await pipeline(join(work, `world${r}.ply`));
    totals.push(p.total);
    stageRuns.push(p.stages);
    count = p.count;
    anchors.push(anchor());
    plainTotals.push((await pipeline(join(work, `plain${r}.ply`), 0)).total);
  }
  const plyBytes = statSync(join(work, 'world0.ply')).size;
  const stageText = Object.keys(stageRuns[0]).map((s) => `${s} ${median(stageRuns.map((x) => x[s])).toFixed(0)}`).join(', ');
  console.log(`\n1024x768 JPEG -> .ply (${count} splats, ${(plyBytes / 1e6).toFixed(0)} MB), model open, median of ${runs}: ` +
    `${median(totals).toFixed(0)} ms [${stageText}] (goal < 2000 ms); the first run in the process ${cold.total.toFixed(0)} ms ` +
    `[${Object.entries(cold.stages).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}]`);
  console.log(`  anchor, one plain unproject + copy pass over 1024x768 and writing its .ply: ${median(anchors).toFixed(0)} ms ` +
    `(pipeline = ${(median(totals) / median(anchors)).toFixed(1)}x anchor)`);
  console.log(`  the same with plain colours (lift colourIterations 0, generate before its colour steps): ${median(plainTotals).toFixed(0)} ms ` +
    `(${(median(plainTotals) / median(anchors)).toFixed(1)}x anchor; colour steps cost ${(median(totals) / median(plainTotals)).toFixed(2)}x)`);

  // the command line in a fresh process, run as a program as npx runs it (its first line's memory
  // setting applies): wall time and peak RSS, next to the command's start-up alone (Node + the CLI's
  // modules, no work: `worldsplat` without arguments prints its usage)
  const startup = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', join(ROOT, 'bin', 'worldsplat.mjs')], { encoding: 'utf8' });
  const s0 = /TIME ([\d.]+) (\d+)/.exec(startup.stderr);
  const cli = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', join(ROOT, 'bin', 'worldsplat.mjs'), 'generate', photoPath,
    '-o', join(work, 'cli.ply'), '--fov', String(fov)], { encoding: 'utf8' });
  const m = /TIME ([\d.]+) (\d+)/.exec(cli.stderr);
  if (cli.status !== 0 || !m) {
    console.log(`  worldsplat generate failed: ${cli.stderr.trim().split('\n').slice(-2).join(' ')}`);
  } else {
    console.log(`  npx worldsplat generate (fresh process: Node + CLI bundle + model open + the above): ${Number(m[1]).toFixed(1)} s wall, ` +
      `peak RSS ${(Number(m[2]) / 1024).toFixed(0)} MB; start-up alone ${s0 ? `${Number(s0[1]).toFixed(1)} s, ${(Number(s0[2]) / 1024).toFixed(0)} MB` : 'not measured'}`);
  }
  console.log(`  this benchmark process (all of the above in one process): peak RSS ` +
    `${(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024).toFixed(0)} MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
  await model.release();
}
