/**
 * Clocks a worker thread reports to the main thread for WORLDSPLAT_TIMINGS=1 (model-worker.mjs,
 * colour-worker.mjs). Plain JavaScript, as the workers are.
 */
import { readFileSync } from 'node:fs';

/** Wall-clock moment (epoch ms): comparable across threads, unlike performance.now(). */
export const at = () => performance.timeOrigin + performance.now();

/** CPU time (ms) this thread has run, where Linux says it (timings.ts does the same for the main thread); NaN elsewhere. */
export const cpu = () => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
};
