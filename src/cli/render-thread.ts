/**
 * `worldsplat explore`'s render of the world on two threads (render-worker.mjs is the other end):
 * the main thread renders the top band of rows and this thread the rest, the same picture bit for
 * bit (band-render.ts says why), so an expansion's render takes about half its time. On the sample
 * photo's world (655k splats, 512x384) the render was ~0.45 s of a first stop's ~1.2 s.
 *
 * The thread keeps its own copy of the world's splats: the whole cloud is posted once (a copy, ~37 MB
 * for 655k splats), then only the splats appended since (the world only grows: World.append; splats
 * already in it never change). Copies both ways, never a transfer: detaching a buffer in a thread
 * slows its typed-array code for good in Node 20 (colour-worker.mjs), and the main thread is the
 * hot one.
 *
 * Only where a core is free (the model's rule, thread-policy.mjs; WORLDSPLAT_RENDER_THREAD=1 or 0
 * forces either way): on a busy machine both halves wait for the same cores. A thread that cannot
 * start, fails or dies costs a one-line warning and time, never a wrong picture: the main thread
 * renders the whole picture itself from then on.
 */
import type { Worker } from 'node:worker_threads';
import type { Intrinsics, Pose } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { joinBands, splitRow } from '../render/band-render.ts';
import { type RenderResult, renderRows, renderSplats } from '../render/rasterizer.ts';
import type { AppendMessage, BandMessage } from './render-copy.ts';
import { type ThreadReplies, startBandThread } from './thread-replies.ts';
import { threadCpuMs } from './timings.ts';

type Reply =
  | { type: 'ready'; at: number; cpu: number }
  | { type: 'rendered'; id: number; color: Float32Array; alpha: Float32Array; depth: Float32Array; cpu: number; ms: number }
  | { type: 'failed'; id?: number; message: string };

/**
 * Share of the estimated work (splitRow) the main thread takes at a picture with nothing measured yet
 * (after a band rendered ahead, the tour's second stop). Warm, the thread is not slower on the same
 * work: the sample photo's world, a stop's band rendered by the same code on one thread after the
 * other, repeated (load 0.9-2.9), cost the thread 131 ms of CPU against the main thread's 135 (stop 4)
 * and 206 against 217 (stop 1), medians of 9-27. But its first real bands are: V8 is still compiling
 * projectSplats and compositeSplats for it (the main thread's are warm from the expansion warm-up),
 * and at 0.5 the sample turn's second stop cost the thread 284-338 ms of CPU against the main
 * thread's 190-215, the third 209-255 against 149-160 (balance at 0.6-0.62). A richer prime (appends;
 * wide, faint and off-image splats; messages shaped as posted) did not change that, so the share
 * starts where those stops balance. Wall times on a shared machine said ~1.4x too, with V8's own
 * background threads (compilation, GC: 200 ms of CPU during the first stop's render, 115 during the
 * second's, ~40 later) and other work taking the cores.
 */
const FIRST_MAIN_SHARE = 0.6;
/**
 * Share the main thread keeps of a picture whose band the thread renders ahead (RenderThread.ahead),
 * while the tour has not started. Not less: on 2 cores that wait is shared with the model's and the
 * expansion's warm-ups, and at 0.2 (the thread's band ~0.5 s of CPU) the tour started later by about
 * what the first stop saved.
 */
const AHEAD_MAIN_SHARE = 0.5;
/** Bounds of the share, which each picture moves halfway to the one that would have balanced it. */
const MIN_SHARE = 0.3, MAX_SHARE = 0.75;
/** Bands faster than this (ms) say too little about the threads' speeds to move the share. */
const MIN_BAND_MS = 20;

/** A band asked for before its picture (ahead): what it was asked for, to know that picture when it comes. */
interface EarlyBand {
  cloud: SplatCloud;
  count: number;
  view: number[];
  share: number;
  cut: number;
  id: number;
  answer: Promise<Reply>;
}

export class RenderThread {
  private readonly worker: Worker | undefined;
  private readonly replies: ThreadReplies<number, Reply> | undefined;
  private dead: string | undefined;
  private warned = false;
  private closed = false;
  /** the cloud the thread holds a copy of, and how many of its splats it has been sent */
  private cloud: SplatCloud | undefined;
  private sent = 0;
  private nextId = 0;
  private share = FIRST_MAIN_SHARE;
  /** the band rendered ahead (ahead), until a picture takes or drops it */
  private early: EarlyBand | undefined;
  /** id of the last band taken from ahead (timesLine says so) */
  private aheadId = -1;
  /** set to a band's id when it is no longer wanted (read by the thread while it renders) */
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4)).fill(-1);
  /** the last picture: where it was cut, each band's ms (for WORLDSPLAT_TIMINGS=1) */
  private last: { cut: number; height: number; mainMs: number; mainCpu: number; threadMs: number; threadCpu: number; waitMs: number; ahead: boolean } | undefined;

  /**
   * Starts the thread now; `off` (a reason, from reasonNotToThread) starts none. `warn` hears, once,
   * why the thread stopped being used (one line).
   */
  static start(off: string | undefined, warn: (line: string) => void): RenderThread {
    return new RenderThread(off, warn);
  }

  private constructor(off: string | undefined, private readonly warn: (line: string) => void) {
    const started = startBandThread<Reply>(new URL('./render-worker.mjs', import.meta.url), off, (why) => this.die(why));
    if (typeof started === 'string') {
      this.dead = started;
      return;
    }
    this.worker = started.worker;
    this.replies = started.replies;
  }

  /** Whether pictures are rendered on two threads (false: not started, or stopped). */
  get running(): boolean {
    return this.dead === undefined;
  }

  /**
   * Hands the thread the splats of `cloud` it does not hold yet (all of them for a cloud it has not
   * seen). render does it too; calling it early moves the first copy off the first picture's time.
   * `room`: splats a new copy makes room for (AppendMessage.room).
   */
  sync(cloud: SplatCloud, room = 0): void {
    if (this.dead || !this.worker) return;
    if (cloud !== this.cloud) {
      this.cloud = cloud;
      this.sent = 0;
    }
    if (cloud.count === this.sent && this.sent > 0) return;
    const from = this.sent, to = cloud.count;
    // postMessage copies a view's whole buffer: a column that is all of its buffer goes as it is (one
    // copy), any other is cut out first.
    const slice = (column: Float32Array, per: number) =>
      from === 0 && column.length === per * to && column.byteOffset === 0 && column.byteLength === column.buffer.byteLength ? column : column.slice(per * from, per * to);
    const sh = cloud.sh;
    const message: AppendMessage = {
      type: 'append',
      start: from,
      room,
      shDegree: cloud.shDegree,
      columns: {
        positions: slice(cloud.positions, 3), scales: slice(cloud.scales, 3), rotations: slice(cloud.rotations, 4),
        opacities: slice(cloud.opacities, 1), colors: slice(cloud.colors, 3), sh: sh ? slice(sh, 3 * cloud.shCoefficients) : null,
      },
    };
    this.worker.postMessage(message);
    this.sent = to;
  }

  /**
   * Has the thread render its band of the picture renderSplats(splats, pose, intrinsics) now, before
   * it is asked for: the band for the tour's first stop, during the wait before the tour, on the core
   * the main thread leaves idle while the model opens. The render of that picture then only renders
   * the main thread's band (AHEAD_MAIN_SHARE of the work) and takes the thread's, the same bits (the
   * splats it was rendered from are checked to be the picture's); any other picture drops it.
   */
  ahead(splats: SplatCloud, pose: Pose, intrinsics: Intrinsics): void {
    if (this.dead !== undefined || !this.replies || intrinsics.height < 2) return;
    this.dropEarly();
    this.sync(splats);
    const cut = splitRow(splats, pose, intrinsics, AHEAD_MAIN_SHARE);
    const id = this.nextId++;
    const band: BandMessage = { type: 'render', id, count: splats.count, pose, intrinsics, rows: [cut, intrinsics.height], cancel: this.cancel };
    const answer = this.replies.request(id, band);
    answer.catch(() => undefined); // awaited by the picture it is for, or dropped
    this.early = { cloud: splats, count: splats.count, view: viewKey(pose, intrinsics), share: AHEAD_MAIN_SHARE, cut, id, answer };
  }

  /**
   * renderSplats(splats, pose, intrinsics, { signal }), bit for bit, on two threads where the thread
   * runs (ExpandOptions.render). An abort rejects with the signal's reason, as renderSplats throws it.
   */
  async render(splats: SplatCloud, pose: Pose, intrinsics: Intrinsics, signal?: AbortSignal): Promise<RenderResult> {
    signal?.throwIfAborted();
    const { width, height } = intrinsics;
    if (this.dead !== undefined && this.worker && !this.closed) this.stop(this.dead); // it died since the last picture: say so, once
    if (this.dead !== undefined || !this.replies || height < 2) return renderSplats(splats, pose, intrinsics, { signal });
    let { share, cut, id, answer } = this.takeEarly(splats, pose, intrinsics) ?? { share: this.share, cut: 0, id: -1, answer: undefined };
    if (!answer) {
      this.sync(splats);
      cut = splitRow(splats, pose, intrinsics, share);
      id = this.nextId++;
      const band: BandMessage = { type: 'render', id, count: splats.count, pose, intrinsics, rows: [cut, height], cancel: this.cancel };
      answer = this.replies.request(id, band);
      answer.catch(() => undefined); // awaited below, unless this thread's own band throws first
    }
    const t0 = performance.now(), cpu0 = threadCpuMs();
    let top;
    try {
      top = renderRows(splats, pose, intrinsics, [0, cut], { signal });
    } catch (error) {
      Atomics.store(this.cancel, 0, id);
      throw error;
    }
    const t1 = performance.now(), mainCpu = threadCpuMs() - cpu0;
    let reply: Reply;
    try {
      reply = await whenAnswered(answer, signal);
    } catch (error) {
      if (signal?.aborted) {
        Atomics.store(this.cancel, 0, id);
        throw signal.reason;
      }
      this.stop((error as Error).message);
      return renderSplats(splats, pose, intrinsics, { signal });
    }
    if (reply.type !== 'rendered') {
      this.stop(reply.type === 'failed' ? reply.message : `expected a rendered band, found '${reply.type}'`);
      return renderSplats(splats, pose, intrinsics, { signal });
    }
    const ahead = id === this.aheadId;
    this.last = { cut, height, mainMs: t1 - t0, mainCpu, threadMs: reply.ms, threadCpu: reply.cpu, waitMs: performance.now() - t1, ahead };
    // Not from a band rendered ahead: it ran before the tour, cold and beside the other warm-ups, so
    // it says nothing of the threads' speeds in the tour (with the main thread at 0.05 of that picture
    // it moved the share to 0.39, and the thread's next band took twice the main thread's CPU).
    if (!ahead) this.rebalance(share, cost(t1 - t0, mainCpu), cost(reply.ms, reply.cpu));
    return { width, height, ...joinBands(width, height, [top, reply]) };
  }

  /** The band rendered ahead for this picture, if that is the picture it was for; any other is dropped. */
  private takeEarly(splats: SplatCloud, pose: Pose, intrinsics: Intrinsics): EarlyBand | undefined {
    const early = this.early;
    if (!early) return undefined;
    this.early = undefined;
    const key = viewKey(pose, intrinsics);
    if (early.cloud === splats && early.count === splats.count && key.every((v, i) => Object.is(v, early.view[i]))) {
      this.aheadId = early.id;
      return early;
    }
    Atomics.store(this.cancel, 0, early.id);
    return undefined;
  }

  private dropEarly(): void {
    if (this.early) Atomics.store(this.cancel, 0, this.early.id);
    this.early = undefined;
  }

  /**
   * Moves the main thread's share halfway to the one at which the last picture's bands, taken
   * `mainMs` and `threadMs` at `share`, would have ended together (time per unit of estimated work).
   */
  private rebalance(share: number, mainMs: number, threadMs: number): void {
    if (!(mainMs > MIN_BAND_MS && threadMs > MIN_BAND_MS)) return;
    const perMain = mainMs / share, perThread = threadMs / (1 - share);
    const balanced = perThread / (perMain + perThread);
    this.share = Math.min(MAX_SHARE, Math.max(MIN_SHARE, (this.share + balanced) / 2));
  }

  /** For WORLDSPLAT_TIMINGS=1: the last picture's cut and bands, once; undefined if it was not shared. */
  timesLine(): string | undefined {
    const b = this.last;
    this.last = undefined;
    if (!b) return undefined;
    const cpu = (ms: number) => (Number.isFinite(ms) ? ` (CPU ${ms.toFixed(0)})` : '');
    return `render thread: rows 0-${b.cut - 1} here ${b.mainMs.toFixed(0)} ms${cpu(b.mainCpu)}, ${b.cut}-${b.height - 1} there${b.ahead ? ' (ahead)' : ''} ${b.threadMs.toFixed(0)} ms${cpu(b.threadCpu)}, waited ${b.waitMs.toFixed(0)} ms`;
  }

  /** Ends the thread (a band still out fails; renders after this are the main thread's). */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.worker || this.dead) return;
    this.die('closed');
    await this.worker.terminate();
  }

  /** Stops using the thread for a reason worth a warning (it failed or died while in use). */
  private stop(why: string): void {
    this.die(why);
    if (!this.warned) {
      this.warned = true;
      this.warn(`${why.startsWith('render thread') ? why : `render thread: ${why}`}; rendering on one thread from here on`);
    }
    void this.worker?.terminate();
  }

  private die(why: string): void {
    this.dead ??= why;
    this.early = undefined;
    this.cloud = undefined;
    this.replies?.failAll(new Error(`render thread: ${why}`));
  }
}

/** What the projection reads of a view (BandMessage.pose): a band rendered ahead is for the view with these values. */
function viewKey(pose: Pose, k: Intrinsics): number[] {
  return [...pose.position, ...pose.cameraFromWorld, k.width, k.height, k.fx, k.fy, k.cx, k.cy];
}

/**
 * A band's cost for the balance: the thread's CPU time where Linux gives it, else wall time. On a
 * machine shared with other work, or with V8's own background threads, a band's wall time moves
 * with the load; its CPU time follows its work.
 */
function cost(ms: number, cpu: number): number {
  return Number.isFinite(cpu) ? cpu : ms;
}

/** The thread's answer, or the signal's abort, whichever comes first. */
function whenAnswered<T>(answer: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return answer;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
