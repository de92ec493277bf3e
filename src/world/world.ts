/**
 * World = the Gaussians (SplatCloud) + the memory of every view that produced them. append() is the
 * only way a view's splats enter: they go after the existing ones, so splats already in the world
 * are never moved or changed (a revisited place looks the same), and the frame records exactly which
 * range it produced.
 */
import type { ShDegree } from '../core/sh.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import type { MemoryFrame } from './memory/frame.ts';
import { type FrameInput, type MemoryOptions, PosedFrameMemory } from './memory/posed-frame-memory.ts';

export class World {
  readonly splats: SplatCloud;
  readonly memory: PosedFrameMemory;

  private constructor(splats: SplatCloud, memory: PosedFrameMemory) {
    this.splats = splats;
    this.memory = memory;
  }

  /** An empty world whose splats carry SH up to `shDegree` (fixed for its life, see SplatCloud.append). */
  static empty(shDegree: ShDegree = 0, options: MemoryOptions = {}): World {
    return new World(SplatCloud.create(0, shDegree), new PosedFrameMemory(options));
  }

  /** A world as saved (a bundle's splats and frames); every frame's splat range must lie in the splats. */
  static restore(splats: SplatCloud, frames: readonly MemoryFrame[], options: MemoryOptions = {}): World {
    const memory = new PosedFrameMemory(options);
    for (const f of frames) {
      if (f.splatStart + f.splatCount > splats.count) {
        throw new Error(`world: expected frame ${f.id}'s splats ${f.splatStart}..${f.splatStart + f.splatCount - 1} within the ${splats.count} splats, found them past the end`);
      }
      memory.restore(f);
    }
    return new World(splats, memory);
  }

  /** Records the view with the range its splats will occupy, then appends them; returns the record. */
  append(frame: FrameInput, splats: SplatCloud): MemoryFrame {
    // The memory checks the frame first, so a bad frame leaves the world untouched.
    const record = this.memory.add(frame, { splatStart: this.splats.count, splatCount: splats.count });
    this.splats.append(splats);
    return record;
  }
}
