/**
 * An onnxruntime session on its own thread, for the CLI (src/cli/worker-model.ts is the other end).
 *
 * Why: opening a model takes the thread that creates the session ~0.1 s with onnxruntime's native
 * build and ~0.5 s with its WebAssembly (parsing the graph, optimising it, packing the weights). On the
 * main thread it waits behind, and holds up, everything else a `worldsplat generate` start does
 * (loading the CLI's code and libvips, decoding the photo); here it runs beside them on the second
 * core. The session and everything it computes are the same as in-process (src/model/node/load-model.ts):
 * the same runtime chosen the same way, the same options, one thread.
 *
 * Plain JavaScript on purpose: a worker starts from a file, and this one must run whether the CLI runs
 * from its esbuild bundle or through tsx. It knows nothing of manifests; it only holds one session.
 *
 * Messages in:  { type: 'open', bytes, graphOptimizationLevel }   -> { type: 'opened', provider ('cpu' | 'wasm'), skipped, inputNames, outputNames, inputMetadata, times }
 *               { type: 'run', id, feeds: {name: {data, dims}}, fetches } -> { type: 'ran', id, outputs: {name: {type, data, dims}}, times }
 *               { type: 'release' }                                 -> { type: 'released' }
 * Any failure:  { type: 'failed', id?, message } (id names the run that failed; none: the open did).
 *
 * (The lift's colour band runs on a thread of its own, colour-worker.mjs: this one has detached buffers.)
 */
import { parentPort } from 'node:worker_threads';
import { at, cpu } from './thread-clock.mjs';
import { importNativeRuntime, nativeSessionOptions } from '../model/node/native-runtime.mjs';
import { raiseWasmTieringBudget } from './wasm-tiering.mjs';

const WARM_UP_MODEL = warmUpModel();

/** Wall-clock moments (epoch ms) and this thread's CPU, for WORLDSPLAT_TIMINGS=1: when it was ready, had onnxruntime warmed up, got the model, had a session. */
const times = { ready: at(), warmed: 0, received: 0, opened: 0, openedCpu: NaN };

/**
 * onnxruntime is loaded and warmed up as soon as the thread runs, not when the model arrives: its
 * native build where it is installed (src/model/node/native-runtime.mjs), otherwise onnxruntime-web.
 * A first session is mostly onnxruntime starting itself, whatever the model: ~0.05 s for the native
 * build (its environment and thread pools), ~0.5 s for onnxruntime-web (compiling and instantiating
 * its 14 MB of WebAssembly, registering its kernels); after it the depth model opens in ~0.07-0.1 s.
 * So the thread opens a one-node model made here (WARM_UP_MODEL) at once, while the main thread is
 * still loading its code, reading and checking the model's 5.7 MB and decoding the photo, and the
 * real session then opens on a started runtime. For WebAssembly, V8's flags are set first
 * (wasm-tiering.mjs: they apply to modules compiled after them). If the warm-up fails, the real
 * session is made as before and any failure surfaces there.
 */
const loading = importNativeRuntime().then(async (found) => {
  const runtime = 'ort' in found
    ? { native: await warm(found.ort, nativeSessionOptions()), skipped: [] }
    : { web: await warm(await import('onnxruntime-web').then((web) => (raiseWasmTieringBudget(), web)), { executionProviders: ['wasm'] }), skipped: [`cpu (${found.why})`] };
  times.warmed = at();
  return runtime;
});
loading.catch(() => undefined); // a failure surfaces where the session is made

/**
 * The runtime, started on a one-node model (see above).
 *
 * @template {{ InferenceSession: { create(bytes: Uint8Array, options: object): Promise<{ release(): Promise<void> }> } }} Runtime
 * @param {Runtime} runtime
 * @param {object} options
 * @returns {Promise<Runtime>}
 */
async function warm(runtime, options) {
  try {
    const session = await runtime.InferenceSession.create(WARM_UP_MODEL, options);
    await session.release();
  } catch {
    // the real session says what is wrong, if anything is
  }
  return runtime;
}

/**
 * A session on the native build, or where it is missing or refuses the model, on onnxruntime-web:
 * the providers session.ts's loadModel tries in Node, in the same order, with the same options.
 *
 * @param {Uint8Array} bytes
 * @param {string} graphOptimizationLevel
 */
async function openSession(bytes, graphOptimizationLevel) {
  const runtime = await loading;
  const skipped = [...runtime.skipped];
  if (runtime.native) {
    try {
      const native = await runtime.native.InferenceSession.create(bytes, nativeSessionOptions(graphOptimizationLevel));
      return { ort: runtime.native, session: native, provider: 'cpu', skipped };
    } catch (error) {
      skipped.push(`cpu (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
    }
  }
  const web = runtime.web ?? (raiseWasmTieringBudget(), await import('onnxruntime-web'));
  try {
    const session = await web.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel });
    return { ort: web, session, provider: 'wasm', skipped };
  } catch (error) {
    // The words loadModel uses: every provider tried, with why each failed.
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error([...skipped, `wasm (${why})`].join(' or '));
  }
}

/** @type {any} the module the session came from (onnxruntime-node or onnxruntime-web: the same API) */
let ort;
/** @type {import('onnxruntime-web').InferenceSession | undefined} */
let session;

parentPort.on('message', async (message) => {
  try {
    if (message.type === 'open') {
      times.received = at();
      const opened = await openSession(message.bytes, message.graphOptimizationLevel);
      ({ ort, session } = opened);
      // Plain objects: what the manifest check reads, and what can be posted.
      const inputMetadata = session.inputMetadata.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] } : { name: m.name, isTensor: false }));
      times.opened = at();
      times.openedCpu = cpu();
      parentPort.postMessage({ type: 'opened', provider: opened.provider, skipped: opened.skipped, inputNames: [...session.inputNames], outputNames: [...session.outputNames], inputMetadata, times });
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

/**
 * The smallest useful ONNX model, y = Relu(x) for one float (65 bytes of protobuf, written out
 * here rather than shipped as a file): ModelProto { ir_version 7, graph { node Relu x -> y,
 * name "warm-up", input x and output y as float tensors of shape [1] }, opset_import { version 13 } }.
 */
function warmUpModel() {
  const text = new TextEncoder();
  /** @param {number} n */
  const varint = (n) => {
    const out = [];
    for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
    out.push(n);
    return out;
  };
  /** @param {number} no @param {number[]} bytes (a length-delimited field) */
  const field = (no, bytes) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
  /** @param {number} no @param {number} n (a varint field) */
  const int = (no, n) => [...varint(no << 3), ...varint(n)];
  /** @param {number} no @param {string} s */
  const str = (no, s) => field(no, [...text.encode(s)]);
  // TypeProto { tensor_type { elem_type FLOAT (1), shape { dim { dim_value 1 } } } }
  const floatOfOne = field(2, field(1, [...int(1, 1), ...field(2, field(1, int(1, 1)))]));
  const graph = [
    ...field(1, [...str(1, 'x'), ...str(2, 'y'), ...str(4, 'Relu')]),
    ...str(2, 'warm-up'),
    ...field(11, [...str(1, 'x'), ...floatOfOne]),
    ...field(12, [...str(1, 'y'), ...floatOfOne]),
  ];
  return Uint8Array.from([...int(1, 7), ...field(7, graph), ...field(8, int(2, 13))]);
}
