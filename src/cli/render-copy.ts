/**
 * The render thread's side (render-worker.mjs loads this, bundled): its own copy of the world's
 * splats, kept by the appends the main thread posts, and bands of rows rendered from it
 * (band-render.ts). render-thread.ts is the other end and says why.
 *
 * The copy is checked, not trusted: every band names the count of splats the main thread rendered
 * from, and a copy that holds another count refuses it (the main thread then renders the picture
 * itself).
 */
import type { Intrinsics, Pose } from '../core/camera.ts';
import { seededRandom } from '../core/random.ts';
import { SplatCloud, type SplatColumns } from '../core/splat-cloud.ts';
import type { CompositeResult } from '../render/composite.ts';
import { type RenderOptions, renderRows } from '../render/rasterizer.ts';
import { reserveRoom } from './tour-room.ts';

/** Splats appended to the copy: `start` must be the count it holds (a `start` of 0 starts a new copy). */
export interface AppendMessage {
  type: 'append';
  start: number;
  /**
   * splats a new copy (`start` 0) makes room for (tour-room.ts): the copy's appends are made just before
   * the band the main thread waits for, so regrowing it at a stop would lengthen that stop's render
   */
  room?: number;
  columns: SplatColumns;
  /** the world's SH degree (a new copy carries it; appends keep the copy's) */
  shDegree: 0 | 1 | 2 | 3;
}

export interface BandMessage {
  type: 'render';
  id: number;
  /** splats the picture is rendered from (the copy must hold exactly these) */
  count: number;
  /** a Pose as posted (its fields; only position and cameraFromWorld are read by the projection) */
  pose: Pose;
  intrinsics: Intrinsics;
  rows: [number, number];
  background?: [number, number, number];
  /** set to `id` by the main thread when this band is no longer wanted */
  cancel: Int32Array;
}

export class RenderCopy {
  private cloud: SplatCloud | undefined;

  append(message: AppendMessage): void {
    const part = SplatCloud.fromColumns(message.columns);
    if (message.start === 0) {
      const copy = SplatCloud.create(0, message.shDegree);
      reserveRoom(copy, message.room ?? 0);
      this.cloud = copy.append(part);
      return;
    }
    const held = this.cloud?.count ?? 0;
    if (message.start !== held) {
      this.cloud = undefined; // a copy with a gap: refuse every band until a new copy starts
      throw new Error(`render thread: expected splats appended at ${held}, found them at ${message.start}`);
    }
    this.cloud!.append(part);
  }

  render(message: BandMessage): CompositeResult {
    const held = this.cloud?.count ?? 0;
    if (!this.cloud || held !== message.count) throw new Error(`render thread: expected a copy of ${message.count} splats, found ${held}`);
    const { id, cancel } = message;
    const options: RenderOptions = {
      background: message.background,
      // Called every few thousand splats: the main thread's abort reaches the band through `cancel`.
      onProgress: () => {
        if (Atomics.load(cancel, 0) === id) throw new Error('render thread: cancelled');
      },
    };
    return renderRows(this.cloud, message.pose, message.intrinsics, message.rows, options);
  }
}

/**
 * Runs the band code a few times on a small random cloud, so the thread's first real band runs
 * optimised code, as the main thread's render does after explore's warm-up.
 */
export function primeRenderCopy(): void {
  const random = seededRandom(5);
  const n = 3000;
  const positions = new Float32Array(3 * n), scales = new Float32Array(3 * n), rotations = new Float32Array(4 * n);
  const opacities = new Float32Array(n), colors = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    positions.set([random() * 4 - 2, random() * 3 - 1.5, -2 - 4 * random()], 3 * i);
    scales.set([0.01 + 0.05 * random(), 0.01 + 0.05 * random(), 0.005], 3 * i);
    rotations.set([1, random() - 0.5, random() - 0.5, random() - 0.5], 4 * i);
    opacities[i] = 0.3 + 0.7 * random();
    colors.set([random(), random(), random()], 3 * i);
  }
  const copy = new RenderCopy();
  copy.append({ type: 'append', start: 0, columns: { positions, scales, rotations, opacities, colors }, shDegree: 0 });
  const pose = { position: [0, 0, 0], cameraFromWorld: [1, 0, 0, 0, 1, 0, 0, 0, 1] } as unknown as Pose;
  const intrinsics = { width: 96, height: 72, fx: 62, fy: 62, cx: 48, cy: 36 };
  for (let i = 0; i < 4; i++) copy.render({ type: 'render', id: -1, count: n, pose, intrinsics, rows: [i * 8, 72 - i * 8], cancel: new Int32Array(1) });
}
