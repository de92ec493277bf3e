/**
 * Whether the CLI runs its model on a thread of its own (worker-model.ts says why only where a core
 * is free). Plain JavaScript: bin/worldsplat.mjs asks it before any TypeScript has loaded, to start
 * that thread first thing (early-model-worker.mjs).
 */

/**
 * Why the model should open in-process rather than on a thread, or undefined to use the thread:
 * `setting` is WORLDSPLAT_MODEL_THREAD ('1' forces the thread, '0' forbids it); otherwise the thread
 * is used where the 1-minute load average leaves a core free.
 *
 * @param {string | undefined} setting
 * @param {number} load1
 * @param {number} cores
 * @returns {string | undefined}
 */
export function reasonNotToThread(setting, load1, cores) {
  if (setting === '1') return undefined;
  if (setting === '0') return 'turned off by WORLDSPLAT_MODEL_THREAD=0';
  if (cores < 2 || load1 > cores - 1) return `no core free (load average ${load1.toFixed(2)} on ${cores} cores)`;
  return undefined;
}
