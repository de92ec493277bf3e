/**
 * Room for a whole `explore` tour in the world's splat storage, made before the tour. A loaded world
 * is stored at exactly its count, so without it the first stop's append copied all of it and the
 * cloud's 1.5x growth copied it again at stop 4 (the sample photo's 655k-splat turn: append stage
 * 45-70 and 54-79 ms there, 7-14 ms with the room); the render thread's copy did the same at stops 2
 * and 5, before the band the main thread waits for. The bound costs no memory the tour does not write:
 * typed arrays are zero pages until touched (a 168 MB Float32Array raised RSS by 2 MB), so only address
 * space is asked for (the sample turn's peak RSS went down, 624 -> 599 MB: no copy left behind).
 */
import type { SplatCloud } from '../core/splat-cloud.ts';

/**
 * Splats a world of `count` can hold after `stops` expansions of a width x height view: an expansion
 * lifts at most one splat per pixel (the hole pixels, expand-view.ts liftHoles), so this is never short.
 */
export function tourRoom(count: number, stops: number, width: number, height: number): number {
  return count + stops * width * height;
}

/**
 * cloud.reserve(room), or nothing where the room cannot be had (a typed array past V8's length limit,
 * address space the OS refuses): the cloud then grows at the appends as it did without the room.
 */
export function reserveRoom(cloud: SplatCloud, room: number): void {
  try {
    cloud.reserve(room);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
}
