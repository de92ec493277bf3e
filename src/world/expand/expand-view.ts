/**
 * expandView: the world grows where a camera at `pose` sees nothing (or sees only poorly), and stays
 * exactly as it was everywhere else. The "expand" row of the data flow in DESIGN.md:
 *
 *   render at the view's resolution: the world's colour, alpha and depth
 *   -> coverage at low resolution from that render (coverage.ts, coverageFromRender): is anything
 *      missing, and what was seen only poorly? (one render of the world, not two: projecting every
 *      splat was most of the cost of each)
 *   -> the hole mask at the view's resolution -> PartialView
 *   -> completer (completer.ts): a full view
 *   -> align (align.ts): its depth to the world's around the hole, no step at the border
 *   -> free space (free-space.ts): no new surface where a remembered view saw through
 *   -> lift (lift.ts) ONLY the hole pixels -> World.append with the new posed frame.
 *
 * Existing splats are never touched: the new ones are appended after them (World.append), and none is
 * placed in the space a remembered view saw empty, so a place already seen renders as before unless it
 * had holes.
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';
import type { FloatField, RgbImage } from '../../core/image.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import { type RenderResult, renderSplats } from '../../render/rasterizer.ts';
import { type Coverage, type CoverageOptions, HOLE_POORLY_SEEN, coverageFromRender } from '../coverage/coverage.ts';
import { frameView } from '../coverage/view-quality.ts';
import { type LiftOptions, liftToSplats } from '../lift.ts';
import type { MemoryFrame } from '../memory/frame.ts';
import type { World } from '../world.ts';
import { type AlignOptions, alignCompletion } from './align.ts';
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { type ElevationStats, rowGuide, worldElevationStats } from './elevation-guide.ts';
import { skyShellRadius, skyWhereSeenThrough } from './free-space.ts';
import { crop, holeWindow } from './hole-window.ts';
import { ringAround } from './ring.ts';
import { photoTextureSource } from './texture-source.ts';

export interface ExpandOptions {
  /** low-resolution coverage that decides and reports (from the view's render); default coverage.ts's (128 x 96) */
  coverage?: CoverageOptions;
  /** expand only when the unknown fraction exceeds this; default 0 (any hole) */
  minUnknownFraction?: number;
  /** accumulated alpha below which a pixel of the full-resolution render is a hole; default 0.5 (as coverage) */
  minAlpha?: number;
  /**
   * known pixels within 2 px of a hole whose alpha is below this join the hole (their depth stays the
   * world's): the world's splats fade out over a pixel or two at a hole's edge, and a new splat one
   * pixel away covers such a pixel only partly, so without this a faint dark line (the background
   * showing through) would outline every filled hole; default 0.98
   */
  fringeAlpha?: number;
  /** rendered depth beyond this is sky (lift puts sky on a 200 m shell); default 100, as lift's farLimit */
  farLimit?: number;
  /** the prompt stored with the new frame and given to the completer; default the world's (its first frame with one) */
  prompt?: string | null;
  /**
   * give the completer a colour guide by elevation from the world's original view (PartialView.rowGuide,
   * elevation-guide.ts), so fills over a full turn do not drift and the loop closes without a jump;
   * default true (docs/grow: without it a turn round the sample photo closes on a visible seam)
   */
  elevationGuide?: boolean;
  /**
   * hand the completer the world's first view (the photo), re-rendered at this view's pixel scale, as a
   * picture to copy texture from (PartialView.texture, texture-source.ts): where a turn closes, the
   * view's own known pixels are mostly earlier, smooth fills; default true, made only for a completer
   * whose `usesTexture` is true (it costs a render of the first view)
   */
  textureSource?: boolean;
  align?: Omit<AlignOptions, 'signal'>;
  /**
   * make sky of the hole pixels whose completed surface lies where a remembered view saw through
   * (free-space.ts); default true. Off, a fill can show in front of what earlier views saw (an orbit
   * round the sample photo's world changed 83% of the photo's view)
   */
  keepFreeSpace?: boolean;
  /**
   * renders the world at the view (colour, alpha, depth at the view's size); default renderSplats on
   * this thread. A caller with more cores can hand in one that shares the work, provided it gives the
   * same pixels (the hole mask and everything after it are computed from them)
   */
  render?: (splats: SplatCloud, pose: Pose, intrinsics: Intrinsics, signal?: AbortSignal) => RenderResult | Promise<RenderResult>;
  /** options of the lift of the hole pixels; colourIterations defaults to EXPANSION_COLOUR_ITERATIONS (3) */
  lift?: Omit<LiftOptions, 'keep' | 'signal' | 'onProgress' | 'maxLongSide'>;
  signal?: AbortSignal;
  /** fraction 0..1 and stage: 'render', 'coverage', 'complete', 'align', 'lift', 'append' */
  onProgress?: (fraction: number, stage: string) => void;
}

export interface Expansion {
  /** coverage at `pose` before expanding (low resolution) */
  before: Coverage;
  /** hole pixels at the view's resolution (0 when nothing was expanded) */
  holePixels: number;
  /** splats appended (0 when nothing was expanded) */
  added: number;
  /** the new posed frame, or null when there was nothing to expand */
  frame: MemoryFrame | null;
  partial: PartialView | null;
  /** the completion after alignment (what was lifted in the hole) */
  completed: CompletedView | null;
  /** the depth alignment's global fit */
  alignment: { scale: number; shift: number; ringPixels: number } | null;
  /** milliseconds per stage */
  timings: Record<string, number>;
}

export async function expandView(
  world: World, pose: Pose, intrinsics: Intrinsics, completer: Completer, options: ExpandOptions = {},
): Promise<Expansion> {
  const { signal, onProgress } = options;
  const { width, height } = intrinsics;
  const pixels = width * height;
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (stage: string) => { const t = performance.now(); timings[stage] = t - t0; t0 = t; };

  signal?.throwIfAborted();
  onProgress?.(0, 'render');
  const render = options.render
    ? await options.render(world.splats, pose, intrinsics, signal)
    : renderSplats(world.splats, pose, intrinsics, { signal });
  if (!(render.width === width && render.height === height && render.color.length === 3 * pixels && render.alpha.length === pixels && render.depth.length === pixels)) {
    throw new Error(`expand: expected a ${width}x${height} render of the world, found ${render.width}x${render.height} with ${render.alpha.length} alpha values`);
  }
  lap('render');

  onProgress?.(0.25, 'coverage');
  const before = coverageFromRender(world, pose, intrinsics, render, options.coverage);
  const nothing: Expansion = { before, holePixels: 0, added: 0, frame: null, partial: null, completed: null, alignment: null, timings };
  if (!(before.unknownFraction > (options.minUnknownFraction ?? 0))) { lap('coverage'); return nothing; }
  const farLimit = options.farLimit ?? 100;
  const { mask, knownDepth, rgb, worldRgb, depth, holes } = holeMask(render, before, width, height, options.minAlpha ?? 0.5, farLimit);
  let holePixels = holes;
  holePixels += widenToFringe(mask, render.alpha, width, height, rgb, depth, options.fringeAlpha ?? 0.98);
  lap('coverage');
  if (holePixels === 0) return nothing;

  signal?.throwIfAborted();
  onProgress?.(0.35, 'complete');
  const prompt = options.prompt !== undefined ? options.prompt : worldPrompt(world);
  const partial: PartialView = {
    pose, intrinsics: { ...intrinsics }, width, height, rgb, depth, mask, prompt, ...guides(world, pose, intrinsics, completer, options),
  };
  const completion = await completer.complete(partial, signal);
  checkCompletion(completion, completer.name, pixels);
  lap('complete');

  signal?.throwIfAborted();
  onProgress?.(0.55, 'align');
  const aligned = alignCompletion({
    width, height, mask, knownDepth, knownRgb: rgb, worldRgb, completedDepth: completion.depth, completedRgb: completion.rgb,
  }, { ...options.align, signal });
  lap('align');

  if (options.keepFreeSpace ?? true) {
    // Frames retrieved by frustum overlap with this view: those whose free space its hole can reach.
    const seen = world.memory.nearest(pose, intrinsics, FREE_SPACE_FRAMES).map((r) => frameView(r.frame));
    skyWhereSeenThrough(aligned.depth, mask, pose, intrinsics, seen, { farLimit });
    lap('free space');
  }

  signal?.throwIfAborted();
  onProgress?.(0.7, 'lift');
  const image = { width, height, data: toBytes(aligned.rgb) };
  const depthField: FloatField = { width, height, data: aligned.depth };
  const confidence: FloatField | undefined = completion.confidence && { width, height, data: holeConfidence(completion.confidence, mask) };
  // The new sky goes behind every remembered view's sky (free-space.ts says why).
  const skyDistance = options.lift?.skyDistance ?? skyShellRadius(world.memory.frames, pose.position);
  const splats = liftHoles(image, depthField, confidence, intrinsics, pose, mask, { ...options.lift, skyDistance, signal });
  lap('lift');

  // Last chance to stop: after this the world has changed.
  signal?.throwIfAborted();
  onProgress?.(0.95, 'append');
  const frame = world.append({ pose, intrinsics, image, depth: depthField, confidence, prompt }, splats);
  lap('append');
  onProgress?.(1, 'append');
  return {
    before, holePixels, added: splats.count, frame, partial,
    completed: { rgb: aligned.rgb, depth: aligned.depth, confidence: completion.confidence },
    alignment: { scale: aligned.scale, shift: aligned.shift, ringPixels: aligned.ringPixels },
    timings,
  };
}

/**
 * Builds now what a world's expansions at this view size reuse, cached per world (its first frame):
 * the texture source (texture-source.ts; for a photo world its one-splat-per-pixel picture, ~0.2 s on
 * the sample world) for a completer that reads it, and the elevation statistics of the row guide.
 * Without this the first expansion pays for both. Callers run it while something else is waiting
 * (explore: while the completion model opens on its thread); it changes no result. Returns what it built
 * (what the first stop's completer will be handed), so a completer can be prepared for it too.
 */
export function prepareExpansion(world: World, intrinsics: Intrinsics, completer: { usesTexture?: boolean }, options: Pick<ExpandOptions, 'farLimit' | 'elevationGuide' | 'textureSource'> = {}): Pick<PartialView, 'rowGuide' | 'texture'> {
  const first = world.memory.frames[0];
  return first ? guides(world, first.pose, intrinsics, completer, options) : {};
}

/**
 * What the completer is handed besides the view (ExpandOptions elevationGuide, textureSource): the
 * row guide and, for a completer that reads it, the texture source, each where the world has one.
 * Both are built from caches per world, which prepareExpansion fills by calling this.
 */
function guides(
  world: World, pose: Pose, k: Intrinsics, completer: { usesTexture?: boolean },
  options: Pick<ExpandOptions, 'farLimit' | 'elevationGuide' | 'textureSource' | 'signal'>,
): Pick<PartialView, 'rowGuide' | 'texture'> {
  const out: Pick<PartialView, 'rowGuide' | 'texture'> = {};
  const guide = (options.elevationGuide ?? true) ? worldRowGuide(world, pose, k) : null;
  if (guide) out.rowGuide = guide;
  if ((options.textureSource ?? true) && completer.usesTexture) {
    const texture = photoTextureSource(world, pose, k, options.farLimit ?? 100, options.signal);
    if (texture) out.texture = texture;
  }
  return out;
}

/**
 * A partial view of the given size for warming a completer up (its first run is slow: a model's
 * WebAssembly is compiled by tiers as it runs, its buffers are allocated): the left half known (grey
 * ground at 3 m), the right half a hole. What a real view of that size costs, with nothing of any world.
 */
export function warmUpView(pose: Pose, intrinsics: Intrinsics): PartialView {
  const { width, height } = intrinsics;
  const pixels = width * height;
  const rgb = new Float32Array(3 * pixels), depth = new Float32Array(pixels), mask = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    if (i % width >= width >> 1) { mask[i] = 1; continue; }
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 0.5;
    depth[i] = 3;
  }
  return { pose, intrinsics: { ...intrinsics }, width, height, rgb, depth, mask, prompt: null };
}

// The per-pixel passes are functions of their own (see align.ts: small loops are optimised once).

/**
 * The view's hole mask from its render: empty pixels (alpha below minAlpha) and those the coverage
 * saw only poorly (nearest of its pixels); the world's colour (without the black background showing
 * through its edges) and depth where it knows the pixel, 0 in the hole. `worldRgb` is that colour
 * wherever the world covers the pixel at least minAlpha, hole or not (NaN elsewhere): alignment gives
 * the hole pixels the old splats still cover their colour (align.ts).
 */
function holeMask(render: RenderResult, before: Coverage, width: number, height: number, minAlpha: number, farLimit: number) {
  const pixels = width * height;
  const alpha = render.alpha, colour = render.color, renderDepth = render.depth, poor = before.mask;
  const mask = new Uint8Array(pixels);
  const knownDepth = new Float32Array(pixels), rgb = new Float32Array(3 * pixels), depth = new Float32Array(pixels);
  const worldRgb = new Float32Array(3 * pixels).fill(NaN);
  let holes = 0;
  for (let y = 0, i = 0; y < height; y++) {
    const cy = Math.min(before.height - 1, Math.floor(((y + 0.5) * before.height) / height));
    for (let x = 0; x < width; x++, i++) {
      const a = alpha[i];
      if (a >= minAlpha) {
        const d = renderDepth[i];
        if (d > 0 && d <= farLimit) knownDepth[i] = d;
        for (let c = 0; c < 3; c++) rgb[3 * i + c] = worldRgb[3 * i + c] = Math.min(1, colour[3 * i + c] / a);
      }
      const cx = Math.min(before.width - 1, Math.floor(((x + 0.5) * before.width) / width));
      const hole = !(a >= minAlpha) || poor[cy * before.width + cx] === HOLE_POORLY_SEEN;
      if (hole) { mask[i] = 1; holes++; rgb[3 * i] = 0; rgb[3 * i + 1] = 0; rgb[3 * i + 2] = 0; }
      else depth[i] = knownDepth[i];
    }
  }
  return { mask, knownDepth, rgb, worldRgb, depth, holes };
}

/** 0..1 -> 0..255, rounded: Math.round for such values (x + 0.5 is exact for 255 x float32; NaN gives 0 either way), without its call. */
function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let j = 0; j < values.length; j++) out[j] = (255 * values[j] + 0.5) | 0;
  return out;
}

/**
 * Colour steps of an expansion's lift (LiftOptions.colourIterations; ExpandOptions.lift overrides, 0 =
 * the fill's colours as they are): the new splats' colours are solved so that the view renders back
 * as the fill, with stand-ins for the world's old splats around the hole (lift.ts keep), as generate
 * does for the photo. bench/fill-texture --guide --decorators synth,photo --rerender, six scenes, 0 ->
 * 3 steps in the same session: a fill lifted and rendered again from its pose keeps 0.80 -> 0.92 of its
 * texture, 43.1 -> 48.9 dB against the fill; the fills of later stops, which copy from those renders,
 * carry texture 0.60 -> 0.80 (synth) and 0.61 -> 0.77 (photo) of the truth's, the closing fills' seam
 * 1.32 -> 1.17 and 1.28 -> 1.21 (truth 1.31). Within 2 px of the hole's border the render is 1 dB
 * further from the fill (hole side 43.7 -> 42.4 dB, known side 56.3 -> 55.3 dB). Cost: the lift stage
 * 82 -> 230 ms median per expansion at 512x384 on a loaded machine when every pixel of the hole's
 * window was made a splat and solved; solving only the pixels within the steps' reach of the hole
 * (lift.ts keep, colour-reach.ts; the same splats, bit for bit) took the recorded lifts of room-8 and
 * street-1 turns from 198 to 136 ms median, of the sample photo's turn from 134 to 118 ms (same process,
 * alternated, load ~2.5).
 */
export const EXPANSION_COLOUR_ITERATIONS = 3;

/** Remembered views whose free space an expansion respects (free-space.ts): the most overlapping ones. */
const FREE_SPACE_FRAMES = 16;

/**
 * Lifts the hole pixels only, working on the hole's window. The splats come in the order of the hole
 * pixels, as an unmasked lift's. The margin: 2 px (depth edges and normals look one pixel around),
 * 4 px with colour steps: each pixel within 2 px of a hole sees a new splat, and its own row of the
 * colour model reaches 2 px further, to the old splats in front of it.
 */
function liftHoles(
  image: RgbImage, depth: FloatField, confidence: FloatField | undefined, k: Intrinsics, pose: Pose, mask: Uint8Array,
  lift: Omit<LiftOptions, 'keep' | 'maxLongSide'>,
) {
  const options = { ...lift, colourIterations: lift.colourIterations ?? EXPANSION_COLOUR_ITERATIONS };
  const window = holeWindow(mask, k.width, k.height, options.colourIterations > 0 ? 4 : 2)!;
  const w = window.width, h = window.height;
  const field = (f: FloatField) => ({ width: w, height: h, data: crop(f.data, 1, k.width, window) });
  return liftToSplats({
    image: { width: w, height: h, data: crop(image.data, 3, k.width, window) },
    depth: field(depth),
    confidence: confidence && field(confidence),
    intrinsics: { ...k, width: w, height: h, cx: k.cx - window.x0, cy: k.cy - window.y0 },
    pose,
  }, { ...options, maxLongSide: Math.max(w, h), keep: crop(mask, 1, k.width, window) });
}

/** Marks the fringe (see ExpandOptions.fringeAlpha) as hole; returns how many pixels it added. */
function widenToFringe(mask: Uint8Array, alpha: Float32Array, width: number, height: number, rgb: Float32Array, depth: Float32Array, fringeAlpha: number): number {
  const near = ringAround(mask, width, height, 2);
  let added = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!near[i] || !(alpha[i] < fringeAlpha)) continue;
    mask[i] = 1;
    rgb[3 * i] = 0; rgb[3 * i + 1] = 0; rgb[3 * i + 2] = 0;
    depth[i] = 0;
    added++;
  }
  return added;
}

/** Per-elevation statistics of a world's original view, kept per first frame (it never changes). */
const statsOfFirstFrame = new WeakMap<MemoryFrame, ElevationStats | null>();

function worldRowGuide(world: World, pose: Pose, k: Intrinsics): Float32Array | null {
  const first = world.memory.frames[0];
  if (!first) return null;
  let stats = statsOfFirstFrame.get(first);
  if (stats === undefined) { stats = worldElevationStats(world.memory.frames); statsOfFirstFrame.set(first, stats); }
  return stats && rowGuide(stats, pose, k);
}

/** The world's prompt: that of its first frame that has one (a world made from words), else null. */
export function worldPrompt(world: World): string | null {
  for (const frame of world.memory.frames) if (frame.prompt !== null) return frame.prompt;
  return null;
}

function checkCompletion(c: CompletedView, name: string, pixels: number): void {
  if (c.rgb?.length !== 3 * pixels || c.depth?.length !== pixels || (c.confidence && c.confidence.length !== pixels)) {
    throw new Error(`completer '${name}': expected rgb ${3 * pixels}, depth ${pixels} (and confidence ${pixels}) values, found ${c.rgb?.length}, ${c.depth?.length}, ${c.confidence?.length ?? 'none'}`);
  }
}

/** The completer's confidence in the hole; the known pixels are the world's own, fully confident. */
function holeConfidence(confidence: Float32Array, mask: Uint8Array): Float32Array {
  const out = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? confidence[i] : 1;
  return out;
}
