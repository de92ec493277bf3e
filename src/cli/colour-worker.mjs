/**
 * A thread for the top rows of the lift's colour stage (input-view-colours-bands.ts), for the CLI
 * (src/cli/colour-thread.ts is the other end).
 *
 * Why a thread of its own, rather than the model's thread (idle too once the model has run): V8
 * compiles typed-array code on the promise that no ArrayBuffer in the thread has ever been detached,
 * and the first detach anywhere in a thread breaks that promise for good: from then on every typed
 * array access checks. onnxruntime detaches buffers whenever its WebAssembly memory grows, and the
 * model's outputs are moved out of that thread, so there the band ran ~1.4x slower per row than the
 * same rows on the main thread. Measured in one process before and after one detach: building W
 * 222-234 -> 284-505 ms, the whole 3-step colour stage 358-384 -> 417-612 ms (1024x768). Nothing here
 * detaches a buffer: the colours go back as a copy.
 *
 * The code is TypeScript, so it comes as a bundle of its own, made and cached as the CLI's
 * (bundle-cache.mjs), loaded and primed (primeColourBands) as soon as the thread runs: it is started
 * while the main thread waits for the model, long before the first band.
 *
 * Messages in:  { type: 'colours', id, band }  -> { type: 'coloured', id, colours, cpu }
 * Any failure:  { type: 'failed', id, message }
 * Out, unasked: { type: 'ready', at, cpu } once the code is loaded and primed (or { type: 'failed' } if it cannot be).
 */
import { parentPort } from 'node:worker_threads';
import { at, cpu } from './thread-clock.mjs';

const loading = (async () => {
  const { importThreadCode } = await import('./bundle-cache.mjs');
  const code = await importThreadCode(new URL('../world/input-view-colours-bands.ts', import.meta.url), 'colour-bands');
  code.primeColourBands(); // every branch seen before V8 optimises the loops (input-view-colours-bands.ts)
  return code;
})();
loading.then(
  () => parentPort.postMessage({ type: 'ready', at: at(), cpu: cpu() }),
  (error) => parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);

parentPort.on('message', async (message) => {
  try {
    if (message.type !== 'colours') throw new Error(`colour thread: expected a 'colours' message, found '${message.type}'`);
    const { bandColours } = await loading;
    const started = cpu();
    const colours = bandColours(message.band);
    // Posted as a copy (of the band's whole result, margins included: one copy, ~5 MB, ~2 ms). Moving
    // it would detach a buffer here and slow any later band (header).
    parentPort.postMessage({ type: 'coloured', id: message.id, colours, cpu: cpu() - started });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
