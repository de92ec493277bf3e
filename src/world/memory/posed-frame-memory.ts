/**
 * PosedFrameMemory: every generated view, with its camera, a downsampled copy of what it saw and the
 * splats it produced, and retrieval of the views most relevant to a new camera.
 *
 * Budget: pictures are kept with their long side <= maxLongSide (default 128; 128 x 96 for 4:3):
 * RGB 3 B + depth float32 4 B + confidence 1 B = 8 B per pixel = 98,304 B per 128 x 96 frame, plus
 * ~1 KB of retrieval index (27 float64 camera and frustum values, 16 x 12 float32 depth cells) and the
 * pose. 10,000 frames: ~0.99 GB (983 MB pictures, 9.8 MB index). At maxLongSide 256 it would be 4x
 * that, too much for a browser tab over a long walk, hence the default.
 *
 * Retrieval (nearest): relevance = share of 64 points sampled in the query's frustum that a frame
 * sees (frame-index.ts), after a conservative cone/reach pre-filter; ties go to the nearer eye,
 * then the older frame (lower id).
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import type { FloatField, RgbImage } from '../../core/image.ts';
import { shrinkConfidence, shrinkDepth, shrinkRgb } from './downsample-frame.ts';
import { FrameIndex } from './frame-index.ts';
import { type MemoryFrame, storedSize } from './frame.ts';
import { type QueryRange, querySamples } from './query-samples.ts';

export interface FrameInput {
  pose: Pose;
  /** intrinsics of `image` */
  intrinsics: Intrinsics;
  image: RgbImage;
  /** metres along the view axis, any resolution covering the image's field of view; <= 0 = sky/unknown */
  depth: FloatField;
  /** 0..1, any resolution covering the image's field of view; absent = 1 */
  confidence?: FloatField;
  prompt?: string | null;
}

export interface SplatRange {
  splatStart: number;
  splatCount: number;
}

export interface RetrievedFrame {
  frame: MemoryFrame;
  /** share (0..1] of the query's frustum samples this frame sees */
  score: number;
}

export interface MemoryOptions {
  /** long side of the stored pictures; default 128 */
  maxLongSide?: number;
  /** milliseconds for time stamps; default Date.now */
  now?: () => number;
}

export class PosedFrameMemory {
  readonly maxLongSide: number;
  private readonly now: () => number;
  private readonly list: MemoryFrame[] = [];
  private readonly byId = new Map<number, MemoryFrame>();
  private readonly index = new FrameIndex();
  private scratch = new Int32Array(0);

  constructor(options: MemoryOptions = {}) {
    this.maxLongSide = options.maxLongSide ?? 128;
    if (!(Number.isInteger(this.maxLongSide) && this.maxLongSide >= 1)) {
      throw new Error(`memory: expected maxLongSide as a positive integer, found ${options.maxLongSide}`);
    }
    this.now = options.now ?? (() => Date.now());
  }

  get size(): number {
    return this.list.length;
  }

  /** Frames in the order they were added. */
  get frames(): readonly MemoryFrame[] {
    return this.list;
  }

  get(id: number): MemoryFrame | undefined {
    return this.byId.get(id);
  }

  /** Records a generated view (downsampled) with the splat range it produced; returns the record. */
  add(input: FrameInput, range: SplatRange): MemoryFrame {
    checkIntrinsics(input.intrinsics);
    if (input.image.width !== input.intrinsics.width || input.image.height !== input.intrinsics.height) {
      throw new Error(`memory: expected the image to be ${input.intrinsics.width}x${input.intrinsics.height} as its intrinsics say, found ${input.image.width}x${input.image.height}`);
    }
    const { width, height } = storedSize(input.image.width, input.image.height, this.maxLongSide);
    const last = this.list[this.list.length - 1];
    return this.insert({
      id: last ? last.id + 1 : 0,
      pose: input.pose,
      intrinsics: { ...input.intrinsics },
      width,
      height,
      rgb: shrinkRgb(input.image, width, height),
      depth: shrinkDepth(input.depth, width, height),
      confidence: shrinkConfidence(input.confidence, width, height),
      splatStart: range.splatStart,
      splatCount: range.splatCount,
      prompt: input.prompt ?? null,
      timestamp: this.now(),
    });
  }

  /** Takes back a frame as stored (from a bundle), as it is: no resampling. Ids must keep growing. */
  restore(frame: MemoryFrame): MemoryFrame {
    checkIntrinsics(frame.intrinsics);
    const pixels = frame.width * frame.height;
    if (!(Number.isInteger(frame.width) && Number.isInteger(frame.height) && pixels > 0) || frame.rgb.length !== 3 * pixels
      || frame.depth.length !== pixels || frame.confidence.length !== pixels) {
      throw new Error(`memory: expected frame ${frame.id} pictures of ${frame.width}x${frame.height} (rgb ${3 * pixels}, depth and confidence ${pixels} values), found ${frame.rgb.length}, ${frame.depth.length}, ${frame.confidence.length}`);
    }
    const last = this.list[this.list.length - 1];
    if (!(Number.isInteger(frame.id) && frame.id >= 0) || (last && frame.id <= last.id)) {
      throw new Error(`memory: expected frame ids to grow from ${last ? last.id + 1 : 0}, found ${frame.id}`);
    }
    return this.insert(frame);
  }

  /**
   * The k frames that see most of what a camera at `pose` with `intrinsics` would look at (scored by
   * view-frustum overlap with occlusion by each frame's depth), best first; frames that see none of
   * it are left out, so fewer than k may come back.
   */
  nearest(pose: Pose, intrinsics: Intrinsics, k: number, range: QueryRange = {}): RetrievedFrame[] {
    return this.retrieve(pose, intrinsics, k, range, true);
  }

  /** nearest() scoring every frame, without the pre-filter: the anchor of the benchmark, and its check. */
  nearestBruteForce(pose: Pose, intrinsics: Intrinsics, k: number, range: QueryRange = {}): RetrievedFrame[] {
    return this.retrieve(pose, intrinsics, k, range, false);
  }

  /** Bytes held by the stored pictures (the bulk of the memory). */
  pictureBytes(): number {
    let bytes = 0;
    for (const f of this.list) bytes += f.rgb.byteLength + f.depth.byteLength + f.confidence.byteLength;
    return bytes;
  }

  private insert(frame: MemoryFrame): MemoryFrame {
    if (!(Number.isInteger(frame.splatStart) && Number.isInteger(frame.splatCount) && frame.splatStart >= 0 && frame.splatCount >= 0)) {
      throw new Error(`memory: expected a splat range of non-negative integers, found start ${frame.splatStart}, count ${frame.splatCount}`);
    }
    if (!Number.isFinite(frame.timestamp)) throw new Error(`memory: expected a finite time stamp, found ${frame.timestamp}`);
    this.list.push(frame);
    this.byId.set(frame.id, frame);
    this.index.add(frame);
    return frame;
  }

  private retrieve(pose: Pose, intrinsics: Intrinsics, k: number, range: QueryRange, prefilter: boolean): RetrievedFrame[] {
    if (!(Number.isInteger(k) && k >= 0)) throw new Error(`memory: expected k as a non-negative integer, found ${k}`);
    checkIntrinsics(intrinsics);
    const samples = querySamples(pose, intrinsics, range);
    if (this.scratch.length < this.list.length) this.scratch = new Int32Array(Math.max(64, this.list.length * 2));
    const ids = this.scratch;
    let n: number;
    if (prefilter) n = this.index.candidates(samples, ids);
    else for (n = 0; n < this.list.length; n++) ids[n] = n;
    // Top k so far, best first. Once k are held, a frame must reach the k-th one's count to matter,
    // which lets seenCount stop early; the brute-force anchor always counts every sample.
    const best: Hit[] = [];
    for (let j = 0; j < n && k > 0; j++) {
      const i = ids[j];
      const need = prefilter && best.length === k ? best[k - 1].seen : 1;
      const seen = this.index.seenCount(i, samples, need);
      if (seen < need) continue;
      const hit = { i, seen, dist: this.index.eyeDistanceSquared(i, pose.position) };
      if (best.length === k && !ranksAbove(hit, best[k - 1])) continue;
      let at = best.length;
      while (at > 0 && ranksAbove(hit, best[at - 1])) at--;
      best.splice(at, 0, hit);
      if (best.length > k) best.pop();
    }
    return best.map((h) => ({ frame: this.list[h.i], score: h.seen / samples.count }));
  }
}

interface Hit {
  /** position in the memory (ids grow with it, so a lower i is an older frame) */
  i: number;
  seen: number;
  dist: number;
}

/** More samples seen, then the nearer eye, then the older frame. */
const ranksAbove = (a: Hit, b: Hit): boolean => (a.seen !== b.seen ? a.seen > b.seen : a.dist !== b.dist ? a.dist < b.dist : a.i < b.i);

function checkIntrinsics(k: Intrinsics): void {
  const ok = Number.isInteger(k.width) && Number.isInteger(k.height) && k.width > 0 && k.height > 0
    && k.fx > 0 && k.fy > 0 && Number.isFinite(k.fx) && Number.isFinite(k.fy) && Number.isFinite(k.cx) && Number.isFinite(k.cy);
  if (!ok) throw new Error(`memory: expected intrinsics with a positive integer size and positive finite focal lengths, found ${k.width}x${k.height}, fx ${k.fx}, fy ${k.fy}`);
}
