/**
 * runDepth end to end through onnxruntime-web (WebAssembly, in Node) on the fixture networks of
 * fixtures/make_fixtures.py, whose outputs are written-down functions of the normalised input. The truth
 * is computed here from the original image with those formulas.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { fixtureModel } from './fixtures/fixtures.ts';
import type { ModelEntry } from './manifest.ts';
import { runDepth } from './run-depth.ts';
import { nodeLoadOptions } from './node/load-model.ts';
import { type LoadOptions, type Model, defaultExecutionProviders, detectCapabilities, loadModel, webBuildFor } from './session.ts';

/** The native build alone: a machine where it does not load fails these cases rather than passing on WebAssembly. */
async function nativeOnly(): Promise<LoadOptions> {
  return { ...(await nodeLoadOptions()), executionProviders: ['cpu'] };
}

const loaded: Model[] = [];
async function load(id: string, runtime: 'wasm' | 'native' = 'wasm', change?: (entry: ModelEntry) => ModelEntry): Promise<Model> {
  const { entry, bytes } = fixtureModel(id);
  const model = await loadModel(change ? change(entry) : entry, bytes, runtime === 'native' ? await nativeOnly() : {});
  loaded.push(model);
  return model;
}
after(() => Promise.all(loaded.map((m) => m.release())));

/** An RGB image whose channels are linear ramps in x and y (kept inside 0..1). */
function rampImage(width: number, height: number): { width: number; height: number; data: Float32Array; at: (x: number, y: number) => number[] } {
  const at = (x: number, y: number) => [0.1 + (0.8 * x) / width, 0.9 - (0.7 * y) / height, 0.2 + (0.3 * x) / width + (0.4 * y) / height];
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(at(x + 0.5, y + 0.5), 3 * (y * width + x));
  return { width, height, data, at };
}

/** Largest |actual - expected| / max(1, |expected|) over the pixels visited; one assertion per map keeps the test fast. */
class ErrorTally {
  worst = 0;
  where = '';
  add(actual: number, expected: number, where: string | (() => string)): void {
    const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    if (!(error <= this.worst)) {
      this.worst = Number.isNaN(error) ? Infinity : error;
      this.where = typeof where === 'string' ? where : where();
    }
  }
  check(tolerance: number, what: string): void {
    assert.ok(this.worst <= tolerance, `${what}: relative error ${this.worst} at ${this.where}`);
  }
}

test('onnxruntime-web runs WebAssembly in Node; a browser with navigator.gpu tries WebGPU first', () => {
  assert.deepEqual(detectCapabilities(), { webgpu: false });
  assert.deepEqual(defaultExecutionProviders({ webgpu: true }), ['webgpu', 'wasm']);
  assert.deepEqual(defaultExecutionProviders({ webgpu: false }), ['wasm']);
});

test("onnxruntime-web's build: Node's in Node; in a browser WebGPU's only while 'webgpu' is still to be tried", () => {
  assert.equal(webBuildFor(true, ['cpu', 'wasm']), 'node');
  assert.equal(webBuildFor(true, ['webgpu', 'wasm']), 'node');
  assert.equal(webBuildFor(false, ['webgpu', 'wasm']), 'webgpu');
  assert.equal(webBuildFor(false, ['wasm']), 'wasm'); // no adapter: the 14 MB build without WebGPU
});

test('an execution provider that cannot start is skipped, and the reason kept', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  // onnxruntime-web's Node build has no WebGPU backend, as a browser without a GPU adapter has none.
  const model = await loadModel(entry, bytes, { executionProviders: ['webgpu', 'wasm'] });
  loaded.push(model);
  assert.equal(model.executionProvider, 'wasm');
  assert.equal(model.skippedProviders.length, 1);
  assert.match(model.skippedProviders[0], /^webgpu \(.+\)$/);
  await assert.rejects(loadModel(entry, bytes, { executionProviders: ['webgpu'] }), /^Error: builtin: could not start the model on webgpu \(.+\)$/);
});

// The analytic cases on both of Node's runtimes: onnxruntime-web's WebAssembly, and the native build
// (onnxruntime-node) that the CLI uses where it is installed, against the same written-down truth.
for (const runtime of ['wasm', 'native'] as const) {
  test(`built-in signature at its native 256x256: exact per-pixel depth (exp of log depth), confidence and normals [${runtime}]`, async () => {
    const model = await load('builtin', runtime);
    assert.equal(model.executionProvider, runtime === 'native' ? 'cpu' : 'wasm');
    assert.deepEqual(model.skippedProviders, []);
    const [width, height] = [256, 256];
    const rand = seededRandom(7);
    const data = Float32Array.from({ length: width * height * 3 }, () => rand());
    const progress: number[] = [];
    const maps = await runDepth(model, { width, height, data }, { onProgress: (f) => progress.push(f) });
    assert.equal(maps.kind, 'metric');
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    assert.equal(progress.at(-1), 1);
    if (maps.kind !== 'metric') return;
    const [depth, confidence, normals] = [new ErrorTally(), new ErrorTally(), new ErrorTally()];
    for (let i = 0; i < width * height; i++) {
      const [x0, x1, x2] = [0, 1, 2].map((c) => (data[3 * i + c] - 0.5) / 0.5);
      depth.add(maps.depth[i], Math.exp(0.5 * x0 + 0.25 * x1), () => `pixel ${i}`);
      confidence.add(maps.confidence![i], 1 / (1 + Math.exp(-x2)), () => `pixel ${i}`);
      // The fixture's normal is normalize(x0, x1, 2) in OpenCV axes; ours flips y and z.
      const n = Math.hypot(x0, x1, 2);
      const expected = [x0 / n, -x1 / n, -2 / n];
      for (let a = 0; a < 3; a++) normals.add(maps.normals![3 * i + a], expected[a], () => `pixel ${i} axis ${a}`);
    }
    depth.check(1e-5, 'depth');
    confidence.check(1e-5, 'confidence');
    normals.check(1e-5, 'normals');
  });

  /**
   * The fixture adds 0.01 (fov - 60) to log depth, where fov is the vertical field of view of its input
   * grid: a photo of height H and field of view phi, scaled by s and padded to height Hin, is seen with
   * tan(fov / 2) = Hin / (s H) * tan(phi / 2).
   */
  const fovTerm = (photoFov: number, photoHeight: number, scale: number, inputHeight: number) =>
    0.01 * ((360 / Math.PI) * Math.atan((inputHeight / (scale * photoHeight)) * Math.tan((photoFov * Math.PI) / 360)) - 60);

  test(`built-in signature on a 200x120 photo of 50 degrees (padded to 256x160): the ramp comes back at the photo size [${runtime}]`, async () => {
    const model = await load('builtin', runtime);
    const image = rampImage(200, 120);
    const maps = await runDepth(model, image, { verticalFovDegrees: 50 });
    const offset = fovTerm(50, 120, 256 / 200, 160);
    assert.equal(maps.kind, 'metric');
    if (maps.kind !== 'metric') return;
    assert.equal(maps.depth.length, 200 * 120);
    const tally = new ErrorTally();
    for (let y = 4; y < 116; y++) for (let x = 4; x < 196; x++) {
      const [x0, x1] = image.at(x + 0.5, y + 0.5).map((v) => 2 * v - 1);
      // exp of a resampled linear function: the log is exact, so compare logs.
      tally.add(Math.log(maps.depth[y * 200 + x]), 0.5 * x0 + 0.25 * x1 + offset, () => `${x},${y}`);
    }
    tally.check(1e-5, 'log depth');
  });

  test(`resolution 'model': a 1000x600 photo comes back on the model's 256x154 grid, still covering the whole photo [${runtime}]`, async () => {
    const model = await load('builtin', runtime);
    const image = rampImage(1000, 600);
    const maps = await runDepth(model, image, { verticalFovDegrees: 50, resolution: 'model' });
    assert.equal(maps.kind, 'metric');
    if (maps.kind !== 'metric') return;
    // The model sees the photo at 256 px on the long side: 1000x600 -> 256x153.6 -> a 256x154 grid.
    assert.deepEqual([maps.width, maps.height], [256, 154]);
    assert.equal(maps.depth.length, 256 * 154);
    const offset = fovTerm(50, 600, 256 / 1000, 160);
    const tally = new ErrorTally();
    for (let y = 2; y < 152; y++) for (let x = 2; x < 254; x++) {
      // Grid pixel (x, y) covers the photo point ((x + 0.5) * 1000 / 256, (y + 0.5) * 600 / 154).
      const [x0, x1] = image.at(((x + 0.5) * 1000) / 256, ((y + 0.5) * 600) / 154).map((v) => 2 * v - 1);
      tally.add(Math.log(maps.depth[y * 256 + x]), 0.5 * x0 + 0.25 * x1 + offset, () => `${x},${y}`);
    }
    tally.check(1e-4, 'log depth on the model grid');
  });

  test(`Depth Anything signature: pixel_values at multiples of 14 (the fixture refuses others), relative inverse depth out [${runtime}]`, async () => {
    const model = await load('depth-anything-like', runtime);
    const image = rampImage(150, 100);
    const maps = await runDepth(model, image);
    assert.equal(maps.kind, 'relative-inverse');
    if (maps.kind !== 'relative-inverse') return;
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const tally = new ErrorTally();
    for (let y = 4; y < 96; y++) for (let x = 4; x < 146; x++) {
      const [x0, x1, x2] = image.at(x + 0.5, y + 0.5).map((v, c) => (v - mean[c]) / std[c]);
      tally.add(maps.relativeInverseDepth[y * 150 + x], 3 + 0.5 * x0 + 0.25 * x1 - 0.125 * x2, () => `${x},${y}`);
    }
    tally.check(1e-5, 'relative inverse depth');
  });

  test(`a fixed-size model with a half-resolution output: placement and upsampling are undone [${runtime}]`, async () => {
    const model = await load('half-res-fixed', runtime);
    const image = rampImage(100, 120); // padded left and right inside 48x64, output 24x32
    const maps = await runDepth(model, image);
    if (maps.kind !== 'metric') throw new Error('expected metric depth');
    // Within reach of the border, the repeated border pixels bend the ramp (2 input + 2 output pixels).
    const margin = Math.ceil(1 + (2 + 4) * (120 / 64));
    const tally = new ErrorTally();
    for (let y = margin; y < 120 - margin; y++) for (let x = margin; x < 100 - margin; x++) {
      const x0 = 2 * image.at(x + 0.5, y + 0.5)[0] - 1;
      tally.add(maps.depth[y * 100 + x], 2 + 0.5 * x0, () => `${x},${y}`);
    }
    tally.check(1e-5, 'depth');
  });

  test(`a uniform 8-bit photo gives uniform depth everywhere, borders included (padding does not leak) [${runtime}]`, async () => {
    const model = await load('builtin', runtime);
    const [width, height] = [131, 77];
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) data.set([180, 40, 90], 3 * i);
    const maps = await runDepth(model, { width, height, data });
    if (maps.kind !== 'metric') throw new Error('expected metric depth');
    // No field of view given: the manifest's default, 60 degrees for the photo (131x77 -> 256x160 input).
    const offset = fovTerm(60, 77, 256 / 131, 160);
    const expected = Math.exp(0.5 * ((180 / 255 - 0.5) / 0.5) + 0.25 * ((40 / 255 - 0.5) / 0.5) + offset);
    const tally = new ErrorTally();
    for (let i = 0; i < width * height; i++) tally.add(maps.depth[i], expected, () => `pixel ${i}`);
    tally.check(1e-6, 'depth');
  });
}

test('an aborted signal stops before inference with the abort reason', async () => {
  const model = await load('builtin');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(runDepth(model, rampImage(32, 32), { signal: controller.signal }), { name: 'AbortError' });
});

test('the manifest and the ONNX file must agree: names and fixed input size', async () => {
  await assert.rejects(
    load('builtin', 'wasm', (e) => ({ ...e, inputs: [{ ...e.inputs[0], name: 'pixels' }] })),
    { message: "builtin: the manifest names input 'pixels' but the ONNX file's inputs are 'image', 'fov_deg'" },
  );
  await assert.rejects(
    load('builtin', 'wasm', (e) => ({ ...e, outputs: [...e.outputs, { name: 'sky', layout: 'NCHW', meaning: 'other' }] })),
    { message: "builtin: the manifest names output 'sky' but the ONNX file's outputs are 'log_depth', 'confidence', 'normals'" },
  );
  await assert.rejects(
    load('half-res-fixed', 'wasm', (e) => ({ ...e, inputs: [{ ...e.inputs[0], resize: { mode: 'pad', longSide: 64, multipleOf: 16 } }] })),
    { message: "half-res-fixed: the ONNX input 'image' is fixed at 48x64 but the manifest's resize says longSide 64, multipleOf 16" },
  );
});

test('outputs of the wrong shape are named (a stand-in model, no onnxruntime)', async () => {
  const { entry } = fixtureModel('half-res-fixed');
  const fake = (dims: number[]): Model => ({
    entry,
    executionProvider: 'wasm',
    skippedProviders: [],
    run: async () => ({ depth: { data: new Float32Array(dims.reduce((a, b) => a * b)), dims } }),
    release: async () => undefined,
  });
  const image = rampImage(48, 64);
  await assert.rejects(runDepth(fake([1, 2, 32, 24]), image), { message: "half-res-fixed: output 'depth': expected shape 1 x 1 x H x W (NCHW), found 1 x 2 x 32 x 24" });
  await assert.rejects(runDepth(fake([1, 1, 24, 32]), image), { message: "half-res-fixed: output 'depth': expected a grid proportional to the 48x64 input, found 32x24" });
});

test('inverse depth, confidence logits and sky are converted (a stand-in model returning constants)', async () => {
  const { entry } = fixtureModel('half-res-fixed');
  const outputs = [
    { name: 'inv', layout: 'NCHW', meaning: 'inverse-depth' },
    { name: 'logit', layout: 'NHW', meaning: 'confidence-logit' },
    { name: 'sky', layout: 'NCHW', meaning: 'sky' },
  ] as const;
  const plane = (value: number) => new Float32Array(32 * 24).fill(value);
  const model: Model = {
    entry: { ...entry, outputs: outputs.map((o) => ({ ...o })) },
    executionProvider: 'wasm',
    skippedProviders: [],
    run: async () => ({
      inv: { data: plane(0.25), dims: [1, 1, 32, 24] },
      logit: { data: plane(Math.log(3)), dims: [1, 32, 24] },
      sky: { data: plane(1.7), dims: [1, 1, 32, 24] },
    }),
    release: async () => undefined,
  };
  const maps = await runDepth(model, rampImage(30, 40));
  if (maps.kind !== 'metric') throw new Error('expected metric depth');
  assert.ok(maps.depth.every((d) => Math.abs(d - 4) < 1e-6), 'depth = 1 / 0.25');
  assert.ok(maps.confidence!.every((c) => Math.abs(c - 0.75) < 1e-6), 'sigmoid(log 3) = 3/4');
  assert.ok(maps.sky!.every((p) => p === 1), 'sky clamped to 1');
});
