/**
 * generate: one photo becomes the first view of a world (the "generate" and "lift" boxes of the data
 * flow in DESIGN.md). The photo's camera is the world's origin unless a pose is given: eye (0,0,0)
 * looking down -Z, Y up, with the photo's vertical field of view.
 *
 *   photo -> depth model (metric, or relative + the built-in model for scale) -> lift -> splats
 *
 * Everything here is pure and environment-free: the caller decodes the photo and loads the models.
 */
import { type Intrinsics, Pose, intrinsicsFromFov } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { type DepthMaps, type Model, type ModelEntry, imageInputOf, relativeInverseToMetric, runDepth } from '../model/index.ts';
import { planInput } from '../model/preprocess.ts';
import { modelGridSize } from '../model/run-depth.ts';
import type { FloatField, RgbImage } from '../core/image.ts';
import type { ColourBandRunner } from './input-view-colours-bands.ts';
import { type LiftOptions, liftToSplatsAsync } from './lift.ts';
import { primeLift } from './lift-primer.ts';
import { prepareLift } from './lift-prepared.ts';
import type { FrameInput } from './memory/posed-frame-memory.ts';
import { bilinearResample } from './resample.ts';

/** Used when nothing says what the photo's field of view was; typical of phone cameras held upright. */
export const DEFAULT_VERTICAL_FOV = 60;

/**
 * Colour steps of the lift for a generated view (lift.ts colourIterations): 3, which take the sizes
 * 1.1, 2.9, 1.6 (input-view-colours.ts THREE_STEPS) rather than 1.4 four times. Measured in one run
 * (bench/colour-steps.bench.ts, model d678bb24): the photo's own view on the held-out synthetic
 * scenes 30.14 dB plain, 37.31 with 4 steps, 37.43 with 3; the views 0.5 m and 15 degrees away
 * 20.26 (4) and 20.25 dB (3); the six docs/real photos at their working size 26.64 plain, 37.27 (4),
 * 37.65 dB (3), each photo 0.2-0.5 dB above 4 steps. Cost: three quarters of the 4 steps' stepping
 * (the colour stage 219 against 295 ms at 512x384, same run).
 */
export const GENERATE_COLOUR_ITERATIONS = 3;

export interface GenerateOptions {
  /** the photo's vertical field of view in degrees; default DEFAULT_VERTICAL_FOV */
  verticalFovDegrees?: number;
  /** where the photo's camera is; default the world origin */
  pose?: Pose;
  /**
   * a metric model that fixes scale and shift when `model` gives only relative inverse depth (Depth
   * Anything); required for such models
   */
  metricReference?: Model;
  lift?: Omit<LiftOptions, 'signal' | 'onProgress'>;
  /**
   * computes the top rows of the lift's colour stage elsewhere (the CLI: its second thread) while this
   * thread does the rest; the same splats, bit for bit (input-view-colours-bands.ts)
   */
  colourElsewhere?: ColourBandRunner;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** A generated view: its splats and what the posed-frame memory keeps of it. */
export interface GeneratedView {
  splats: SplatCloud;
  pose: Pose;
  /** intrinsics for `image`'s size */
  intrinsics: Intrinsics;
  image: RgbImage;
  /** metric depth along the view axis on the model's grid over the photo (Infinity = sky) */
  depth: FloatField;
  confidence?: FloatField;
}

export async function generateFromPhoto(photo: RgbImage, model: Model, options: GenerateOptions = {}): Promise<GeneratedView> {
  const { signal, onProgress } = options;
  const fov = options.verticalFovDegrees ?? DEFAULT_VERTICAL_FOV;
  const intrinsics = intrinsicsFromFov(photo.width, photo.height, fov);
  const pose = options.pose ?? Pose.identity();

  const depthMaps = metricDepth(photo, model, fov, options.metricReference, signal, (f, s) => onProgress?.(0.6 * f, s));
  // While the model runs (on its own thread in the CLI), a tiny lift shows V8 every branch of the
  // lift's loops before it optimises them (lift-primer.ts); once per process.
  depthMaps.catch(() => undefined); // awaited just below
  primeLift(options.lift?.colourIterations ?? GENERATE_COLOUR_ITERATIONS);
  // Then what the lift computes from the photo alone (lift-prepared.ts), for the grid the depth will
  // most likely come on; the same splats whatever grid it comes on.
  const prepared = prepareLift(photo, intrinsics, { maxLongSide: options.lift?.maxLongSide, depthGrid: expectedDepthGrid(model.entry, photo) });
  const maps = await depthMaps;
  const field = (data: Float32Array | undefined): FloatField | undefined => data && { width: maps.width, height: maps.height, data };
  const depth: FloatField = { width: maps.width, height: maps.height, data: maps.depth };
  const confidence = field(maps.confidence);
  if (maps.sky) for (let i = 0; i < maps.sky.length; i++) if (maps.sky[i] > 0.5) depth.data[i] = Infinity;

  // The photo's pixels were observed, so their splats are opaque whatever the model's confidence in
  // their depth: fading them by confidence made the world see-through from the photo's own pose
  // (18 dB instead of 30 in bench/generate.bench.ts), and the confidence-based sky fill moved tree
  // trunks and facades onto the sky shell. The model's own sky output decides the sky; the confidence
  // stays with the posed frame, where coverage uses it.
  // The colours are adjusted so the photo's own view gives the photo back (input-view-colours.ts):
  // opaque splats 0.65 px wide, composited nearest first, otherwise show a pixel mostly through the
  // tails of its nearer neighbours, blurred and shifted towards the far side of every slope.
  const splats = await liftToSplatsAsync(
    { image: photo, depth, normals: field(maps.normals), intrinsics, pose },
    { colourIterations: GENERATE_COLOUR_ITERATIONS, ...options.lift, prepared, signal, onProgress: (f, s) => onProgress?.(0.6 + 0.4 * f, `lift: ${s}`) },
    options.colourElsewhere,
  );
  onProgress?.(1, 'done');
  return { splats, pose, intrinsics, image: photo, depth, confidence };
}

/**
 * The grid runDepth's maps will come on at resolution 'model' (run-depth.ts modelGridSize) if the model's
 * output is as large as its input, as dense depth models' are; undefined where that cannot be told.
 */
function expectedDepthGrid(entry: ModelEntry, photo: RgbImage): { width: number; height: number } | undefined {
  try {
    const plan = planInput(photo.width, photo.height, imageInputOf(entry).resize);
    return modelGridSize(photo, plan.scaleX); // an output as large as the input: one output pixel per input pixel
  } catch {
    return undefined;
  }
}

type MetricMaps = DepthMaps & { kind: 'metric' };

/** The model's maps on its own grid, with relative depth turned metric against the reference model. */
async function metricDepth(
  photo: RgbImage,
  model: Model,
  fov: number,
  reference: Model | undefined,
  signal: AbortSignal | undefined,
  onProgress: (fraction: number, stage: string) => void,
): Promise<MetricMaps> {
  const maps = await runDepth(model, photo, { verticalFovDegrees: fov, resolution: 'model', signal, onProgress: (f, s) => onProgress(0.5 * f, s) });
  if (maps.kind === 'metric') return maps;
  if (!reference) {
    throw new Error(`${model.entry.id}: expected a metric reference model to scale its relative depth, found none`);
  }
  const ref = await runDepth(reference, photo, { verticalFovDegrees: fov, resolution: 'model', signal, onProgress: (f, s) => onProgress(0.5 + 0.5 * f, `reference ${s}`) });
  if (ref.kind !== 'metric') throw new Error(`${reference.entry.id}: expected a metric depth model as reference, found a relative one`);
  const refOnGrid = bilinearResample(ref.depth, ref.width, ref.height, 1, maps.width, maps.height);
  const aligned = relativeInverseToMetric(maps.relativeInverseDepth, refOnGrid);
  return { ...maps, kind: 'metric', depth: aligned.depth };
}

/** What the posed-frame memory keeps of a generated view (it marks sky and unknown depth as 0). */
export function frameOfView(view: GeneratedView, prompt: string | null = null): FrameInput {
  const depth = Float32Array.from(view.depth.data, (d) => (Number.isFinite(d) && d > 0 ? d : 0));
  return {
    pose: view.pose,
    intrinsics: view.intrinsics,
    image: view.image,
    depth: { ...view.depth, data: depth },
    confidence: view.confidence,
    prompt,
  };
}
