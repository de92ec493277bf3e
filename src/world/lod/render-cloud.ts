/**
 * The splats expansion renders the world with (expand-view.ts `render`): the world's own, except that
 * a view lifted at twice or more the pixel density the tour renders at (a photo's 1024 px lift seen
 * at 512x384) comes merged 2x2 (merge-blocks.ts). It renders the known part of a stop ~3x faster and
 * is as good a picture of the world at that size (merge-blocks.ts says how that was measured); the
 * world itself is never changed: the merged splats exist only here.
 *
 * The world grows during a tour; follow() appends what it gained since (an expansion's fills are
 * lifted at the size they are rendered at, so they come as they are).
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import type { World } from '../world.ts';
import { type LiftGrid, liftGridOf } from './lift-grid.ts';
import { mergeGridBlocks } from './merge-blocks.ts';

/**
 * Pixel density (the view's splats per rendered pixel, along each axis) from which its splats are
 * merged. Measured on the sample photo's world (1024x640 lift) against its render at 3-4x the size
 * averaged down, three poses of a turn: at 1.67 splats per pixel (512x384) the merged splats' render
 * is 3.1-4.0 dB nearer that than all the splats' (29.1-30.5 against 25.1-27.4 dB); at 1.33 (640x480)
 * 0.1-1.0 dB further; at 1.11 (768x576) 3.8-4.6 dB further.
 */
const MERGE_FROM_DENSITY = 1.5;

export class RenderCloud {
  /** how many of the world's splats `cloud` stands for */
  private followed: number;

  private constructor(
    /** what to render: the world's own cloud where nothing was merged */
    readonly cloud: SplatCloud,
    followed: number,
    /** splats of the world that were merged, and how many they became */
    readonly merged: { from: number; to: number },
  ) {
    this.followed = followed;
  }

  /**
   * The render cloud of `world` with the views of `grids` merged (mergeableGrids: none, and this is the
   * world's own cloud). `room`: splats the cloud makes room for at once (the tour's appends, tour-room.ts).
   */
  static of(world: World, grids: readonly LiftGrid[], room = 0): RenderCloud {
    const splats = world.splats;
    if (grids.length === 0) return new RenderCloud(splats, splats.count, { from: 0, to: 0 });
    const cloud = SplatCloud.create(0, splats.shDegree).reserve(room);
    let at = 0, from = 0, to = 0;
    for (const grid of [...grids].sort((a, b) => a.splatStart - b.splatStart)) {
      cloud.append(splatRange(splats, at, grid.splatStart));
      to += mergeGridBlocks(splats, grid, cloud);
      from += grid.width * grid.height;
      at = grid.splatStart + grid.width * grid.height;
    }
    cloud.append(splatRange(splats, at, splats.count));
    return new RenderCloud(cloud, splats.count, { from, to });
  }

  /** The cloud to render now that the world's splats are `splats` (the same world, grown or not). */
  follow(splats: SplatCloud): SplatCloud {
    if (splats === this.cloud) return splats;
    if (splats.count < this.followed) {
      throw new Error(`render cloud: expected the world it was made for (${this.followed} splats or more), found ${splats.count} splats`);
    }
    if (splats.count > this.followed) {
      this.cloud.append(splatRange(splats, this.followed, splats.count));
      this.followed = splats.count;
    }
    return this.cloud;
  }
}

/**
 * The views of `world` whose splats a tour rendering `poses` with `intrinsics` can take merged: those
 * every pose sees at the density MERGE_FROM_DENSITY or more. From a view's own eye that is its focal
 * length against the render's; a pose nearer to what it saw sees it larger (its median depth stands
 * for that). Cheap: no splat is merged here.
 */
export function mergeableGrids(world: World, intrinsics: Intrinsics, poses: readonly Pose[]): LiftGrid[] {
  const grids: LiftGrid[] = [];
  for (const frame of world.memory.frames) {
    const grid = liftGridOf(frame, world.splats);
    if (grid && leastDensity(grid, medianDepth(frame.depth), intrinsics, poses) >= MERGE_FROM_DENSITY) grids.push(grid);
  }
  return grids;
}

/** Splats start .. end - 1 of `cloud` as a cloud over the same memory (no copy; for appending). */
function splatRange(cloud: SplatCloud, start: number, end: number): SplatCloud {
  const sh = cloud.sh, per = 3 * cloud.shCoefficients;
  return SplatCloud.fromColumns({
    positions: cloud.positions.subarray(3 * start, 3 * end),
    scales: cloud.scales.subarray(3 * start, 3 * end),
    rotations: cloud.rotations.subarray(4 * start, 4 * end),
    opacities: cloud.opacities.subarray(start, end),
    colors: cloud.colors.subarray(3 * start, 3 * end),
    sh: sh?.subarray(per * start, per * end),
  });
}

/** Median of the positive depths (metres; 0 marks sky and unknown in the memory), or NaN if there are none. */
function medianDepth(depth: Float32Array): number {
  const known = Float32Array.from(depth.filter((d) => d > 0)).sort();
  return known.length ? known[known.length >> 1] : NaN;
}

/**
 * The fewest splats of the grid per rendered pixel (along an axis) any of the poses sees, for content
 * at `depth` from the grid's eye: its focal length against the render's, times how much nearer a pose
 * may be to that content (at most the distance between the eyes).
 */
function leastDensity(grid: LiftGrid, depth: number, k: Intrinsics, poses: readonly Pose[]): number {
  if (!(depth > 0)) return 0;
  const own = Math.min(grid.intrinsics.fx / k.fx, grid.intrinsics.fy / k.fy);
  let least = own;
  const [gx, gy, gz] = grid.pose.position;
  for (const pose of poses) {
    const [px, py, pz] = pose.position;
    const nearer = (depth - Math.hypot(px - gx, py - gy, pz - gz)) / depth;
    least = Math.min(least, own * nearer);
  }
  return least;
}

/**
 * The render cloud for expansions whose poses are not known ahead (the viewer's worker): for each
 * view, the views it may take merged (mergeableGrids for that pose alone); the merged cloud is kept,
 * and followed as the world grows, while later views merge the same ones, and made again when they do
 * not (a camera moved up close to what a view saw renders it whole).
 */
export class RenderCloudCache {
  private kept: { world: World; key: string; renders: RenderCloud } | undefined;

  /** The splats to render `world` with at `pose` and `intrinsics` (the world's own where nothing merges). */
  cloudFor(world: World, intrinsics: Intrinsics, pose: Pose): SplatCloud {
    const grids = mergeableGrids(world, intrinsics, [pose]);
    if (grids.length === 0) return world.splats;
    const key = grids.map((g) => g.splatStart).join(' ');
    if (this.kept?.world !== world || this.kept.key !== key) this.kept = { world, key, renders: RenderCloud.of(world, grids) };
    return this.kept.renders.follow(world.splats);
  }
}
