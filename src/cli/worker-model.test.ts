/**
 * A model on its own thread (worker-model.ts) must be indistinguishable from one opened in-process
 * by loadModelInNode (the same runtime, native or WebAssembly): the same output bits for the same feeds, the same errors for a file that does not
 * start or does not match its manifest entry, and an in-process model where the thread is turned off.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { fixtureModel } from '../model/fixtures/fixtures.ts';
import { loadModelInNode } from '../model/node/load-model.ts';
import { type Model, type TensorData } from '../model/session.ts';
import { startEarlyModelWorker, takeEarlyModelWorker } from './early-model-worker.mjs';
import { ModelThread, reasonNotToThread } from './worker-model.ts';

// The thread whatever the machine's load (by default it is used only where a core is free).
process.env.WORLDSPLAT_MODEL_THREAD = '1';

const opened: Model[] = [];
after(() => Promise.all(opened.map((m) => m.release())));

/** Feeds for the fixture 'builtin' (image 1x3xHxW, fov_deg [1]) from a seeded generator. */
function feeds(seed: number, width = 64, height = 48): Record<string, TensorData> {
  const rand = seededRandom(seed);
  return {
    image: { data: Float32Array.from({ length: 3 * width * height }, () => rand() * 2 - 1), dims: [1, 3, height, width] },
    fov_deg: { data: Float32Array.of(40 + 40 * rand()), dims: [1] },
  };
}

test('on its thread the model gives the in-process model\'s outputs, bit for bit, run after run', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  const here = await loadModelInNode(entry, bytes);
  opened.push(here);
  const thread = ModelThread.start();
  const there = await thread.load(entry, bytes);
  opened.push(there);
  assert.equal(there.entry, entry);
  assert.equal(there.executionProvider, here.executionProvider);
  assert.deepEqual(there.skippedProviders, here.skippedProviders);
  const cpu = process.platform === 'linux' ? '; its CPU: \\d+ ms to the session' : '';
  assert.match(thread.timesLine() ?? '', new RegExp(`^model thread: started \\d+, ready \\d+, onnxruntime warmed up \\d+, model received \\d+, session open \\d+ \\(ms since the process started\\)${cpu}$`));
  // Two runs queued at once, as a caller may: each answer goes to its own call.
  const [a, b] = await Promise.all([there.run(feeds(1)), there.run(feeds(2, 32, 32))]);
  for (const [got, seed, w, h] of [[a, 1, 64, 48], [b, 2, 32, 32]] as const) {
    const want = await here.run(feeds(seed, w, h));
    assert.deepEqual(Object.keys(got).sort(), entry.outputs.map((o) => o.name).sort());
    for (const name of Object.keys(want)) {
      assert.deepEqual(got[name].dims, want[name].dims, name);
      assert.deepEqual(new Uint8Array(got[name].data.buffer, got[name].data.byteOffset, got[name].data.byteLength),
        new Uint8Array(want[name].data.buffer, want[name].data.byteOffset, want[name].data.byteLength), `${name}, seed ${seed}`);
    }
  }
  // After a run, the line also says when the first inference was done and the thread's CPU time by then.
  assert.match(thread.timesLine() ?? '', new RegExp(`, session open \\d+, first inference done \\d+ \\(ms since the process started\\)${cpu ? `${cpu}, \\d+ to the first inference` : ''}$`));
});

test('a file that does not start, or does not match its manifest entry, fails as loadModel fails', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  const junk = new TextEncoder().encode('not an onnx file at all');
  const inProcessJunk = await loadModelInNode(entry, junk).then(() => 'opened', (e: Error) => e.message);
  assert.match(inProcessJunk, /^builtin: could not start the model on (cpu \(.+\) or )?wasm \(.+\)$/);
  await assert.rejects(ModelThread.start().load(entry, junk), (e: Error) => e.message === inProcessJunk);
  const renamed = { ...entry, inputs: entry.inputs.map((i) => (i.name === 'image' ? { ...i, name: 'pixels' } : i)) };
  const inProcess = await loadModelInNode(renamed, bytes).then(() => 'opened', (e: Error) => e.message);
  await assert.rejects(ModelThread.start().load(renamed, bytes), (e: Error) => e.message === inProcess);
  assert.match(inProcess, /^builtin: the manifest names input 'pixels' but the ONNX file's inputs are 'image', 'fov_deg'$/);
});

test('the thread is used where a core is free, unless forced either way', () => {
  assert.equal(reasonNotToThread(undefined, 0.3, 2), undefined);
  assert.equal(reasonNotToThread(undefined, 1.0, 2), undefined);
  assert.equal(reasonNotToThread(undefined, 1.2, 2), 'no core free (load average 1.20 on 2 cores)');
  assert.equal(reasonNotToThread(undefined, 0, 1), 'no core free (load average 0.00 on 1 cores)');
  assert.equal(reasonNotToThread('1', 12, 2), undefined);
  assert.equal(reasonNotToThread('0', 0, 16), 'turned off by WORLDSPLAT_MODEL_THREAD=0');
});

test('WORLDSPLAT_MODEL_THREAD=0 opens the model in-process, and it still runs', async () => {
  const { entry, bytes } = fixtureModel('builtin');
  process.env.WORLDSPLAT_MODEL_THREAD = '0';
  let thread: ModelThread;
  try {
    thread = ModelThread.start();
  } finally {
    process.env.WORLDSPLAT_MODEL_THREAD = '1';
  }
  const model = await thread.load(entry, bytes);
  opened.push(model);
  assert.equal(thread.timesLine(), undefined); // no session was made on a thread
  const out = await model.run(feeds(3));
  assert.deepEqual(out.log_depth.dims, [1, 1, 48, 64]);
});

test('bin/worldsplat.mjs starts the thread early only for a generate from a photo, and ModelThread takes that thread over', async () => {
  for (const args of [['inspect', 'world.ply'], ['generate', '--prompt', 'a lake'], ['generate', '--prompt=a lake', '-o', 'x.ply'], []]) {
    startEarlyModelWorker(args);
    assert.equal(takeEarlyModelWorker(), undefined, args.join(' '));
  }
  process.env.WORLDSPLAT_MODEL_THREAD = '0';
  startEarlyModelWorker(['generate', 'photo.jpg']);
  assert.equal(takeEarlyModelWorker(), undefined, 'turned off');
  process.env.WORLDSPLAT_MODEL_THREAD = '1';
  const before = performance.now();
  startEarlyModelWorker(['generate', 'photo.jpg', '-o', 'x.ply']);
  // ModelThread takes it (its line dates the thread from the early start), and only once.
  const thread = ModelThread.start();
  assert.equal(takeEarlyModelWorker(), undefined, 'taken over');
  const { entry, bytes } = fixtureModel('builtin');
  const model = await thread.load(entry, bytes);
  opened.push(model);
  const started = Number(/^model thread: started (\d+),/.exec(thread.timesLine() ?? '')?.[1]);
  assert.ok(Math.abs(started - before) <= 1 + (performance.now() - before), `started ${started} near ${before.toFixed(0)}`);
  assert.deepEqual((await model.run(feeds(6))).log_depth.dims, [1, 1, 48, 64]);
});
