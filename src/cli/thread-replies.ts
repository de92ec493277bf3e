import { Worker } from 'node:worker_threads';

/**
 * A worker thread started from `url`, or why there is none: `off` (a reason not to start one, such as
 * reasonNotToThread's) or the error starting it.
 */
export function startWorker(url: URL, off: string | undefined): Worker | string {
  if (off) return off;
  try {
    return new Worker(url);
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The answers awaited from one worker thread, by key (the CLI's model and colour threads). The thread
 * is referenced, keeping the process alive, only while an answer is awaited: an idle thread must not
 * hold a command that has finished (or failed early) open. `onDeath` hears why the thread ended (an
 * error, or its exit); failing the answers still awaited is the caller's (failAll), with its own words.
 */
export class ThreadReplies<K, R> {
  private readonly waiting = new Map<K, { resolve(r: R): void; reject(e: Error): void }>();

  constructor(private readonly worker: Worker, onDeath: (why: string) => void) {
    worker.unref();
    worker.on('error', (error) => onDeath(error.message));
    worker.on('exit', (code) => onDeath(`exited with code ${code}`));
  }

  /** Posts `message` and resolves with the answer `answer(key, ...)` hands in. */
  request(key: K, message: object): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  /** Hands `reply` to whoever awaits `key` (nobody: it is dropped). */
  answer(key: K, reply: R): void {
    const waiter = this.waiting.get(key);
    this.forget(key);
    waiter?.resolve(reply);
  }

  /** Fails every answer still awaited (the thread died or was closed). */
  failAll(error: Error): void {
    for (const [key, waiter] of [...this.waiting]) {
      this.forget(key);
      waiter.reject(error);
    }
  }

  private forget(key: K): void {
    this.waiting.delete(key);
    if (this.waiting.size === 0) this.worker.unref();
  }
}

/** What a band thread (colour-worker.mjs, render-worker.mjs) sends besides its answers; `R` includes these. */
type BandThreadNotice = { type: 'ready'; at: number; cpu: number } | { type: 'failed'; id?: number; message: string };

/**
 * A band thread started from `url` with its messages routed, or why there is none (startWorker): its
 * `ready` goes to `onReady`, an answer (or a failure) with an id to whoever awaits that id, and a
 * message without one (the thread failed outside any request) to `onDeath`, as the thread's death does.
 */
export function startBandThread<R extends { type: string; id?: number }>(
  url: URL, off: string | undefined, onDeath: (why: string) => void, onReady?: (ready: { at: number; cpu: number }) => void,
): { worker: Worker; replies: ThreadReplies<number, R> } | string {
  const worker = startWorker(url, off);
  if (typeof worker === 'string') return worker;
  const replies = new ThreadReplies<number, R>(worker, onDeath);
  worker.on('message', (reply: R) => {
    const notice = reply as unknown as BandThreadNotice;
    if (notice.type === 'ready') return onReady?.({ at: notice.at, cpu: notice.cpu });
    if (reply.id === undefined) return onDeath(notice.type === 'failed' ? notice.message : 'an answer without an id');
    replies.answer(reply.id, reply);
  });
  return { worker, replies };
}
