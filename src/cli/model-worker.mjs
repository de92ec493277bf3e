/**
 * An onnxruntime-web session on its own thread, for the CLI (src/cli/worker-model.ts is the other end).
 *
 * Why: opening a model is ~0.5 s of onnxruntime's WebAssembly on the thread that creates the session
 * (parsing the graph, optimising it, packing the weights). On the main thread it waits behind, and
 * holds up, everything else a `worldsplat generate` start does (loading the CLI's code and libvips,
 * decoding the photo); here it runs beside them on the second core. The session and everything it
 * computes are the same as in-process: the same package, the same options, one WebAssembly thread.
 *
 * Plain JavaScript on purpose: a worker starts from a file, and this one must run whether the CLI runs
 * from its esbuild bundle or through tsx. It knows nothing of manifests; it only holds one session.
 *
 * Messages in:  { type: 'open', bytes, graphOptimizationLevel }   -> { type: 'opened', inputNames, outputNames, inputMetadata, times }
 *               { type: 'run', id, feeds: {name: {data, dims}}, fetches } -> { type: 'ran', id, outputs: {name: {type, data, dims}}, times }
 * *               { type: 'release' }                                 -> { type: 'released' }
 * Any failure:  { type: 'failed', id?, message } (id names the run that failed; none: the open did).
 *
 * (The lift's colour band runs on a thread of its own, colour-worker.mjs: this one has detached buffers.)
 */
import { parentPort } from 'node:worker_threads';
import { at, cpu } from './thread-clock.mjs';

/** Wall-clock moments (epoch ms) and this thread's CPU, for WORLDSPLAT_TIMINGS=1: when it was ready, got the model, had a session. */
const times = { ready: at(), received: 0, opened: 0, openedCpu: NaN };

/**
 * onnxruntime-web's JavaScript is loaded as soon as the thread runs, not when the model arrives: the
 * main thread reads and checks the model's 5.7 MB first (~0.1 s in which this thread had nothing to
 * do). Loading it runs none of its WebAssembly, which starts with the first session (after the main
 * thread has set V8's WebAssembly flags, wasm-tiering.ts).
 */
const loading = import('onnxruntime-web');
loading.catch(() => undefined); // a failure surfaces where the session is made
/** @type {import('onnxruntime-web')} */
let ort;
/** @type {import('onnxruntime-web').InferenceSession | undefined} */
let session;

parentPort.on('message', async (message) => {
  try {
    if (message.type === 'open') {
      times.received = at();
      ort ??= await loading;
      session = await ort.InferenceSession.create(message.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: message.graphOptimizationLevel });
      // Plain objects: what the manifest check reads, and what can be posted.
      const inputMetadata = session.inputMetadata.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] } : { name: m.name, isTensor: false }));
      times.opened = at();
      times.openedCpu = cpu();
      parentPort.postMessage({ type: 'opened', inputNames: [...session.inputNames], outputNames: [...session.outputNames], inputMetadata, times });
    } else if (message.type === 'run') {
      const feeds = {};
      for (const [name, t] of Object.entries(message.feeds)) feeds[name] = new ort.Tensor('float32', t.data, t.dims);
      const results = await session.run(feeds, message.fetches);
      const outputs = {};
      const transfer = [];
      for (const [name, tensor] of Object.entries(results)) {
        let data = tensor.type === 'float32' ? await tensor.getData() : new Float32Array(0);
        // Moved, not copied, where the array owns its whole buffer.
        if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) data = data.slice();
        transfer.push(data.buffer);
        outputs[name] = { type: tensor.type, data, dims: [...tensor.dims] };
      }
      parentPort.postMessage({ type: 'ran', id: message.id, outputs, times: { ran: at(), cpu: cpu() } }, transfer);
    } else if (message.type === 'release') {
      await session?.release();
      session = undefined;
      parentPort.postMessage({ type: 'released' });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
