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
 * Once its model has run, the thread has nothing left to do while the main thread lifts the depth
 * into splats: it takes the top rows of the lift's colour stage (input-view-colours-bands.ts), the
 * same colours bit for bit. That code is TypeScript, so it comes here as a bundle of its own, made and
 * cached as the CLI's (bundle-cache.mjs), loaded after the first inference so it never delays the model.
 *
 * Messages in:  { type: 'open', bytes, graphOptimizationLevel }   -> { type: 'opened', inputNames, outputNames, inputMetadata, times }
 *               { type: 'run', id, feeds: {name: {data, dims}}, fetches } -> { type: 'ran', id, outputs: {name: {type, data, dims}}, times }
 *               { type: 'colours soon' } (load the colour code once a run is done)   -> nothing
 *               { type: 'colours', id, band }                       -> { type: 'coloured', id, data, offset, length, cpu }
 *               { type: 'release' }                                 -> { type: 'released' }
 * Any failure:  { type: 'failed', id?, message } (id names the run or band that failed; none: the open did).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

/** Wall-clock moments (epoch ms), for WORLDSPLAT_TIMINGS=1: when this thread was ready, got the model, had a session. */
const at = () => performance.timeOrigin + performance.now();
/** CPU time (ms) this thread has run, where Linux says it (timings.ts does the same for the main thread); NaN elsewhere. */
const cpu = () => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
};
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

/** The colour-band code: wanted (a 'colours soon' came), and a run done (the model no longer waits for this thread). */
let coloursWanted = false, ranOnce = false;
/** @type {Promise<typeof import('../world/input-view-colours-bands.ts')> | undefined} */
let colourCode;
const loadColourCode = () => {
  colourCode ??= (async () => {
    const entry = fileURLToPath(new URL('../world/input-view-colours-bands.ts', import.meta.url));
    if (process.env.WORLDSPLAT_TSX !== '1') {
      const { bundledEntry } = await import('./bundle-cache.mjs');
      const bundle = await bundledEntry(entry, fileURLToPath(new URL('../../node_modules/.cache/worldsplat/colour-bands', import.meta.url)));
      if (bundle) return import(bundle.url);
    }
    return import(pathToFileURL(entry).href); // where this thread runs TypeScript (under tsx)
  })().then((code) => {
    code.primeColourBands(); // every branch seen before V8 optimises the loops (input-view-colours-bands.ts)
    return code;
  });
  colourCode.catch(() => undefined); // a failure surfaces at the band
  return colourCode;
};

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
      ranOnce = true;
      if (coloursWanted) loadColourCode();
    } else if (message.type === 'colours soon') {
      coloursWanted = true;
      if (ranOnce) loadColourCode();
    } else if (message.type === 'colours') {
      const { bandColours } = await loadColourCode();
      const started = cpu();
      const colours = bandColours(message.band);
      // The band's whole result moves back; the kept rows are a view into it.
      parentPort.postMessage({ type: 'coloured', id: message.id, data: colours.buffer, offset: colours.byteOffset, length: colours.length, cpu: cpu() - started }, [colours.buffer]);
    } else if (message.type === 'release') {
      await session?.release();
      session = undefined;
      parentPort.postMessage({ type: 'released' });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
