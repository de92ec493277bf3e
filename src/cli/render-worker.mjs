/**
 * The thread that renders a band of each picture of `worldsplat explore` (render-thread.ts is the
 * other end, render-copy.ts the code run here).
 *
 * Nothing here detaches a buffer: the world's splats arrive as copies and the band goes back as a
 * copy. In Node 20 the first detach in a thread slows its typed-array code for good (colour-worker.mjs).
 *
 * Messages in:  { type: 'append', start, room, columns, shDegree }  (no answer unless it fails)
 *               { type: 'render', id, count, pose, intrinsics, rows, background, cancel }
 *                 -> { type: 'rendered', id, color, alpha, depth, cpu, ms }
 * Any failure:  { type: 'failed', id?, message }
 * Out, unasked: { type: 'ready', at, cpu } once the code is loaded and primed (or { type: 'failed' }).
 */
import { parentPort } from 'node:worker_threads';
import { at, cpu } from './thread-clock.mjs';

const loading = (async () => {
  const { importThreadCode } = await import('./bundle-cache.mjs');
  const code = await importThreadCode(new URL('./render-copy.ts', import.meta.url), 'render-band');
  code.primeRenderCopy();
  return { code, copy: new code.RenderCopy() };
})();
loading.then(
  () => parentPort.postMessage({ type: 'ready', at: at(), cpu: cpu() }),
  (error) => parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);

parentPort.on('message', async (message) => {
  try {
    const { copy } = await loading;
    if (message.type === 'append') return copy.append(message);
    if (message.type !== 'render') throw new Error(`render thread: expected an 'append' or 'render' message, found '${message.type}'`);
    const started = cpu(), t0 = performance.now();
    const { color, alpha, depth } = copy.render(message);
    parentPort.postMessage({ type: 'rendered', id: message.id, color, alpha, depth, cpu: cpu() - started, ms: performance.now() - t0 });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: message.type === 'render' ? message.id : undefined, message: error instanceof Error ? error.message : String(error) });
  }
});
