/**
 * Lift: a photo and its per-pixel depth become Gaussian splats in the world, one per pixel.
 *
 *   1. the photo is shrunk to at most `maxLongSide` pixels (area average), intrinsics scaled with it;
 *   2. depth (model resolution) is upsampled to the photo's, edge-aware (joint-bilateral-upsample.ts);
 *   3. sky and depth beyond `farLimit` go to a far shell (sky-mask.ts), depth jumps are found
 *      (depth-edges.ts), normals come from the model or from the depth (surface-normals.ts);
 *   4. each pixel becomes a splat at its unprojected point (camera.ts), flat along the normal, sized
 *      to its footprint (splat-footprint.ts); splats beside a depth jump are shrunk and never
 *      stretched, so nothing bridges the gap; colour is the pixel's, opacity follows confidence;
 *   5. camera-frame splats are moved into the world by the photo's pose;
 *   6. optionally (colourIterations), colours are adjusted so that the photo's own view renders the
 *      photo rather than a slightly blurred copy (input-view-colours.ts).
 *
 * Rendering the result from `pose` with the (scaled) intrinsics gives the photo back.
 * Splat i is pixel (i % width, floor(i / width)) of the working-size photo.
 */
import { type Intrinsics, Pose, scaleIntrinsics } from '../core/camera.ts';
import type { FloatField, RgbImage } from '../core/image.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { depthEdges, edgeJumpThreshold } from './depth-edges.ts';
import { type JointBilateralOptions, jointBilateralUpsample } from './joint-bilateral-upsample.ts';
import { type CompensationOptions, type InputViewSplats, inputViewColours } from './input-view-colours.ts';
import { type ColourBandRunner, bandRowsReady, inputViewColoursSplit } from './input-view-colours-bands.ts';
import { colourReach } from './colour-reach.ts';
import type { PreparedLift } from './lift-prepared.ts';
import { areaDownsample, bilinearResample } from './resample.ts';
import { skyMask } from './sky-mask.ts';
import { MAX_OPACITY, SIGMA_PER_PIXEL, writeFootprint } from './splat-footprint.ts';
import { normalsFromDepth, normalsFromModel } from './surface-normals.ts';


export interface LiftInput {
  /** the photo, at its own resolution */
  image: RgbImage;
  /** metres along the view axis (camera.ts), model resolution; <= 0 or not finite = unknown (sky) */
  depth: FloatField;
  /** 0..1 per pixel, model resolution */
  confidence?: FloatField;
  /** unit normals in the camera frame, 3 per pixel, model resolution */
  normals?: FloatField;
  /** the photo's intrinsics, for `image`'s size */
  intrinsics: Intrinsics;
  /** the photo's camera; Pose.identity() for the first view (eye at the origin, looking down -Z) */
  pose: Pose;
}

/** LiftOptions.maxLongSide's default (lift-prepared.ts must prepare for the same size). */
export const DEFAULT_MAX_LONG_SIDE = 1024;

/** The far shell's radius round the photo's eye, metres (LiftOptions.skyDistance says why 200). */
export const DEFAULT_SKY_DISTANCE = 200;

export interface LiftOptions {
  /** the photo is shrunk first so its long side is at most this; default 1024 */
  maxLongSide?: number;
  /** splat std per pixel spacing (splat-footprint.ts); default SIGMA_PER_PIXEL (0.65) */
  sigmaPerPixel?: number;
  /**
   * std per pixel spacing of splats beside a depth jump; default 0.35: at the neighbouring pixel's
   * centre such a splat is down to exp(-1 / (2 0.35^2)) = 1.7% of its peak, so the foreground stays
   * inside its own pixel and does not smear over the background.
   */
  edgeSigmaPerPixel?: number;
  /** depth jumps steeper than this are discontinuities (depth-edges.ts); default 85 degrees */
  edgeAngleDegrees?: number;
  /** cap on a splat's stretch along a surface seen at a grazing angle, in across-ray footprints; default 4 (about 75 degrees) */
  maxStretch?: number;
  /** std along the normal as a fraction of the smaller in-plane std; default 0.1 */
  thinness?: number;
  /** depth beyond this (metres) is placed on the far shell; default 100 */
  farLimit?: number;
  /**
   * radius of the far shell (metres) around the photo's eye; default 200. Far enough that walking
   * tens of metres moves the sky by a few degrees only (parallax ~ step / 200), beyond the range of
   * metric depth models (trained to ~80-100 m, hence farLimit 100), yet near enough for float32
   * positions (~15 micrometres at 200 m) and the usual 1000 m far plane of viewers.
   */
  skyDistance?: number;
  /** confidence below which pixels connected to the top of the picture are sky; default 0.1 */
  skyConfidence?: number;
  /** confidence at and above which a splat is fully opaque; lower confidence fades it linearly; default 0.5 */
  fullConfidence?: number;
  /**
   * gradient steps that adjust the colours so the photo's own view renders the photo rather than a
   * blurred copy moved towards the far side of every slope (see input-view-colours.ts); default 0:
   * colour = the pixel's. With `keep`, see there. generate.ts uses 3
   * (GENERATE_COLOUR_ITERATIONS; 3 steps take the sizes of input-view-colours.ts THREE_STEPS).
   * Measured (input-view-shift.test.ts, a plane leaning back 45 degrees): the photo's own view from
   * 31.9 dB moved (0.27, -0.77) px to 40.0 dB moved 0.1 px; views orbited 5 and 20 degrees and a
   * closer one gain 1-10 dB against the ray-cast truth. Costs about as much as the rest of the lift
   * (bench/lift.bench.ts).
   */
  colourIterations?: number;
  /** upper bound of an adjusted colour channel; default 1.25 */
  maxColour?: number;
  /** options of the depth upsampling */
  upsample?: JointBilateralOptions;
  /**
   * per pixel of the working-size photo (after shrinking), non-zero = make its splat; default every
   * pixel. Expansion lifts only the holes of a view this way: depth edges and normals are still
   * found on the whole picture, so the kept pixels join their neighbours as an unmasked lift would.
   * The splats come in pixel order, kept pixels only. With colourIterations their colours are those of
   * solving every pixel's splat together and keeping the kept ones, bit for bit; only the pixels within
   * the steps' reach of a kept one are made and solved (colour-reach.ts, keptColourWork). Expansion's
   * pixels not kept show the world's old splats, and their splats stand for them in the colour stage, with
   * colours solved so that they render the world there (an estimate of the old splats' own colours,
   * which stay as they are). Holding them fixed at the render's colours instead was measured worse:
   * the stand-ins then render a blurred copy of the world's render, and the new splats beside them
   * work against that (expand-lift-colours.test.ts: the known pixels within 2 px of a strip hole 47.5
   * -> 45.8 dB against the render before; fill-texture --rerender on nature-22 and room-4: 2 px
   * border 43.1 -> 42.3 dB on the hole side, 55.6 -> 54.9 dB on the known side, the rest alike).
   */
  keep?: Uint8Array;
  /**
   * what prepareLift (lift-prepared.ts) computed from this lift's photo ahead of time; used only
   * where it was made for the same image and intrinsics objects and maxLongSide (the same splats either way)
   */
  prepared?: PreparedLift;
  signal?: AbortSignal;
  /** fraction 0..1, stage: 'resize', 'upsample', 'analyse', 'splats', 'colours' */
  onProgress?: (fraction: number, stage: string) => void;
}

export function liftToSplats(input: LiftInput, options: LiftOptions = {}): SplatCloud {
  const lifted = liftGeometry(input, options);
  lifted.place(0, lifted.height);
  const colours = lifted.startColours();
  if (colours) {
    colours.prepare(0, lifted.height);
    inputViewColours(colours.splats, colours.target, colours.options);
  }
  return lifted.finish();
}

/**
 * liftToSplats with the top rows of its colour stage computed by `elsewhere` (another thread, see
 * input-view-colours-bands.ts) while this thread computes the rest: the same splats, bit for bit.
 * The top band goes as soon as its rows (and margin) are placed, so the other thread starts on it
 * while this one places the rest. Without `elsewhere`, for a lift without colour steps, or with
 * `keep` (whose colour stage solves only around the kept pixels, in one part), it is liftToSplats.
 */
export async function liftToSplatsAsync(input: LiftInput, options: LiftOptions = {}, elsewhere?: ColourBandRunner): Promise<SplatCloud> {
  if (!elsewhere || !((options.colourIterations ?? 0) > 0) || options.keep) return liftToSplats(input, options);
  const lifted = liftGeometry(input, options);
  const { height } = lifted;
  // The rows the top band reads (all of them where the picture is not split).
  const ready = bandRowsReady(height, options.colourIterations ?? 0);
  lifted.place(0, ready);
  const colours = lifted.prepareColours();
  colours.prepare(0, ready);
  await inputViewColoursSplit(colours.splats, colours.target, colours.options, elsewhere, {
    meanwhile: () => {
      lifted.place(ready, height);
      colours.prepare(ready, height);
      lifted.startColours();
    },
  });
  return lifted.finish();
}

/** What the colour stage of a lift reads, filled row by row (prepare) as the splats are placed. */
interface ColourWork {
  splats: InputViewSplats;
  /** the photo's colours, 3 per pixel (the cloud's own colours where every pixel has its splat) */
  target: Float32Array;
  options: CompensationOptions & { out: Float32Array };
  /** fills the sort keys and sigma classes of rows from .. to - 1 (their splats placed) */
  prepare(from: number, to: number): void;
  /** after the steps: moves the solved colours into the cloud where they were solved elsewhere (keep: per pixel) */
  finish?(): void;
}

/**
 * A lift up to placing its splats: the photo's analysis done, the cloud made; place(from, to) places
 * the splats of those rows (with their photo colours), prepareColours() gives what the colour
 * stage reads (null without colour steps), startColours() reports the colour stage's start and gives
 * the same, finish() reports the end and gives the lift's result.
 */
function liftGeometry(input: LiftInput, options: LiftOptions): {
  cloud: SplatCloud;
  height: number;
  place: (from: number, to: number) => void;
  prepareColours: () => ColourWork;
  startColours: () => ColourWork | null;
  finish: () => SplatCloud;
} {
  checkInput(input);
  const { signal, onProgress } = options;
  const maxLongSide = options.maxLongSide ?? DEFAULT_MAX_LONG_SIDE;
  const sigma = options.sigmaPerPixel ?? SIGMA_PER_PIXEL;
  const edgeSigma = options.edgeSigmaPerPixel ?? 0.35;
  const maxStretch = options.maxStretch ?? 4;
  const thinness = options.thinness ?? 0.1;
  const farLimit = options.farLimit ?? 100;
  const skyDistance = options.skyDistance ?? DEFAULT_SKY_DISTANCE;
  const fullConfidence = options.fullConfidence ?? 0.5;
  if (!(skyDistance > 0 && farLimit > 0 && sigma > 0 && edgeSigma > 0 && maxStretch >= 1 && thinness > 0)) {
    throw new Error(`lift: expected positive skyDistance, farLimit, sigmas and thinness and maxStretch >= 1, found ${JSON.stringify({ skyDistance, farLimit, sigma, edgeSigma, maxStretch, thinness })}`);
  }

  signal?.throwIfAborted();
  onProgress?.(0, 'resize');
  const prepared = options.prepared?.source === input.image && options.prepared.sourceIntrinsics === input.intrinsics &&
    options.prepared.maxLongSide === maxLongSide ? options.prepared : undefined;
  const { image, intrinsics: k } = prepared?.working ?? shrinkPhoto(input.image, input.intrinsics, maxLongSide);
  const { width, height } = image;
  const pixels = width * height;
  if (options.keep && options.keep.length !== pixels) {
    throw new Error(`lift: expected keep as one value per pixel of the ${width}x${height} working picture, found ${options.keep.length}`);
  }

  signal?.throwIfAborted();
  onProgress?.(0.05, 'upsample');
  // The same "steeper than edgeAngle" test as depth-edges.ts, at the model's focal length.
  const edgeAngle = options.edgeAngleDegrees ?? 85;
  const modelFocal = 0.5 * ((k.fx * input.depth.width) / width + (k.fy * input.depth.height) / height);
  const guide = prepared?.lowGuide;
  const depth = jointBilateralUpsample(input.depth.data, input.depth.width, input.depth.height, image.data, width, height, {
    edgeRatio: edgeJumpThreshold(edgeAngle, modelFocal),
    lowGuide: guide && guide.width === input.depth.width && guide.height === input.depth.height ? guide.data : undefined,
    ...options.upsample,
  });
  const confidence = input.confidence
    ? bilinearResample(input.confidence.data, input.confidence.width, input.confidence.height, 1, width, height)
    : null;

  signal?.throwIfAborted();
  onProgress?.(0.3, 'analyse');
  const sky = skyMask(depth, confidence, width, height, farLimit, options.skyConfidence ?? 0.1);
  for (let i = 0; i < pixels; i++) if (sky[i]) depth[i] = Infinity;
  const edges = depthEdges(depth, width, height, edgeJumpThreshold(edgeAngle, 0.5 * (k.fx + k.fy)));
  const iterations = options.colourIterations ?? 0;
  // Kept pixels only are made into splats (the same splats a whole lift then a subset would give); the
  // colour stage makes the stand-ins it needs besides them (keptColourWork), whose shapes it does not
  // read: no other pixel's normal is.
  const keep = options.keep ?? null;
  const normals = input.normals
    ? normalsFromModel(bilinearResample(input.normals.data, input.normals.width, input.normals.height, 3, width, height), k)
    : normalsFromDepth(depth, edges, k, keep ?? undefined);

  signal?.throwIfAborted();
  onProgress?.(0.5, 'splats');
  let keptCount = pixels;
  if (keep) { keptCount = 0; for (let i = 0; i < pixels; i++) if (keep[i]) keptCount++; }
  const cloud = prepared?.takeCloud(keptCount) ?? SplatCloud.create(keptCount);
  const maps: PixelMaps = { image, intrinsics: k, depth, sky, edges, normals, confidence, pose: input.pose };
  const shape: SplatShape = { sigma, edgeSigma, maxStretch, thinness, skyDistance, fullConfidence };
  const tick = (row: number) => {
    signal?.throwIfAborted();
    onProgress?.(0.5 + (0.45 * row) / height, 'splats');
  };
  // With keep, all rows at once (placeSplats counts the kept splats as it goes): only the colour stage
  // of a lift without keep places rows in parts (liftToSplatsAsync).
  const place = (from: number, to: number) => placeSplats(cloud, maps, shape, tick, keep, from, to, true);
  let colours: ColourWork | null = null;
  const prepareColours = (): ColourWork => {
    if (colours) return colours;
    if (keep) {
      colours = keptColourWork(cloud, maps, shape, keep, { iterations, maxColour: options.maxColour }, () => signal?.throwIfAborted());
      return colours;
    }
    const sigmaClass = new Uint8Array(pixels), sortKey = new Float32Array(pixels);
    // The splats' colours are the photo's so far (placeSplats: byte / 255), i.e. the target: they are
    // read as the target and overwritten with the adjusted colours.
    colours = {
      splats: { width, height, sortKey, sigmaClass, sigmas: [sigma, edgeSigma], opacity: cloud.opacities },
      target: cloud.colors,
      options: { iterations, maxColour: options.maxColour, out: cloud.colors },
      prepare: (from, to) => {
        for (let i = from * width; i < to * width; i++) sigmaClass[i] = edges[i] !== 0 && !sky[i] ? 1 : 0;
        rasterizerSortKeys(cloud, input.pose, sortKey, from * width, to * width);
      },
    };
    return colours;
  };
  const startColours = (): ColourWork | null => {
    if (iterations <= 0) return null;
    signal?.throwIfAborted();
    onProgress?.(0.95, 'colours');
    return prepareColours();
  };
  const finish = () => {
    onProgress?.(1, iterations > 0 ? 'colours' : 'splats');
    colours?.finish?.();
    return cloud;
  };
  return { cloud, height, place, prepareColours, startColours, finish };
}

/**
 * The colour stage of a lift with keep: the kept pixels' splats (`cloud`, in pixel order) and, for the
 * pixels their solved colours depend on (colour-reach.ts), stand-ins: the splats a whole lift makes
 * there, placed alike (placeSplats), read for their depth and opacity and dropped after the solve.
 * Pixels beyond that reach are absent (opacity 0, no row of W): the kept colours are those of solving
 * every pixel's splat, bit for bit (lift-keep.test.ts), at the cost of the kept pixels' neighbourhood
 * rather than of the whole picture.
 */
function keptColourWork(
  cloud: SplatCloud, maps: PixelMaps, shape: SplatShape, keep: Uint8Array, steps: { iterations: number; maxColour?: number },
  checkAbort: () => void,
): ColourWork {
  const { width, height, data: photo } = maps.image;
  const pixels = width * height;
  const solve = colourReach(keep, width, height, steps.iterations);
  const around = new Uint8Array(pixels);
  let standIns = 0;
  for (let p = 0; p < pixels; p++) if (solve[p] && !keep[p]) { around[p] = 1; standIns++; }
  const stand = SplatCloud.create(standIns);
  placeSplats(stand, maps, shape, checkAbort, around, 0, height, false);
  const sortKey = new Float32Array(pixels), sigmaClass = new Uint8Array(pixels), opacity = new Float32Array(pixels);
  const target = new Float32Array(3 * pixels);
  const { edges, sky } = maps;
  // As rasterizerSortKeys: float64 from the float32 positions, stored as float32.
  const w = maps.pose.cameraFromWorld, [ex, ey, ez] = maps.pose.position;
  const w6 = w[6], w7 = w[7], w8 = w[8];
  const keptAt = cloud.positions, keptOpacity = cloud.opacities, standAt = stand.positions, standOpacity = stand.opacities;
  for (let p = 0, j = 0, s = 0; p < pixels; p++) {
    if (!solve[p]) continue;
    const kept = keep[p] !== 0, i = kept ? j++ : s++, at = kept ? keptAt : standAt;
    sortKey[p] = -w6 * (at[3 * i] - ex) - w7 * (at[3 * i + 1] - ey) - w8 * (at[3 * i + 2] - ez);
    opacity[p] = kept ? keptOpacity[i] : standOpacity[i];
    sigmaClass[p] = edges[p] !== 0 && !sky[p] ? 1 : 0;
    // The colours before the steps: the photo's, as placeSplats gives them (byte / 255).
    target[3 * p] = photo[3 * p] / 255; target[3 * p + 1] = photo[3 * p + 1] / 255; target[3 * p + 2] = photo[3 * p + 2] / 255;
  }
  // The colours solved in place (inputViewColours reads the target before it writes).
  const out = target;
  return {
    splats: { width, height, sortKey, sigmaClass, sigmas: [shape.sigma, shape.edgeSigma], opacity, solve },
    target,
    options: { iterations: steps.iterations, maxColour: steps.maxColour, out },
    prepare: () => {},
    finish: () => {
      const c = cloud.colors;
      for (let p = 0, j = 0; p < pixels; p++) {
        if (!keep[p]) continue;
        c[3 * j] = out[3 * p]; c[3 * j + 1] = out[3 * p + 1]; c[3 * j + 2] = out[3 * p + 2];
        j++;
      }
    },
  };
}

/** Per-pixel maps at the working size, everything placeSplats needs. */
interface PixelMaps {
  image: RgbImage;
  intrinsics: Intrinsics;
  /** metres along the view axis; Infinity on sky */
  depth: Float32Array;
  sky: Uint8Array;
  edges: Uint8Array;
  normals: Float32Array;
  confidence: Float32Array | null;
  pose: Pose;
}

interface SplatShape {
  sigma: number;
  edgeSigma: number;
  maxStretch: number;
  thinness: number;
  skyDistance: number;
  fullConfidence: number;
}

/**
 * Writes one splat per pixel of rows from .. to - 1 into `cloud` (a function of its own so the engine
 * optimises this loop once rather than on-stack inside a long function), or with `keep` (all rows
 * only), one per kept pixel, in pixel order. `tick(row)` runs at every row that is a multiple of 64
 * (so from row 0, and the same rows however the picture is placed in parts). Without `shapes`, only
 * positions and opacities are written: the colour stage's stand-ins (keptColourWork) read nothing
 * else, and the footprint was most of the cost of placing them.
 */
function placeSplats(
  cloud: SplatCloud, maps: PixelMaps, shapeOptions: SplatShape, tick: (row: number) => void, keep: Uint8Array | null, from: number, to: number,
  shapes: boolean,
): void {
  const { image, intrinsics: k, depth, sky, edges, normals, confidence } = maps;
  const { sigma, edgeSigma, maxStretch, thinness, skyDistance, fullConfidence } = shapeOptions;
  const { width } = image;
  const { positions, colors, opacities, rotations } = cloud;
  const shape = { scales: cloud.scales, rotations };
  const cam = { fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy, thinness };
  const { fx, fy, cx, cy } = k;
  // World from camera: p' = R p + t, q' = q_pose q (inlined: this runs once per pixel).
  const R = maps.pose.worldFromCamera, [tx, ty, tz] = maps.pose.position, [qw, qx, qy, qz] = maps.pose.rotation;
  // writeFootprint's pixel: [u, v, d, nx, ny, nz, sigma, maxStretch] (an array, not 8 boxed arguments).
  const pixel = new Float64Array(8);
  let written = 0;
  for (let y = from; y < to; y++) {
    // From the first row on: a callback first called at row 63 threw away the loop V8 had compiled
    // by then (lift-primer.ts).
    if ((y & 63) === 0) tick(y);
    const v = y + 0.5;
    const ry = -(v - cy) / fy;
    for (let x = 0; x < width; x++) {
      const p = y * width + x; // the pixel
      if (keep !== null && !keep[p]) continue;
      const i = keep !== null ? written++ : p; // its splat
      const u = x + 0.5;
      const rx = (u - cx) / fx;
      let d: number, nx: number, ny: number, nz: number, s: number, stretch: number;
      if (sky[p]) {
        // On the shell: at distance skyDistance along the ray, facing the eye.
        const len = Math.sqrt(rx * rx + ry * ry + 1);
        d = skyDistance / len;
        nx = -rx / len; ny = -ry / len; nz = 1 / len;
        s = sigma;
        stretch = maxStretch;
      } else {
        d = depth[p];
        nx = normals[3 * p]; ny = normals[3 * p + 1]; nz = normals[3 * p + 2];
        const atEdge = edges[p] !== 0;
        s = atEdge ? edgeSigma : sigma;
        stretch = atEdge ? 1 : maxStretch;
      }
      const px = rx * d, py = ry * d, pz = -d;
      positions[3 * i] = R[0] * px + R[1] * py + R[2] * pz + tx;
      positions[3 * i + 1] = R[3] * px + R[4] * py + R[5] * pz + ty;
      positions[3 * i + 2] = R[6] * px + R[7] * py + R[8] * pz + tz;
      if (shapes) {
        pixel[0] = u; pixel[1] = v; pixel[2] = d; pixel[3] = nx; pixel[4] = ny; pixel[5] = nz; pixel[6] = s; pixel[7] = stretch;
        writeFootprint(shape, i, pixel, cam);
        const bw = rotations[4 * i], bx = rotations[4 * i + 1], by = rotations[4 * i + 2], bz = rotations[4 * i + 3];
        rotations[4 * i] = qw * bw - qx * bx - qy * by - qz * bz;
        rotations[4 * i + 1] = qw * bx + qx * bw + qy * bz - qz * by;
        rotations[4 * i + 2] = qw * by - qx * bz + qy * bw + qz * bx;
        rotations[4 * i + 3] = qw * bz + qx * by - qy * bx + qz * bw;
        colors[3 * i] = image.data[3 * p] / 255;
        colors[3 * i + 1] = image.data[3 * p + 1] / 255;
        colors[3 * i + 2] = image.data[3 * p + 2] / 255;
      }
      opacities[i] = confidence && !sky[p] ? MAX_OPACITY * Math.min(1, Math.max(0, confidence[p]) / fullConfidence) : MAX_OPACITY;
    }
  }
}

/**
 * Depth of splat centres i0 .. i1 - 1 along the view axis of `pose`, into keys, computed as the
 * rasterizer computes its sort key (float64 from the float32 positions, stored as float32), so ties
 * fall the same way.
 */
function rasterizerSortKeys(cloud: SplatCloud, pose: Pose, keys: Float32Array, i0: number, i1: number): void {
  const w = pose.cameraFromWorld;
  const [ex, ey, ez] = pose.position;
  const p = cloud.positions;
  for (let i = i0; i < i1; i++) {
    keys[i] = -w[6] * (p[3 * i] - ex) - w[7] * (p[3 * i + 1] - ey) - w[8] * (p[3 * i + 2] - ez);
  }
}

/** The photo shrunk to the working size (area average) and intrinsics scaled to match. */
export function shrinkPhoto(image: RgbImage, k: Intrinsics, maxLongSide: number): { image: RgbImage; intrinsics: Intrinsics } {
  const long = Math.max(image.width, image.height);
  if (long <= maxLongSide) return { image, intrinsics: k };
  const s = maxLongSide / long;
  const width = image.width >= image.height ? maxLongSide : Math.max(1, Math.round(image.width * s));
  const height = image.height > image.width ? maxLongSide : Math.max(1, Math.round(image.height * s));
  const averaged = areaDownsample(image.data, image.width, image.height, 3, width, height);
  const data = new Uint8Array(averaged.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(averaged[i]);
  return { image: { width, height, data }, intrinsics: scaleIntrinsics(k, width, height) };
}

function checkInput({ image, depth, confidence, normals, intrinsics: k, pose }: LiftInput): void {
  if (!(Number.isInteger(image.width) && Number.isInteger(image.height) && image.width > 0 && image.height > 0)) {
    throw new Error(`lift: expected a positive integer image size, found ${image.width}x${image.height}`);
  }
  if (image.data.length !== 3 * image.width * image.height) {
    throw new Error(`lift: expected ${3 * image.width * image.height} bytes of RGB for a ${image.width}x${image.height} image, found ${image.data.length}`);
  }
  if (k.width !== image.width || k.height !== image.height) {
    throw new Error(`lift: expected intrinsics for the image's ${image.width}x${image.height}, found ${k.width}x${k.height}`);
  }
  if (!(k.fx > 0 && k.fy > 0 && Number.isFinite(k.fx) && Number.isFinite(k.fy) && Number.isFinite(k.cx) && Number.isFinite(k.cy))) {
    throw new Error(`lift: expected positive finite focal lengths and a finite principal point, found fx ${k.fx}, fy ${k.fy}, cx ${k.cx}, cy ${k.cy}`);
  }
  const field = (name: string, f: FloatField | undefined, channels: number) => {
    if (!f) return;
    if (!(Number.isInteger(f.width) && Number.isInteger(f.height) && f.width > 0 && f.height > 0) || f.data.length !== channels * f.width * f.height) {
      throw new Error(`lift: expected ${name} as ${channels} float(s) per pixel of its ${f.width}x${f.height}, found ${f.data.length} values`);
    }
  };
  field('depth', depth, 1);
  field('confidence', confidence, 1);
  field('normals', normals, 3);
  if (!(pose instanceof Pose)) throw new Error('lift: expected pose as a Pose, found something else');
}
