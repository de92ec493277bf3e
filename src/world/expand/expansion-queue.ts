/**
 * ExpansionQueue: camera poses come in faster than expansions finish (a viewer asks on every move), so
 *   - at most one expansion runs and at most one waits: a newer request replaces the waiting one
 *     (which settles as 'superseded'), so a fast camera never piles up work;
 *   - the running one is aborted (its AbortSignal fires, it settles as 'cancelled') when a newer
 *     request makes it stale (by default: the camera turned more than 30 degrees or moved more than
 *     a metre away from it), or on cancel();
 *   - when the running one ends, the waiting one starts.
 * Pure logic: what "run" does (expandView, in a worker or not) is given to it.
 */
import type { Pose } from '../../core/camera.ts';

export type Outcome<T> =
  | { status: 'done'; value: T }
  | { status: 'superseded' }
  | { status: 'cancelled' }
  | { status: 'failed'; error: Error };

export interface QueueOptions {
  /** whether `newer` makes the running request for `running` not worth finishing; default: turned > 30 degrees or moved > 1 m */
  isStale?: (running: Pose, newer: Pose) => boolean;
}

interface Entry<T> {
  pose: Pose;
  settle: (outcome: Outcome<T>) => void;
  controller: AbortController;
}

export class ExpansionQueue<T> {
  private running: Entry<T> | null = null;
  private waiting: Entry<T> | null = null;
  private readonly isStale: (running: Pose, newer: Pose) => boolean;

  constructor(private readonly run: (pose: Pose, signal: AbortSignal) => Promise<T>, options: QueueOptions = {}) {
    this.isStale = options.isStale ?? defaultStale;
  }

  /** Whether an expansion is running, and whether one waits. */
  get busy(): boolean { return this.running !== null; }
  get pending(): boolean { return this.waiting !== null; }

  /** Asks for an expansion at `pose`; settles when it is done, superseded, cancelled or failed (never rejects). */
  request(pose: Pose): Promise<Outcome<T>> {
    return new Promise((settle) => {
      const entry: Entry<T> = { pose, settle, controller: new AbortController() };
      if (this.waiting) this.waiting.settle({ status: 'superseded' });
      this.waiting = null;
      if (!this.running) { this.start(entry); return; }
      this.waiting = entry;
      if (this.isStale(this.running.pose, pose)) this.running.controller.abort();
    });
  }

  /** Drops the waiting request and aborts the running one. */
  cancel(): void {
    if (this.waiting) { this.waiting.settle({ status: 'cancelled' }); this.waiting = null; }
    this.running?.controller.abort();
  }

  private start(entry: Entry<T>): void {
    this.running = entry;
    const { signal } = entry.controller;
    let work: Promise<T>;
    try {
      work = this.run(entry.pose, signal);
    } catch (error) {
      work = Promise.reject(error);
    }
    // Hand over to the waiting request before settling, so a caller looking at `busy` when its outcome
    // arrives sees the queue as it now is.
    const finish = (outcome: Outcome<T>) => {
      this.running = null;
      const next = this.waiting;
      this.waiting = null;
      if (next) this.start(next);
      entry.settle(outcome);
    };
    work.then(
      (value) => finish(signal.aborted ? { status: 'cancelled' } : { status: 'done', value }),
      (error) => finish(signal.aborted ? { status: 'cancelled' } : { status: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }
}

function defaultStale(running: Pose, newer: Pose): boolean {
  const a = running.forward(), b = newer.forward();
  const cos = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const p = running.position, q = newer.position;
  return cos < Math.cos(Math.PI / 6) || Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) > 1;
}
