/**
 * Test-time mirror averaging (manifest `mirrorAverage`) in runDepth. The truth is written down here: a
 * stand-in model whose outputs are mirror-ASYMMETRIC functions of its input tensor, and the average of
 * its run on a picture and on the mirrored picture (mirrored back, normals' x negated) worked out by hand
 * in closed form. A second stand-in returns that hand average directly, without mirroring, and runDepth
 * must turn both into the same maps, on the model's grid and on the photo's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { fixtureModel } from './fixtures/fixtures.ts';
import { type ModelEntry, type ResizePolicy, parseManifest } from './manifest.ts';
import { averageMirroredOutputs, mirrorLastAxis } from './mirror.ts';
import { imageToTensor, planInput } from './preprocess.ts';
import { type DepthMaps, runDepth } from './run-depth.ts';
import { type Model, type TensorData, loadModel } from './session.ts';

const MEAN = [0.4, 0.5, 0.6];
const STD = [0.25, 0.2, 0.3];

function entryWith(resize: ResizePolicy, mirrorAverage: boolean | string[] | undefined): ModelEntry {
  return parseManifest({
    version: 1,
    models: [{
      id: 'fake', name: 'stand-in', file: 'x.onnx', bytes: 1, sha256: '0'.repeat(64), licence: { id: 'MIT', nonCommercial: false }, task: 'depth',
      inputs: [
        { name: 'image', kind: 'image', layout: 'NCHW', channels: 'RGB', valueRange: [0, 1], mean: MEAN, std: STD, resize, ...(mirrorAverage === undefined ? {} : { mirrorAverage }) },
        { name: 'fov', kind: 'vertical-fov-degrees', default: 60 },
      ],
      outputs: [
        { name: 'log_depth', layout: 'NCHW', meaning: 'log-depth' },
        { name: 'logit', layout: 'NHW', meaning: 'confidence-logit' },
        { name: 'normals', layout: 'NCHW', meaning: 'normals', frame: 'opengl' },
      ],
    }],
  }).models[0];
}

type Outputs = Record<string, TensorData>;
/** Per output pixel (x, y) of a W x H grid, given the input channels c at column x' of row y and the fov. */
type PixelRule = (c: (channel: number, x: number) => number, x: number, W: number, fov: number) => { logDepth: number; logit: number; normal: [number, number, number] };

/** A stand-in model applying `rule` at every pixel of its input, output grid = input grid; counts runs and keeps the feeds. */
function standIn(entry: ModelEntry, rule: PixelRule): Model & { feeds: Outputs[] } {
  const feeds: Outputs[] = [];
  return {
    entry, executionProvider: 'wasm', skippedProviders: [], feeds,
    async run(f) {
      feeds.push(f);
      const { data, dims } = f.image;
      const [H, W] = [dims[2], dims[3]];
      const fov = f.fov.data[0];
      const [logDepth, logit, normals] = [new Float32Array(W * H), new Float32Array(W * H), new Float32Array(3 * W * H)];
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        const clampX = (xx: number) => Math.min(W - 1, Math.max(0, xx));
        const c = (channel: number, xx: number) => data[channel * W * H + y * W + clampX(xx)];
        const out = rule(c, x, W, fov);
        const i = y * W + x;
        logDepth[i] = out.logDepth;
        logit[i] = out.logit;
        for (let a = 0; a < 3; a++) normals[a * W * H + i] = out.normal[a];
      }
      return { log_depth: { data: logDepth, dims: [1, 1, H, W] }, logit: { data: logit, dims: [1, H, W] }, normals: { data: normals, dims: [1, 3, H, W] } };
    },
    release: async () => undefined,
  };
}

/** Mirror-asymmetric: log depth leans on the right neighbour, the logit and normals' x grow with the column. */
const asymmetric: PixelRule = (c, x, W, fov) => ({
  logDepth: 0.7 * c(0, x) + 0.3 * c(0, x + 1) + 0.01 * fov,
  logit: 0.05 * x - 1 + 0.2 * c(1, x),
  normal: [0.4 + 0.3 * c(2, x) + 0.01 * x, 0.2 * c(1, x), 1],
});

/**
 * Its mirror average by hand. The mirrored run at column W-1-x sees this picture's column x, and its
 * right neighbour is this picture's column x-1; its logit has column term 0.05 (W-1-x); its normal's x,
 * negated, is -(0.4 + 0.3 c2 + 0.01 (W-1-x)). Halving the sums:
 */
const asymmetricAveraged: PixelRule = (c, x, W, fov) => ({
  logDepth: 0.7 * c(0, x) + 0.15 * c(0, x + 1) + 0.15 * c(0, x - 1) + 0.01 * fov,
  logit: 0.025 * (W - 1) - 1 + 0.2 * c(1, x),
  normal: [0.01 * x - 0.005 * (W - 1), 0.2 * c(1, x), 1],
});

/** Mirror-equivariant: symmetric in x for depth and logit, normals' x odd (it flips sign with the picture). */
const equivariant: PixelRule = (c, _x, _W, fov) => ({
  logDepth: 0.5 * c(0, _x) + 0.25 * (c(0, _x - 1) + c(0, _x + 1)) + 0.01 * fov,
  logit: c(1, _x) - 0.5,
  normal: [c(2, _x + 1) - c(2, _x - 1), 0.3 * c(1, _x), 1],
});

function randomPhoto(width: number, height: number, seed: number) {
  const rand = seededRandom(seed);
  return { width, height, data: Float32Array.from({ length: width * height * 3 }, () => rand()) };
}

function assertMapsClose(actual: DepthMaps, expected: DepthMaps, tolerance: number, what: string): void {
  assert.equal(actual.kind, 'metric');
  assert.equal(expected.kind, 'metric');
  if (actual.kind !== 'metric' || expected.kind !== 'metric') return;
  assert.deepEqual([actual.width, actual.height], [expected.width, expected.height], `${what}: grid`);
  for (const [name, a, e] of [['depth', actual.depth, expected.depth], ['confidence', actual.confidence!, expected.confidence!], ['normals', actual.normals!, expected.normals!]] as const) {
    assert.equal(a.length, e.length, `${what} ${name}: length`);
    let worst = 0;
    let at = -1;
    for (let i = 0; i < a.length; i++) {
      const error = Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i]));
      if (!(error <= worst)) [worst, at] = [Number.isNaN(error) ? Infinity : error, i];
    }
    assert.ok(worst <= tolerance, `${what} ${name}: relative error ${worst} at ${at}`);
  }
}

// 64x48 stretched to 64x48: the input grid is the photo; 70x100 padded left and right (offsetX 1.6) to
// 48x64; 100x70 cropped top and bottom to 64x32; 90x60 cropped on the sides (offsets < 0) in a fixed 48x48.
const CASES: [string, number, number, ResizePolicy][] = [
  ['identity', 64, 48, { mode: 'stretch', width: 64, height: 48 }],
  ['padded at the sides', 70, 100, { mode: 'pad', longSide: 64, multipleOf: 16 }],
  ['cropped top and bottom', 100, 70, { mode: 'crop', longSide: 64, multipleOf: 16 }],
  ['cropped at the sides', 90, 60, { mode: 'crop', width: 48, height: 48 }],
];

test('mirrorAverage: runDepth gives the hand-worked average of the picture and its mirror image, on both grids', async () => {
  for (const [what, width, height, resize] of CASES) {
    const photo = randomPhoto(width, height, width + height);
    for (const resolution of ['model', 'image'] as const) {
      const model = standIn(entryWith(resize, true), asymmetric);
      const truth = standIn(entryWith(resize, undefined), asymmetricAveraged);
      const options = { verticalFovDegrees: 50, resolution };
      const progress: number[] = [];
      const maps = await runDepth(model, photo, { ...options, onProgress: (f) => progress.push(f) });
      assertMapsClose(maps, await runDepth(truth, photo, options), 1e-5, `${what}, resolution ${resolution}`);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
      assert.equal(progress.at(-1), 1);
      // Two runs: the second on the mirrored tensor, the field of view the same.
      assert.equal(model.feeds.length, 2);
      assert.equal(truth.feeds.length, 1);
      const [first, second] = model.feeds;
      assert.deepEqual(second.image.dims, first.image.dims);
      assert.deepEqual(second.image.data, mirrorLastAxis(first.image.data, first.image.dims));
      assert.deepEqual(second.fov, first.fov);
    }
  }
});

test('mirrorAverage naming outputs: those are averaged, the others are the picture\'s alone', async () => {
  // The built-in model averages depth, confidence and normals but keeps its sky from the picture: here
  // the confidence logit plays the left-out output.
  for (const [what, width, height, resize] of CASES) {
    const photo = randomPhoto(width, height, 7 * width + height);
    for (const resolution of ['model', 'image'] as const) {
      const options = { verticalFovDegrees: 50, resolution };
      const maps = await runDepth(standIn(entryWith(resize, ['log_depth', 'normals']), asymmetric), photo, options);
      const averaged = await runDepth(standIn(entryWith(resize, undefined), asymmetricAveraged), photo, options);
      const single = await runDepth(standIn(entryWith(resize, undefined), asymmetric), photo, options);
      if (maps.kind !== 'metric' || averaged.kind !== 'metric' || single.kind !== 'metric') throw new Error('expected metric depth');
      assertMapsClose(maps, { ...averaged, confidence: single.confidence }, 1e-5, `${what}, resolution ${resolution}`);
    }
  }
});

test('mirrorAverage on a photo that is the input grid: depth, confidence and normals in closed form from the pixels', async () => {
  const [W, H] = [64, 48];
  const photo = randomPhoto(W, H, 3);
  const maps = await runDepth(standIn(entryWith({ mode: 'stretch', width: W, height: H }, true), asymmetric), photo, { verticalFovDegrees: 50 });
  if (maps.kind !== 'metric') throw new Error('expected metric depth');
  const fov = 50; // the input grid is the photo's, so its field of view too
  let worst = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const c = (channel: number, xx: number) => (photo.data[3 * (y * W + Math.min(W - 1, Math.max(0, xx))) + channel] - MEAN[channel]) / STD[channel];
    const i = y * W + x;
    const logDepth = 0.7 * c(0, x) + 0.15 * (c(0, x + 1) + c(0, x - 1)) + 0.01 * fov;
    const logit = 0.025 * (W - 1) - 1 + 0.2 * c(1, x);
    const n = [0.01 * x - 0.005 * (W - 1), 0.2 * c(1, x), 1];
    const length = Math.hypot(n[0], n[1], n[2]);
    const errors = [
      Math.abs(Math.log(maps.depth[i]) - logDepth),
      Math.abs(maps.confidence![i] - 1 / (1 + Math.exp(-logit))),
      ...n.map((v, a) => Math.abs(maps.normals![3 * i + a] - v / length)),
    ];
    worst = Math.max(worst, ...errors);
  }
  assert.ok(worst < 1e-5, `worst error ${worst}`);
});

test('a mirror-equivariant model gives the same maps with and without mirrorAverage; without it, one run', async () => {
  for (const [what, width, height, resize] of CASES) {
    const photo = randomPhoto(width, height, 11 * width);
    for (const resolution of ['model', 'image'] as const) {
      const twice = standIn(entryWith(resize, true), equivariant);
      const once = standIn(entryWith(resize, false), equivariant);
      const options = { verticalFovDegrees: 55, resolution };
      assertMapsClose(await runDepth(twice, photo, options), await runDepth(once, photo, options), 1e-6, `${what}, resolution ${resolution}`);
      assert.equal(twice.feeds.length, 2);
      assert.equal(once.feeds.length, 1);
    }
  }
  // The asymmetric model is not equivariant: averaging changes its maps (so the comparison above can tell).
  const photo = randomPhoto(64, 48, 5);
  const resize: ResizePolicy = { mode: 'stretch', width: 64, height: 48 };
  await assert.rejects(async () =>
    assertMapsClose(await runDepth(standIn(entryWith(resize, true), asymmetric), photo), await runDepth(standIn(entryWith(resize, undefined), asymmetric), photo), 1e-3, 'asymmetric'),
  );
});

test("the mirrored tensor is the mirrored photo's input tensor (the plan is centred), for pad, crop and stretch", () => {
  const spec = entryWith({ mode: 'pad', longSide: 64, multipleOf: 16 }, true).inputs[0];
  if (spec.kind !== 'image') throw new Error('expected the image input');
  const policies: ResizePolicy[] = [
    { mode: 'pad', longSide: 64, multipleOf: 16 },
    { mode: 'crop', longSide: 64, multipleOf: 16 },
    { mode: 'stretch', longSide: 64, multipleOf: 14 },
    { mode: 'pad', width: 40, height: 40 },
    { mode: 'crop', width: 40, height: 40 },
    { mode: 'pad', longSide: 256, multipleOf: 16 }, // enlarging
  ];
  for (const [width, height] of [[70, 100], [101, 67], [33, 90], [200, 41]]) {
    const photo = randomPhoto(width, height, width * height);
    const mirroredPhoto = { width, height, data: new Float32Array(photo.data.length) };
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      mirroredPhoto.data.set(photo.data.subarray(3 * (y * width + x), 3 * (y * width + x) + 3), 3 * (y * width + width - 1 - x));
    }
    for (const resize of policies) {
      const plan = planInput(width, height, resize);
      const dims = [1, 3, plan.inputHeight, plan.inputWidth];
      const expected = imageToTensor(mirroredPhoto, plan, { ...spec, resize });
      const actual = mirrorLastAxis(imageToTensor(photo, plan, { ...spec, resize }), dims);
      const worst = actual.reduce((w, v, i) => Math.max(w, Math.abs(v - expected[i])), 0);
      assert.ok(worst < 1e-5, `${width}x${height} ${JSON.stringify(resize)}: worst ${worst}`);
      // A plan shifted off centre by half an input pixel would not be (so this comparison can tell).
      const shiftedPlan = { ...plan, offsetX: plan.offsetX + 0.5 };
      const shiftedExpected = imageToTensor(mirroredPhoto, shiftedPlan, { ...spec, resize });
      const shiftedWorst = mirrorLastAxis(imageToTensor(photo, shiftedPlan, { ...spec, resize }), dims).reduce((w, v, i) => Math.max(w, Math.abs(v - shiftedExpected[i])), 0);
      assert.ok(shiftedWorst > 1e-3, `${width}x${height} ${JSON.stringify(resize)}: the shifted plan is mirror-symmetric too (${shiftedWorst})`);
    }
  }
});

test('the mirrored run must return the same shapes; the signal is checked between the runs', async () => {
  const entry = entryWith({ mode: 'stretch', width: 32, height: 24 }, true);
  const photo = randomPhoto(32, 24, 9);
  const base = standIn(entry, asymmetric);
  let runs = 0;
  const shrinking: Model = {
    ...base,
    async run(feeds) {
      const outputs = await base.run(feeds);
      if (runs++ === 0) return outputs;
      return { ...outputs, logit: { data: outputs.logit.data.subarray(0, 24 * 31), dims: [1, 24, 31] } };
    },
  };
  await assert.rejects(runDepth(shrinking, photo), { message: "fake: output 'logit': expected the mirrored run to return the same shape 1 x 24 x 32, found 1 x 24 x 31" });
  const missing = { ...base, run: async (feeds: Outputs) => (runs++ % 2 === 0 ? base.run(feeds) : { log_depth: (await base.run(feeds)).log_depth }) };
  runs = 0;
  await assert.rejects(runDepth(missing, photo), { message: "fake: output 'logit': expected the mirrored run to return it too, found no such output" });

  const controller = new AbortController();
  const counted = standIn(entry, asymmetric);
  const aborting: Model = { ...counted, run: async (feeds) => { const out = await counted.run(feeds); controller.abort(); return out; } };
  await assert.rejects(runDepth(aborting, photo, { signal: controller.signal }), { name: 'AbortError' });
  assert.equal(counted.feeds.length, 1, 'no second run after an abort');
});

test('averageMirroredOutputs leaves outputs runDepth does not read as they came', () => {
  const entry = { ...entryWith({ mode: 'stretch', width: 4, height: 2 }, true) };
  const specs = [...entry.outputs, { name: 'extra', layout: 'NCHW' as const, meaning: 'other' as const }];
  const t = (values: number[], dims: number[]): TensorData => ({ data: Float32Array.from(values), dims });
  const first = { extra: t([1, 2, 3], [3]), log_depth: t([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 4]) };
  const mirrored = { extra: t([9, 9, 9], [3]), log_depth: t([40, 30, 20, 10, 80, 70, 60, 50], [1, 1, 2, 4]) };
  const out = averageMirroredOutputs('fake', specs, first, mirrored);
  assert.deepEqual(Object.keys(out), ['extra', 'log_depth']);
  assert.equal(out.extra, first.extra);
  assert.deepEqual([...out.log_depth.data], [5.5, 11, 16.5, 22, 27.5, 33, 38.5, 44]);
});

test('the fixture network through onnxruntime: mirrored, its depth and confidence are unchanged and its normals lose their x', async () => {
  // builtin-like.onnx works per pixel: log depth 0.5 x0 + 0.25 x1 (+ a fov term), confidence sigmoid(x2),
  // normal normalize(x0, x1, 2) in OpenCV axes. Per-pixel maps are mirror-equivariant, except that the
  // mirrored run's normal x, negated, cancels the first's: the average normal is normalize(0, x1, 2).
  const { entry, bytes } = fixtureModel('builtin');
  const image = entry.inputs[0];
  const mirroredEntry = { ...entry, inputs: entry.inputs.map((i) => (i === image ? { ...i, mirrorAverage: true } : i)) };
  const [plain, mirrored] = [await loadModel(entry, bytes), await loadModel(mirroredEntry, bytes)];
  try {
    const photo = randomPhoto(200, 120, 17);
    const [a, b] = [await runDepth(plain, photo, { verticalFovDegrees: 50 }), await runDepth(mirrored, photo, { verticalFovDegrees: 50 })];
    if (a.kind !== 'metric' || b.kind !== 'metric') throw new Error('expected metric depth');
    let worst = 0;
    for (let i = 0; i < a.depth.length; i++) {
      worst = Math.max(worst, Math.abs(b.depth[i] / a.depth[i] - 1), Math.abs(b.confidence![i] - a.confidence![i]));
      const [x, y, z] = [0, 1, 2].map((k) => a.normals![3 * i + k]);
      const n = Math.hypot(y, z); // (x, y, z) = normalize(x0, -x1, -2): without x, renormalised
      worst = Math.max(worst, Math.abs(b.normals![3 * i]), Math.abs(b.normals![3 * i + 1] - y / n), Math.abs(b.normals![3 * i + 2] - z / n));
    }
    assert.ok(worst < 1e-5, `worst ${worst}`);
  } finally {
    await Promise.all([plain.release(), mirrored.release()]);
  }
});
