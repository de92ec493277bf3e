/**
 * Models in Node open on onnxruntime's native build (onnxruntime-node, an optional dependency that
 * this project installs) and fall back to onnxruntime-web's WebAssembly. The WebAssembly build is the
 * reference here: both must compute the shipped models' outputs alike, to float rounding. The
 * analytic fixture cases of run-depth.test.ts run on both as well.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import { ModelThread } from '../../cli/worker-model.ts';
import { fixtureModel } from '../fixtures/fixtures.ts';
import { type ModelEntry, findModel, parseManifest } from '../manifest.ts';
import { type Model, type TensorData, loadModel } from '../session.ts';
import { loadModelInNode, nodeLoadOptions } from './load-model.ts';

const opened: Model[] = [];
after(() => Promise.all(opened.map((m) => m.release())));
const keep = (m: Model) => (opened.push(m), m);

const MODELS_DIR = join(import.meta.dirname, '..', '..', '..', 'models');
function shipped(id: string): { entry: ModelEntry; bytes: Uint8Array } {
  const entry = findModel(parseManifest(JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8'))), id);
  return { entry, bytes: new Uint8Array(readFileSync(join(MODELS_DIR, entry.file!))) };
}

/** Runs `body` with WORLDSPLAT_ONNX_RUNTIME set to `value` (undefined: unset), restoring it after. */
async function withRuntime<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  const before = process.env.WORLDSPLAT_ONNX_RUNTIME;
  if (value === undefined) delete process.env.WORLDSPLAT_ONNX_RUNTIME;
  else process.env.WORLDSPLAT_ONNX_RUNTIME = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.WORLDSPLAT_ONNX_RUNTIME;
    else process.env.WORLDSPLAT_ONNX_RUNTIME = before;
  }
}

/** Seeded feeds for a model's inputs at width x height: images in 0..1, a field of view of 55 degrees. */
function feeds(entry: ModelEntry, width: number, height: number, seed: number): Record<string, TensorData> {
  const rand = seededRandom(seed);
  const out: Record<string, TensorData> = {};
  for (const input of entry.inputs) {
    if (input.kind === 'vertical-fov-degrees') {
      out[input.name] = { data: Float32Array.of(55), dims: [1] };
      continue;
    }
    const channels = input.kind === 'image' ? 3 : 1;
    // A smooth ramp plus noise: depth-like inputs stay positive (log depth 0..1.5), masks 0 or 1.
    const data = new Float32Array(channels * width * height);
    for (let i = 0; i < data.length; i++) {
      const x = (i % width) / width;
      data[i] = input.kind === 'image' ? 0.3 * x + 0.7 * rand() : input.name === 'hole' || input.name === 'sky' ? (rand() < 0.3 ? 1 : 0) : 1.5 * x * rand();
    }
    out[input.name] = { data, dims: [1, channels, height, width] };
  }
  return out;
}

test('in Node a model opens on the native build, where the project has installed it', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  const model = keep(await withRuntime(undefined, () => loadModelInNode(entry, bytes)));
  assert.equal(model.executionProvider, 'cpu');
  assert.deepEqual(model.skippedProviders, []);
  const native = keep(await withRuntime('native', () => loadModelInNode(entry, bytes)));
  assert.equal(native.executionProvider, 'cpu');
});

test('WORLDSPLAT_ONNX_RUNTIME=wasm chooses WebAssembly, in-process and on the model thread; another value is a one-line error', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  const here = keep(await withRuntime('wasm', () => loadModelInNode(entry, bytes)));
  assert.equal(here.executionProvider, 'wasm');
  // The thread reads the variable when it starts, as a fresh `worldsplat generate` does.
  const there = keep(await withRuntime('wasm', async () => {
    const before = process.env.WORLDSPLAT_MODEL_THREAD;
    process.env.WORLDSPLAT_MODEL_THREAD = '1';
    try {
      return await ModelThread.start().load(entry, bytes);
    } finally {
      if (before === undefined) delete process.env.WORLDSPLAT_MODEL_THREAD;
      else process.env.WORLDSPLAT_MODEL_THREAD = before;
    }
  }));
  assert.equal(there.executionProvider, 'wasm');
  // Both say that the native build was skipped and why (in-process said nothing, the thread this).
  assert.deepEqual(there.skippedProviders, ['cpu (WORLDSPLAT_ONNX_RUNTIME=wasm)']);
  assert.deepEqual(here.skippedProviders, there.skippedProviders);
  await assert.rejects(withRuntime('gpu', () => loadModelInNode(entry, bytes)), /^Error: WORLDSPLAT_ONNX_RUNTIME: expected native or wasm, found 'gpu'$/);
  await assert.rejects(withRuntime('gpu', () => ModelThread.start().load(entry, bytes)), /^Error: WORLDSPLAT_ONNX_RUNTIME: expected native or wasm, found 'gpu'$/);
});

test('without the native build the model runs on WebAssembly, and says why', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  const options = await nodeLoadOptions();
  const model = keep(await loadModel(entry, bytes, { ...options, native: { why: 'onnxruntime-node is not installed' } }));
  assert.equal(model.executionProvider, 'wasm');
  assert.deepEqual(model.skippedProviders, ['cpu (onnxruntime-node is not installed)']);
  // The browser never has it: 'cpu' with no native runtime given is skipped the same way.
  const browserLike = keep(await loadModel(entry, bytes, { executionProviders: ['cpu', 'wasm'] }));
  assert.deepEqual(browserLike.skippedProviders, ['cpu (only in Node, with onnxruntime-node)']);
});

for (const [id, width, height] of [['builtin', 128, 96], ['complete', 128, 96]] as const) {
  test(`the shipped '${id}' model computes the same on the native build as on WebAssembly (to float rounding)`, async () => {
    const { entry, bytes } = shipped(id);
    const native = keep(await withRuntime('native', () => loadModelInNode(entry, bytes)));
    const wasm = keep(await withRuntime('wasm', () => loadModelInNode(entry, bytes)));
    assert.deepEqual([native.executionProvider, wasm.executionProvider], ['cpu', 'wasm']);
    for (const seed of [1, 2]) {
      const input = feeds(entry, width, height, seed);
      const [a, b] = [await native.run(input), await wasm.run(input)];
      assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
      for (const name of Object.keys(b)) {
        assert.deepEqual(a[name].dims, b[name].dims, name);
        let worst = 0, scale = 0;
        for (let i = 0; i < b[name].data.length; i++) {
          worst = Math.max(worst, Math.abs(a[name].data[i] - b[name].data[i]));
          scale = Math.max(scale, Math.abs(b[name].data[i]));
        }
        // Measured: at most ~3e-7 on log depth of order 1; a wrong kernel or layout is off by far more.
        assert.ok(worst <= 1e-5 * Math.max(1, scale), `${id} ${name} (seed ${seed}): native and WebAssembly differ by ${worst} (values up to ${scale})`);
        assert.ok(scale > 0, `${id} ${name}: all zeros`);
      }
    }
  });
}
