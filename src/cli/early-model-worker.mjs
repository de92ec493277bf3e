/**
 * The model's thread of `worldsplat generate`, started by bin/worldsplat.mjs before the CLI's own
 * code loads (worker-model.ts's ModelThread takes it over).
 *
 * Why: the longest road of a generate is onnxruntime's first session on that thread (~0.5 s of
 * WebAssembly start-up, model-worker.mjs), and the CLI's code takes ~0.1 s to load before the
 * command can start the thread itself. Started here, the thread boots and warms onnxruntime up while
 * the main thread loads its code, reads the model and decodes the photo.
 *
 * Only for a generate from a photo (a prompt needs no model), and only where the thread would be
 * used anyway (thread-policy.mjs). The worker is handed over through a global, not a module variable:
 * the CLI's bundle holds its own copy of this module.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { reasonNotToThread } from './thread-policy.mjs';

const KEY = Symbol.for('worldsplat.earlyModelWorker');

/**
 * Starts the model's thread if `args` (the command line after `worldsplat`) is a generate from a
 * photo and a core is free; does nothing otherwise, or where the thread cannot start (the command
 * then starts it, or opens the model in-process, as it would have).
 *
 * @param {readonly string[]} args
 */
export function startEarlyModelWorker(args) {
  if (args[0] !== 'generate' || args.some((a) => a === '--prompt' || a.startsWith('--prompt='))) return;
  if (reasonNotToThread(process.env.WORLDSPLAT_MODEL_THREAD, loadavg()[0], availableParallelism())) return;
  try {
    const worker = new Worker(new URL('./model-worker.mjs', import.meta.url));
    const early = { worker, startedAt: performance.now(), died: /** @type {string | undefined} */ (undefined) };
    worker.unref(); // a command that fails before it takes the thread must still end
    // Until ModelThread listens: a thread that fails now must not be handed over as if alive.
    worker.on('error', (error) => (early.died ??= error.message));
    worker.on('exit', (code) => (early.died ??= `exited with code ${code}`));
    /** @type {any} */ (globalThis)[KEY] = early;
  } catch {
    // no thread: the command decides again
  }
}

/**
 * The thread startEarlyModelWorker started, once (later calls: undefined), with the moment it was
 * started (performance.now()) and why it died, if it did before this call.
 *
 * @returns {{ worker: Worker, startedAt: number, died: string | undefined } | undefined}
 */
export function takeEarlyModelWorker() {
  const g = /** @type {any} */ (globalThis);
  const early = g[KEY];
  g[KEY] = undefined;
  return early;
}
