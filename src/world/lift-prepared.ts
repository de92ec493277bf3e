/**
 * The parts of a lift that depend on the photo alone, computed before the depth exists.
 *
 * WHY. In a fresh `worldsplat generate` the main thread waits ~0.5 s for the model's session to open
 * on the other thread (src/cli/worker-model.ts). Whatever the lift computes from the photo alone can
 * be computed then instead of after the depth arrives: the working-size photo (shrinkPhoto), the
 * photo averaged over each depth sample for the edge-aware upsampling (its areaDownsample was ~60 ms
 * of a 1024x640 lift, profiled) and the splat cloud's arrays (SplatCloud.create, ~20 ms of
 * allocating and filling). Each is computed by the same function on the same input as in the lift,
 * so the splats are the same bit for bit (lift-prepared.test.ts).
 */
import type { Intrinsics } from '../core/camera.ts';
import type { RgbImage } from '../core/image.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { DEFAULT_MAX_LONG_SIDE, shrinkPhoto } from './lift.ts';
import { areaDownsample } from './resample.ts';

export interface PreparedLift {
  /** the photo and intrinsics it was made for (the same objects the lift is given) and the lift's maxLongSide */
  readonly source: RgbImage;
  readonly sourceIntrinsics: Intrinsics;
  readonly maxLongSide: number;
  /** shrinkPhoto(source, sourceIntrinsics, maxLongSide) */
  readonly working: { image: RgbImage; intrinsics: Intrinsics };
  /** the working photo averaged over the samples of a depth grid of this size (jointBilateralUpsample's lowGuide) */
  readonly lowGuide?: { width: number; height: number; data: Float32Array };
  /** SplatCloud.create(count) the first time for the working photo's pixel count, then null (a cloud is filled by one lift) */
  takeCloud(count: number): SplatCloud | null;
}

/**
 * Prepares a lift of `image` (with `intrinsics`, its long side shrunk to `maxLongSide`, default the
 * lift's) whose depth will come on a `depthGrid`-sized grid; a grid guessed wrong only means
 * the lift averages the photo itself. Hand the result to the lift of the same image and intrinsics
 * objects (LiftOptions.prepared): a lift of any other photo ignores it.
 */
export function prepareLift(
  image: RgbImage, intrinsics: Intrinsics, options: { maxLongSide?: number; depthGrid?: { width: number; height: number } } = {},
): PreparedLift {
  const maxLongSide = options.maxLongSide ?? DEFAULT_MAX_LONG_SIDE;
  const working = shrinkPhoto(image, intrinsics, maxLongSide);
  const { width, height } = working.image;
  const grid = options.depthGrid;
  // A grid finer than the photo is point-sampled by the upsampling, which reads no low-res guide.
  const lowGuide = grid && grid.width >= 1 && grid.height >= 1 && grid.width <= width && grid.height <= height
    ? { width: grid.width, height: grid.height, data: areaDownsample(working.image.data, width, height, 3, grid.width, grid.height) }
    : undefined;
  let cloud: SplatCloud | null = SplatCloud.create(width * height);
  return {
    source: image, sourceIntrinsics: intrinsics, maxLongSide, working, lowGuide,
    takeCloud(count: number): SplatCloud | null {
      if (!cloud || cloud.count !== count) return null;
      const taken = cloud;
      cloud = null;
      return taken;
    },
  };
}
