/**
 * The main thread's side of the generator worker: one call per photo, resolving to the world's
 * splats and the generated view. Progress comes back as it happens; aborting the signal cancels the
 * job in the worker (a newer photo supersedes an older one). A failure rejects with the worker's
 * one-line message, prefixed with the file's name.
 */
import type { SplatCloud } from '../../core/splat-cloud.ts';
import { type FromWorker, type GenerateJob, type ViewMessage, cloudFromMessage } from './generate-protocol.ts';

export interface GeneratedWorld {
  splats: SplatCloud;
  view: ViewMessage;
  /** milliseconds spent in the worker per stage (decode, model, generate) */
  timings: Record<string, number>;
}

export interface PhotoGenerateOptions {
  fovDeg: number;
  maxLongSide: number;
  onProgress?: (fraction: number, stage: string) => void;
  signal?: AbortSignal;
}

export class PhotoGenerator {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (w: GeneratedWorld) => void; reject: (e: Error) => void; onProgress?: PhotoGenerateOptions['onProgress'] }>();

  async generate(name: string, bytes: Uint8Array, options: PhotoGenerateOptions): Promise<GeneratedWorld> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    // The worker gets its own copy of the bytes (transferred), so the caller's array stays usable.
    const buffer = bytes.slice().buffer;
    const job: GenerateJob = { type: 'generate', id, name, bytes: buffer, fovDeg: options.fovDeg, maxLongSide: options.maxLongSide };
    const done = new Promise<GeneratedWorld>((resolve, reject) => this.pending.set(id, { resolve, reject, onProgress: options.onProgress }));
    const onAbort = () => worker.postMessage({ type: 'cancel', id });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage(job, [buffer]);
    try {
      return await done;
    } catch (e) {
      const message = (e as Error).message;
      throw new Error(message.startsWith(name) ? message : `${name}: ${message}`);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('generator: stopped'));
    this.pending.clear();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./generate.worker.ts', import.meta.url), { type: 'module', name: 'worldsplat-generator' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    // A worker that cannot even start (script failed to load) fails every job in flight.
    worker.onerror = (event) => {
      event.preventDefault();
      const message = `generator: the worker failed (${event.message || 'it could not be loaded'})`;
      for (const p of this.pending.values()) p.reject(new Error(message));
      this.pending.clear();
      worker.terminate();
      if (this.worker === worker) this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  private receive(message: FromWorker): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    switch (message.type) {
      case 'progress':
        p.onProgress?.(message.fraction, message.stage);
        break;
      case 'done':
        this.pending.delete(message.id);
        try {
          p.resolve({ splats: cloudFromMessage(message.splats), view: message.view, timings: message.timings });
        } catch (e) {
          p.reject(e as Error);
        }
        break;
      case 'error':
        this.pending.delete(message.id);
        p.reject(new Error(message.message));
        break;
    }
  }
}
