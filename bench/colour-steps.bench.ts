/**
 * The input-view colour steps (src/world/input-view-colours.ts) compared with each other on the same
 * worlds, in one run, so a change of step count or kernel is judged by what it does to the pictures:
 *
 *   nice node --import tsx bench/colour-steps.bench.ts [--real] [--variants 0,3,4]
 *
 * For each held-out scene of bench/data/views (512x384 start picture, built-in model), the world is
 * generated once per variant (`generateFromPhoto` with lift.colourIterations = the variant; the model
 * runs the same each time) and rendered by the CPU reference renderer at the start pose (against the
 * start picture: "the photo comes back") and at the moved pose (against the true picture there,
 * covered pixels). With --real, also the six wallpaper photos of docs/real at the CLI's working size
 * (1024 px long side, fov 60): input view only, there is no other truth. The colour stage's time per
 * variant (median over the scenes, from generate's progress) is printed next to the whole lift's.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { intrinsicsFromFov, Pose } from '../src/core/camera.ts';
import type { RgbImage } from '../src/core/image.ts';
import { loadManifest, openModel } from '../src/cli/models.ts';
import { NodePhotoDecoder } from '../src/io/photo/node-decoder.ts';
import { decodePng } from '../src/io/png.ts';
import { BUILTIN_MODEL_ID } from '../src/model/index.ts';
import { renderSplats } from '../src/render/rasterizer.ts';
import { generateFromPhoto } from '../src/world/generate.ts';
import { psnr } from '../src/world/metrics.ts';
import { openViewSet } from '../src/world/views/view-set.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const variants = (arg('--variants') ?? '0,3,4').split(',').map(Number);
const ROOT = join(import.meta.dirname, '..');
const VIEWS = join(ROOT, 'bench', 'data', 'views');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const clamp = (c: Float32Array) => c.map((x) => Math.min(1, Math.max(0, x)));
const unit = (data: Uint8Array) => Float32Array.from(data, (x) => x / 255);

const manifest = await loadManifest();
const model = await openModel(BUILTIN_MODEL_ID, manifest, (line) => console.log(`  model: ${line}`));

/** The world of `photo` with `iterations` colour steps; the colour stage's and the lift's ms. */
async function world(photo: RgbImage, fov: number, pose: Pose, iterations: number) {
  let liftStart = 0, colourStart = 0;
  const view = await generateFromPhoto(photo, model, {
    verticalFovDegrees: fov, pose, lift: { colourIterations: iterations },
    onProgress: (_, s) => {
      if (!liftStart && s.startsWith('lift')) liftStart = performance.now();
      if (!colourStart && s === 'lift: colours') colourStart = performance.now();
    },
  });
  const end = performance.now();
  return { view, colourMs: colourStart ? end - colourStart : 0, liftMs: end - liftStart };
}

interface Score { input: number[]; moved: number[]; colourMs: number[]; liftMs: number[] }
const scores = new Map<number, Score>(variants.map((v) => [v, { input: [], moved: [], colourMs: [], liftMs: [] }]));
const realScores = new Map<number, number[]>(variants.map((v) => [v, []]));

const scenes = existsSync(VIEWS) ? readdirSync(VIEWS).filter((d) => existsSync(join(VIEWS, d, 'views.json'))).sort() : [];
console.log(`held-out scenes, 512x384 start view (model ${manifest.models.find((m) => m.id === BUILTIN_MODEL_ID)?.sha256.slice(0, 12)}):`);
console.log(`| scene | ${variants.map((v) => `${v} steps: input dB | moved dB`).join(' | ')} |`);
for (const name of scenes) {
  const set = await openViewSet({ read: async (n) => new Uint8Array(readFileSync(join(VIEWS, name, n))), decodePng });
  const start = await set.load('start');
  const moved = await set.load('moved');
  const { intrinsics: k, pose, verticalFovDegrees: fov } = start.spec;
  const startTruth = unit(start.image.data);
  const movedTruth = unit(moved.image.data);
  const cells: string[] = [];
  for (const v of variants) {
    const { view, colourMs, liftMs } = await world(start.image, fov, pose, v);
    const input = psnr(clamp(renderSplats(view.splats, pose, k).color), startTruth);
    const m = renderSplats(view.splats, moved.spec.pose, moved.spec.intrinsics);
    const a: number[] = [], b: number[] = [];
    for (let i = 0; i < m.alpha.length; i++) {
      if (m.alpha[i] <= 0.5) continue;
      for (let c = 0; c < 3; c++) { a.push(Math.min(1, Math.max(0, m.color[3 * i + c]))); b.push(movedTruth[3 * i + c]); }
    }
    const movedPsnr = psnr(a, b);
    const s = scores.get(v)!;
    s.input.push(input); s.moved.push(movedPsnr); s.colourMs.push(colourMs); s.liftMs.push(liftMs);
    cells.push(`${input.toFixed(2)} | ${movedPsnr.toFixed(2)}`);
  }
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
console.log(`| mean | ${variants.map((v) => `${mean(scores.get(v)!.input).toFixed(2)} | ${mean(scores.get(v)!.moved).toFixed(2)}`).join(' | ')} |`);
for (const v of variants) {
  const s = scores.get(v)!;
  console.log(`  ${v} steps: colour stage median ${median(s.colourMs).toFixed(0)} ms of a ${median(s.liftMs).toFixed(0)} ms lift (512x384)`);
}

if (process.argv.includes('--real')) {
  const PHOTOS = ['EveningGlow', 'Path', 'BytheWater', 'ColorfulCups', 'FallenLeaf', 'Grey'];
  const decoder = new NodePhotoDecoder();
  console.log(`\ndocs/real wallpapers at the working size (1024 px long side, fov 60), input view PSNR dB:`);
  console.log(`| photo | ${variants.map((v) => `${v} steps`).join(' | ')} |`);
  for (const name of PHOTOS) {
    const jpg = `/usr/share/wallpapers/${name}/contents/images/2560x1600.jpg`;
    if (!existsSync(jpg)) continue;
    const photo = await decoder.decode(new Uint8Array(readFileSync(jpg)), { maxLongSide: 1024 });
    const k = intrinsicsFromFov(photo.width, photo.height, 60);
    const truth = unit(photo.data);
    const cells: string[] = [];
    for (const v of variants) {
      const { view } = await world(photo, 60, Pose.identity(), v);
      const p = psnr(clamp(renderSplats(view.splats, Pose.identity(), k).color), truth);
      realScores.get(v)!.push(p);
      cells.push(p.toFixed(2));
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  console.log(`| mean | ${variants.map((v) => mean(realScores.get(v)!).toFixed(2)).join(' | ')} |`);
}
await model.release();
