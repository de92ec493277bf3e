/**
 * The thread that computes the top rows of the lift's colour stage for `worldsplat generate`
 * (src/cli/colour-worker.mjs is the other end; colour-worker.mjs says why it is not the model's thread).
 *
 * generate starts it once the photo is decoded, while the main thread waits for the model's depth:
 * the thread boots and primes its code on a core that would otherwise idle, and is ready long before
 * the lift hands it a band. It goes with the model's thread: where no core is free (worker-model.ts,
 * reasonNotToThread) there is neither, and the main thread computes every row, the same colours bit
 * for bit. A thread that fails or dies costs nothing but time: inputViewColoursSplit computes a band
 * that did not come back itself.
 */
import type { Worker } from 'node:worker_threads';
import type { ColourBand, ColourBandRunner } from '../world/input-view-colours-bands.ts';
import { type ThreadReplies, startBandThread } from './thread-replies.ts';

type Reply =
  | { type: 'ready'; at: number; cpu: number }
  | { type: 'coloured'; id: number; colours: Float32Array; cpu: number }
  | { type: 'failed'; id?: number; message: string };

export class ColourThread {
  private readonly worker: Worker | undefined;
  private readonly startedAt = performance.now();
  private dead: string | undefined;
  private ready: { at: number; cpu: number } | undefined;
  /** the last band: its rows, when it was sent and answered (performance.now()), the thread's CPU ms for it */
  private band: { rows: number; of: number; sent: number; answered: number; cpu: number } | undefined;
  private readonly replies: ThreadReplies<number, Reply> | undefined;
  private nextId = 0;

  /** Starts the thread now; `off` (a reason, from reasonNotToThread) starts none. */
  static start(off?: string): ColourThread {
    return new ColourThread(off);
  }

  private constructor(off: string | undefined) {
    const started = startBandThread<Reply>(new URL('./colour-worker.mjs', import.meta.url), off, (why) => this.die(why), (ready) => {
      this.ready = ready;
    });
    if (typeof started === 'string') {
      this.dead = started;
      return;
    }
    this.worker = started.worker;
    this.replies = started.replies;
  }

  /**
   * A runner for inputViewColoursSplit, or undefined where the thread is not running (the main
   * thread then computes every row). The band holds copies of exactly its rows (detachedBand) and is
   * posted as a copy, not moved: detaching a buffer in the main thread would slow its own typed-array
   * code the same way (colour-worker.mjs).
   */
  runner(): ColourBandRunner | undefined {
    if (!this.worker || this.dead) return undefined;
    return async (band: ColourBand) => {
      const id = this.nextId++;
      const sent = performance.now();
      const reply = await this.request(id, { type: 'colours', id, band });
      if (reply.type === 'failed') throw new Error(`colour thread: ${reply.message}`);
      if (reply.type !== 'coloured') throw new Error(`colour thread: expected 'coloured', found '${reply.type}'`);
      this.band = { rows: band.rows, of: band.splats.height, sent, answered: performance.now(), cpu: reply.cpu };
      return reply.colours;
    };
  }

  /**
   * For WORLDSPLAT_TIMINGS=1: when the thread started and was ready, and the band it computed (rows,
   * sent, answered, in ms since the process started; its CPU time); undefined if it computed none.
   */
  timesLine(): string | undefined {
    const b = this.band;
    if (!b) return undefined;
    const ready = this.ready ? `, ready ${(this.ready.at - performance.timeOrigin).toFixed(0)}` : '';
    const cpu = Number.isFinite(b.cpu) ? `; its CPU: ${b.cpu.toFixed(0)} ms` : '';
    return `colour thread: started ${this.startedAt.toFixed(0)}${ready}; band of ${b.rows} rows (with margins ${b.of}), sent ${b.sent.toFixed(0)}, ` +
      `answered ${b.answered.toFixed(0)} (ms since the process started)${cpu}`;
  }

  /** Ends the thread (a band still out fails). */
  async close(): Promise<void> {
    if (!this.worker || this.dead) return;
    this.die('closed');
    await this.worker.terminate();
  }

  private request(id: number, message: object): Promise<Reply> {
    if (this.dead || !this.replies) return Promise.reject(new Error(`colour thread: ${this.dead}`));
    return this.replies.request(id, message);
  }

  private die(why: string): void {
    this.dead ??= why;
    this.replies?.failAll(new Error(`colour thread: ${why}`));
  }
}
