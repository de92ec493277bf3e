/**
 * The built-in depth model through the app's own inference (runDepth: preprocess.ts, onnxruntime as the
 * CLI runs it, native where installed, WASM with WORLDSPLAT_ONNX_RUNTIME=wasm; the shipped fp16 ONNX) on the held-out splits that training/evaluate.py scores, cropped to 4:3 like
 * a photo: with the manifest's settings and with the mirror average left out, so the figures the
 * README quotes for the shipped inference come from the code that ships, not from PyTorch.
 *
 *   node --import tsx bench/depth-heldout.bench.ts [--split test|val|both]     (or: npm run bench -- depth-heldout)
 *
 * Input: bench/data/heldout-43/{val,test}.bin, written by `training/inference_eval.py --dump` (made
 * here on the first run with Debian's python3-torch; the splits are generated if training/data lacks
 * them, a few CPU-minutes). Metrics as training/metrics.py, per image over pixels with true depth > 0,
 * then averaged: AbsRel and delta1, metric and median-scaled (torch.median's lower middle). The model's
 * sky output plays no part, as in evaluate.py. Time per image: one and two inferences at 128x96, warm,
 * the first run on its own as the anchor (the ratio is what to read on a shared machine).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest, openModel } from '../src/cli/models.ts';
import type { ModelEntry } from '../src/model/manifest.ts';
import { runDepth } from '../src/model/run-depth.ts';
import type { Model } from '../src/model/session.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, 'bench', 'data', 'heldout-43');
const splits = (arg('--split') ?? 'both') === 'both' ? ['val', 'test'] : [arg('--split')!];

interface HeldOut { count: number; width: number; height: number; fov: Float32Array; rgb: Uint8Array; depth: Float32Array }

function readSplit(path: string): HeldOut {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [count, width, height] = [0, 4, 8].map((o) => view.getInt32(o, true));
  const pixels = width * height;
  const expected = 12 + 4 * count + 3 * count * pixels + 4 * count * pixels;
  if (!(count > 0 && width > 0 && height > 0) || bytes.byteLength !== expected) {
    throw new Error(`${path}: expected ${expected} bytes for ${count} images of ${width}x${height}, found ${bytes.byteLength}`);
  }
  const copy = (start: number, length: number) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + length);
  const rgbStart = 12 + 4 * count;
  return {
    count, width, height,
    fov: new Float32Array(copy(12, 4 * count)),
    rgb: new Uint8Array(copy(rgbStart, 3 * count * pixels)),
    depth: new Float32Array(copy(rgbStart + 3 * count * pixels, 4 * count * pixels)),
  };
}

const lowerMedian = (values: Float64Array) => values.sort()[(values.length - 1) >> 1];

/** training/metrics.py depth_metrics: per image, then the mean over images with at least 16 valid pixels. */
function depthMetrics(set: HeldOut, predictions: Float32Array[]) {
  const sums = { metricAbsRel: 0, metricDelta1: 0, medianAbsRel: 0, medianDelta1: 0 };
  let images = 0;
  const pixels = set.width * set.height;
  for (let k = 0; k < set.count; k++) {
    const truth: number[] = [], guess: number[] = [];
    for (let i = 0; i < pixels; i++) {
      const t = set.depth[k * pixels + i];
      if (t > 0) { truth.push(t); guess.push(Math.max(1e-3, predictions[k][i])); }
    }
    if (truth.length < 16) continue;
    const scale = lowerMedian(Float64Array.from(truth)) / lowerMedian(Float64Array.from(guess));
    for (const [s, absRel, delta1] of [[1, 'metricAbsRel', 'metricDelta1'], [scale, 'medianAbsRel', 'medianDelta1']] as const) {
      let sumRel = 0, within = 0;
      for (let i = 0; i < truth.length; i++) {
        const q = guess[i] * s;
        sumRel += Math.abs(q - truth[i]) / truth[i];
        if (Math.max(q / truth[i], truth[i] / q) < 1.25) within++;
      }
      sums[absRel] += sumRel / truth.length;
      sums[delta1] += within / truth.length;
    }
    images++;
  }
  return { images, ...Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / images])) } as typeof sums & { images: number };
}

async function predictAll(model: Model, set: HeldOut): Promise<{ depth: Float32Array[]; msPerImage: number }> {
  const { width, height } = set;
  const depth: Float32Array[] = [];
  const t0 = performance.now();
  for (let k = 0; k < set.count; k++) {
    const image = { width, height, data: set.rgb.subarray(3 * k * width * height, 3 * (k + 1) * width * height) };
    const maps = await runDepth(model, image, { verticalFovDegrees: set.fov[k], resolution: 'model' });
    if (maps.kind !== 'metric' || maps.width !== width || maps.height !== height) {
      throw new Error(`depth-heldout: expected ${width}x${height} metric depth, found ${maps.kind} ${maps.width}x${maps.height}`);
    }
    depth.push(maps.depth);
  }
  return { depth, msPerImage: (performance.now() - t0) / set.count };
}

/** The entry as the manifest has it, but running the picture alone. */
function withoutMirror(entry: ModelEntry): ModelEntry {
  return { ...entry, inputs: entry.inputs.map((input) => (input.kind === 'image' ? { ...input, mirrorAverage: false } : input)) } as ModelEntry;
}

if (!splits.every((s) => existsSync(join(DATA, `${s}.bin`)))) {
  console.log(`exporting the held-out splits to ${DATA} (training/inference_eval.py --dump) ...`);
  const r = spawnSync('/usr/bin/python3', [join(ROOT, 'training', 'inference_eval.py'), '--dump', DATA], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('depth-heldout bench: expected training/inference_eval.py --dump to write the splits, found it failed (python3-torch installed?)');
}
const manifest = await loadManifest();
const shipped = await openModel('builtin', manifest, (line) => console.log(`  model: ${line}`));
const mirror = shipped.entry.inputs.find((i) => i.kind === 'image')?.mirrorAverage;
const single: Model = { ...shipped, entry: withoutMirror(shipped.entry), run: shipped.run.bind(shipped) };
console.log(`model ${shipped.entry.file}, sha256 ${shipped.entry.sha256.slice(0, 12)}, on onnxruntime's ${shipped.executionProvider === 'cpu' ? 'native build' : shipped.executionProvider}; manifest mirrorAverage: ${JSON.stringify(mirror ?? false)}`);
console.log('| split | inference | images | AbsRel metric | delta1 metric | AbsRel median-scaled | delta1 median-scaled | ms per image (x the single run) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const split of splits) {
  const set = readSplit(join(DATA, `${split}.bin`));
  await predictAll(single, { ...set, count: Math.min(4, set.count) }); // warm-up: the first runs compile
  const one = await predictAll(single, set);
  const both = mirror ? await predictAll(shipped, set) : undefined;
  for (const [name, result] of [['picture alone', one], ['as shipped (manifest)', both]] as const) {
    if (!result) continue;
    const m = depthMetrics(set, result.depth);
    console.log(`| ${split} | ${name} | ${m.images} | ${m.metricAbsRel.toFixed(4)} | ${m.metricDelta1.toFixed(3)} | ${m.medianAbsRel.toFixed(4)} | ${m.medianDelta1.toFixed(3)} | ${result.msPerImage.toFixed(1)} (${(result.msPerImage / one.msPerImage).toFixed(2)}x) |`);
  }
}
await shipped.release();
