/**
 * A Model whose onnxruntime session lives on a worker thread (src/cli/model-worker.mjs), for the CLI.
 *
 * `worldsplat generate` starts the thread first thing, so the thread boots and loads onnxruntime
 * while the main thread loads the rest of the code and decodes the photo; the session (~0.1 s with
 * onnxruntime's native build, ~0.5 s of WebAssembly) is then made there, beside the main thread's work
 * instead of after it. The model computes exactly what an in-process one does (loadModelInNode: same
 * runtime, options and thread count); only the tensors cross threads (the outputs are moved, not copied).
 *
 * If the thread cannot start or dies before the session is open, the model opens in-process instead
 * (loadModelInNode), so this is only ever a way to be faster.
 *
 * Only where a core is free: the thread costs ~0.15 s more CPU (a second Node environment, a copy of
 * the model's bytes) and pays back only by running beside the main thread. On a machine already busy
 * (the 1-minute load average above cores - 1) both threads wait for the same CPU, and Linux's
 * autogroup scheduling gives a process no more CPU for having more threads: measured on the 2 shared
 * cores at load ~12, the thread made `generate` 4% slower (7.59 vs 7.28 s median of 8). So the model
 * opens in-process there. WORLDSPLAT_MODEL_THREAD=1 or 0 forces either way.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { nativeRuntimeWanted } from '../model/node/native-runtime.mjs';
import { takeEarlyModelWorker } from './early-model-worker.mjs';
import { ThreadReplies, startWorker } from './thread-replies.ts';
import { reasonNotToThread } from './thread-policy.mjs';
// Types only at the top: the thread is started before onnxruntime (which session.ts imports) loads here.
import type { Model, ModelEntry, TensorData } from '../model/index.ts';
import type { SessionSignature } from '../model/session.ts';

export { reasonNotToThread };

type Reply =
  | ({ type: 'opened'; provider: 'cpu' | 'wasm'; skipped: string[]; times: { ready: number; warmed: number; received: number; opened: number; openedCpu: number } } & SessionSignature)
  | { type: 'ran'; id: number; outputs: Record<string, { type: string; data: Float32Array; dims: number[] }>; times: { ran: number; cpu: number } }
  | { type: 'released' }
  | { type: 'failed'; id?: number; message: string };

/** One worker thread that will hold one model's session. */
export class ModelThread {
  private readonly worker: Worker | undefined;
  private readonly startedAt: number;
  private times: Extract<Reply, { type: 'opened' }>['times'] | undefined;
  private firstRun: Extract<Reply, { type: 'ran' }>['times'] | undefined;
  private dead: string | undefined;
  private readonly replies: ThreadReplies<string, Reply> | undefined;

  private markSent!: () => void;
  /**
   * Resolves once a model's bytes have been handed to the thread (or to loadModel here): a caller
   * about to block the main thread (loading libvips is ~0.1 s of synchronous require) can wait for
   * this first, so the session is being made meanwhile.
   */
  readonly sent = new Promise<void>((resolve) => (this.markSent = resolve));

  /** Starts the thread now (its boot overlaps whatever the caller does next). */
  static start(): ModelThread {
    return new ModelThread();
  }

  private constructor() {
    // The thread bin/worldsplat.mjs started before this code loaded, if it did and it still runs.
    const early = takeEarlyModelWorker();
    this.startedAt = early && !early.died ? early.startedAt : performance.now();
    const started = early && !early.died ? early.worker
      : startWorker(new URL('./model-worker.mjs', import.meta.url), reasonNotToThread(process.env.WORLDSPLAT_MODEL_THREAD, loadavg()[0], availableParallelism()));
    if (typeof started === 'string') {
      this.dead = started;
      return;
    }
    this.worker = started;
    // (unreferenced while idle: a command that fails early never opens a model)
    const replies = (this.replies = new ThreadReplies<string, Reply>(started, (why) => {
      this.dead ??= why;
      replies.failAll(new Error(`model thread: ${why}`));
    }));
    started.on('message', (reply: Reply) => {
      const key = reply.type === 'ran' || (reply.type === 'failed' && reply.id !== undefined) ? `run ${reply.id}` : reply.type === 'released' ? 'release' : 'open';
      replies.answer(key, reply);
    });
  }

  /** The model on this thread; in-process where the thread is not running. */
  async load(entry: ModelEntry, bytes: Uint8Array): Promise<Model> {
    nativeRuntimeWanted(); // a WORLDSPLAT_ONNX_RUNTIME that is neither native nor wasm fails here, as in-process
    // Posted before anything here is awaited: the thread starts on the session at once.
    const replying = this.worker && !this.dead ? this.request('open', { type: 'open', bytes, graphOptimizationLevel: 'all' }) : undefined;
    replying?.catch(() => undefined); // handled below, after the import
    this.markSent();
    const [{ checkAgainstManifest }, { loadModelInNode }] = await Promise.all([import('../model/session.ts'), import('../model/node/load-model.ts')]);
    if (!replying) return loadModelInNode(entry, bytes);
    let reply: Reply;
    try {
      reply = await replying;
    } catch {
      return loadModelInNode(entry, bytes); // the thread died: the model still opens, here
    }
    // The same words loadModel uses when a session cannot start (the thread lists each provider and why).
    if (reply.type === 'failed') {
      await this.release();
      throw new Error(`${entry.id}: could not start the model on ${reply.message.split('\n')[0]}`);
    }
    if (reply.type !== 'opened') throw new Error(`model thread: expected 'opened', found '${reply.type}'`);
    this.times = reply.times;
    try {
      checkAgainstManifest(entry, reply);
    } catch (error) {
      await this.release();
      throw error;
    }
    return new ThreadModel(entry, this, reply.provider, reply.skipped);
  }

  private nextId = 0;

  /**
   * For WORLDSPLAT_TIMINGS=1: when the thread was started, was ready, received the model, had its
   * session and finished its first inference, in ms since the process started, and the CPU time the
   * thread ran by the last two; undefined if no session opened on the thread.
   */
  timesLine(): string | undefined {
    if (!this.times) return undefined;
    const since = (epochMs: number) => (epochMs - performance.timeOrigin).toFixed(0);
    const { ready, warmed, received, opened, openedCpu } = this.times;
    const run = this.firstRun;
    // The thread's own CPU time: on a busy machine the moments above stretch with the load, these hardly do.
    const cpu = Number.isFinite(openedCpu) ? `; its CPU: ${openedCpu.toFixed(0)} ms to the session${run ? `, ${run.cpu.toFixed(0)} to the first inference` : ''}` : '';
    return `model thread: started ${this.startedAt.toFixed(0)}, ready ${since(ready)}, onnxruntime warmed up ${since(warmed)}, model received ${since(received)}, session open ${since(opened)}` +
      `${run ? `, first inference done ${since(run.ran)}` : ''} (ms since the process started)${cpu}`;
  }

  async run(entry: ModelEntry, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const id = this.nextId++;
    const plain: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(feeds)) plain[name] = { data: t.data, dims: [...t.dims] };
    const reply = await this.request(`run ${id}`, { type: 'run', id, feeds: plain, fetches: entry.outputs.map((o) => o.name) });
    if (reply.type === 'failed') throw new Error(reply.message);
    if (reply.type !== 'ran') throw new Error(`model thread: expected 'ran', found '${reply.type}'`);
    this.firstRun ??= reply.times;
    const out: Record<string, TensorData> = {};
    for (const [name, tensor] of Object.entries(reply.outputs)) {
      if (tensor.type !== 'float32') throw new Error(`${entry.id}: expected output '${name}' to be float32, found ${tensor.type}`);
      out[name] = { data: tensor.data, dims: tensor.dims };
    }
    return out;
  }

  /** Why the thread is not running (turned off, no core free, failed to start, died), or undefined while it runs. */
  get notRunning(): string | undefined {
    return this.dead; // (set whenever there is no worker: the constructor says why)
  }

  /** Releases the session and ends the thread. */
  async release(): Promise<void> {
    if (!this.worker || this.dead) return;
    try {
      await this.request('release', { type: 'release' });
    } catch {
      // the thread is gone, and the session with it
    }
    await this.worker.terminate();
  }

  private request(key: string, message: object): Promise<Reply> {
    if (this.dead || !this.replies) return Promise.reject(new Error(`model thread: ${this.dead}`));
    return this.replies.request(key, message);
  }
}

class ThreadModel implements Model {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly entry: ModelEntry,
    private readonly thread: ModelThread,
    readonly executionProvider: 'cpu' | 'wasm',
    readonly skippedProviders: readonly string[],
  ) {}

  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const result = this.queue.then(() => this.thread.run(this.entry, feeds));
    this.queue = result.catch(() => undefined);
    return result;
  }

  release(): Promise<void> {
    return this.thread.release();
  }
}
