/**
 * The main thread's side of the generator worker: one call per photo, resolving to the world's
 * splats and the generated view. Progress comes back as it happens; aborting the signal cancels the
 * job in the worker (a newer photo supersedes an older one). A failure rejects with the worker's
 * one-line message, prefixed with the file's name.
 */
import type { SplatCloud } from '../../core/splat-cloud.ts';
import type { Pose } from '../../core/camera.ts';
import type { PosedFrame } from '../../core/posed-frame.ts';
import {
  type ExpandJob, type FromWorker, type GenerateJob, type TextJob, type ViewMessage,
  cloudFromMessage, cloudToMessage, frameFromMessage, frameToMessage,
} from './generate-protocol.ts';

export interface GeneratedWorld {
  splats: SplatCloud;
  view: ViewMessage;
  /** milliseconds spent in the worker per stage (decode, model, generate) */
  timings: Record<string, number>;
  /** text worlds: the prompt as stored in the world's frames, and the words not understood */
  prompt: string | null;
  ignored: string[];
}

/** What one expansion added (nothing when the view had no holes). */
export interface Growth {
  added: { splats: SplatCloud; frame: PosedFrame } | null;
  /** fraction of the view that was unknown before */
  unknownFraction: number;
  completer: string;
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
  private readonly pending = new Map<number, { resolve: (w: any) => void; reject: (e: Error) => void; onProgress?: PhotoGenerateOptions['onProgress'] }>();

  generate(name: string, bytes: Uint8Array, options: PhotoGenerateOptions): Promise<GeneratedWorld> {
    // The worker gets its own copy of the bytes (transferred), so the caller's array stays usable.
    const buffer = bytes.slice().buffer;
    return this.submit(name, (id) => ({ type: 'generate', id, name, bytes: buffer, fovDeg: options.fovDeg, maxLongSide: options.maxLongSide }), [buffer], options);
  }

  /** A world from words (the built-in procedural generator), made in the worker too. */
  generateText(prompt: string, options: Omit<PhotoGenerateOptions, 'maxLongSide'> & { seed?: number }): Promise<GeneratedWorld> {
    return this.submit('prompt', (id) => ({ type: 'text', id, prompt, seed: options.seed, fovDeg: options.fovDeg }), [], options);
  }

  /**
   * Grows the worker's copy of the world where a camera at `pose` sees nothing, rendering at
   * width x height; the page appends what comes back (the worker has appended it already).
   */
  expand(pose: Pose, fovDeg: number, width: number, height: number, signal?: AbortSignal): Promise<Growth> {
    const position = [...pose.position] as ExpandJob['position'];
    const rotation = [...pose.rotation] as ExpandJob['rotation'];
    return this.submit('expand', (id) => ({ type: 'expand', id, position, rotation, fovDeg, width, height }), [], { fovDeg, signal });
  }

  /** Starts the worker and has it open the depth model now, before a photo comes (generate-protocol.ts OpenModelJob). */
  openModelEarly(): void {
    this.ensureWorker().postMessage({ type: 'open-model', id: this.nextId++ });
  }

  /** The page now shows a world opened from a file: the worker grows that one from now on (a copy). */
  adopt(splats: SplatCloud, frames: readonly PosedFrame[]): void {
    const { message } = cloudToMessage(splats);
    // Copied, not transferred: the page keeps its cloud.
    this.ensureWorker().postMessage({ type: 'adopt', id: this.nextId++, splats: message, frames: frames.map(frameToMessage) });
  }

  private async submit<T = GeneratedWorld>(
    name: string, job: (id: number) => GenerateJob | TextJob | ExpandJob, transfer: Transferable[], options: Omit<PhotoGenerateOptions, 'maxLongSide'>,
  ): Promise<T> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject, onProgress: options.onProgress }));
    const onAbort = () => worker.postMessage({ type: 'cancel', id });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage(job(id), transfer);
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
          p.resolve({ splats: cloudFromMessage(message.splats), view: message.view, timings: message.timings, prompt: message.prompt, ignored: message.ignored });
        } catch (e) {
          p.reject(e as Error);
        }
        break;
      case 'expanded': {
        this.pending.delete(message.id);
        const added = message.splats && message.frame ? { splats: cloudFromMessage(message.splats), frame: frameFromMessage(message.frame) } : null;
        p.resolve({ added, unknownFraction: message.unknownFraction, completer: message.completer, timings: message.timings } satisfies Growth);
        break;
      }
      case 'error':
        this.pending.delete(message.id);
        p.reject(new Error(message.message));
        break;
    }
  }
}
