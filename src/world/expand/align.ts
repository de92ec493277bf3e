/**
 * Fitting a completed view to the world around its hole, so the new splats meet the old ones without
 * a step. A completer's depth is right in shape but not necessarily in scale (a model guesses metres
 * from pixels), and even a good guess differs a little from the world at the border.
 *
 *   1. global: known inverse depth ~ s x completed inverse depth + t, fitted robustly (robust-fit.ts)
 *      on the ring of known surface pixels around the hole (ring.ts). Inverse depth, because that is
 *      what depth models predict up to scale and shift, and it weighs near surfaces (where a step is
 *      visible) more than far ones; a slight pull keeps s near the median ratio when the ring is too
 *      uniform in depth to fix both;
 *   2. local: the step that remains across the hole's border between the world and the scaled
 *      completion (the border residual, see borderResiduals) is spread into the hole by a screened
 *      membrane (membrane.ts) that fades over decayShare of the picture width: at the border the
 *      completion meets the world, deep in the hole it keeps its own shape. Known pixels inside the
 *      hole (surfaces the world has but saw poorly, or covered only partly at its edge) are held at
 *      the world's depth the same way, unless that depth is a step behind the completion: there it
 *      is mostly a mixture at a silhouette (see borderResiduals), and the completion is used.
 *      Steps larger than edgeRatio are occlusion edges (the hole shows what was behind a foreground
 *      object) and are left as they are: joining them would stretch a rubber sheet.
 * Colour gets a local correction across the same border pixels (a completer's colours can be off by
 * a shade at the border), and across borders where known sky meets filled sky (its own correction, so
 * sky and surface do not bleed into each other inside the hole); it fades with zero slope at the
 * border (featheredCorrection), so taking a step out leaves no line beside it. Hole pixels the world
 * covers (its splats' fading edge, at least half covered, or seen poorly: `worldRgb`) take the world's
 * own colour there, where their depth is held: the old splats still cover them, and a new splat of
 * another colour blends with them into a line along the border.
 * Sky (depth 0) has no depth to align, and it is an edge of the depth correction.
 */
import { FIXED, FREE, OUTSIDE, solveMembrane } from './membrane.ts';
import { crop, holeWindow, isWholePicture, paste } from './hole-window.ts';
import { distanceToKnown, ringAround } from './ring.ts';
import { seededRandom } from '../../core/random.ts';
import { leastMedianStart, robustFit } from './robust-fit.ts';

export interface AlignInput {
  width: number;
  height: number;
  /** 1 = hole (the completion is used there), 0 = known */
  mask: Uint8Array;
  /** the world's depth (metres) wherever it has a surface, hole or not; 0 = sky or nothing */
  knownDepth: Float32Array;
  /** the world's colour, 3 per pixel, meaningful where mask is 0 */
  knownRgb: Float32Array;
  /**
   * optional: the world's own colour (3 per pixel) wherever it covers a pixel at least half, hole
   * pixels included, NaN where it covers less. In the hole it is the colour the old splats still show
   * (a fading edge, a poorly seen surface); without it a hole pixel has no colour of the world's.
   */
  worldRgb?: Float32Array;
  /** the completer's output: depth (0 = sky) and colour for every pixel */
  completedDepth: Float32Array;
  completedRgb: Float32Array;
}

export interface AlignOptions {
  /** ring width as a share of the picture width; default 1/32 (16 px at 512) */
  ringShare?: number;
  /** decay length of the local correction as a share of the width; default 1/16 (32 px at 512) */
  decayShare?: number;
  /**
   * a border step whose inverse-depth ratio exceeds this (either way) is an occlusion edge, not an
   * error: the hole shows a surface behind (or before) the known one, and the two are not joined;
   * default 1.25
   */
  edgeRatio?: number;
  /** correct colour as well; default true */
  colour?: boolean;
  signal?: AbortSignal;
}

export interface Aligned {
  /** metres for every pixel: the world's where known, the aligned completion in the hole; 0 = sky */
  depth: Float32Array;
  /** colour for every pixel, the same way */
  rgb: Float32Array;
  /** the global fit: inverse depth = scale x completed inverse depth + shift */
  scale: number;
  shift: number;
  /** ring pixels the fit used */
  ringPixels: number;
}

export function alignCompletion(input: AlignInput, options: AlignOptions = {}): Aligned {
  const { width, height, mask, knownDepth, knownRgb, completedDepth, completedRgb } = input;
  const pixels = width * height;
  if (mask.length !== pixels || knownDepth.length !== pixels || completedDepth.length !== pixels
    || knownRgb.length !== 3 * pixels || completedRgb.length !== 3 * pixels || (input.worldRgb && input.worldRgb.length !== 3 * pixels)) {
    throw new Error(`align: expected mask and depths of ${pixels} values and colours of ${3 * pixels} for ${width}x${height}, found ${mask.length}, ${knownDepth.length}, ${completedDepth.length}, ${knownRgb.length}, ${completedRgb.length}${input.worldRgb ? `, ${input.worldRgb.length}` : ''}`);
  }
  const radius = Math.max(2, Math.round((options.ringShare ?? 1 / 32) * width));
  // Nothing farther than the ring from a hole pixel takes part (hole-window.ts): work on that window.
  const window = holeWindow(mask, width, height, radius + 2);
  if (!window || isWholePicture(window, width, height)) return alignWindow(input, width, radius, options);
  const part = alignWindow({
    width: window.width, height: window.height,
    mask: crop(mask, 1, width, window), knownDepth: crop(knownDepth, 1, width, window), knownRgb: crop(knownRgb, 3, width, window),
    completedDepth: crop(completedDepth, 1, width, window), completedRgb: crop(completedRgb, 3, width, window),
    worldRgb: input.worldRgb && crop(input.worldRgb, 3, width, window),
  }, width, radius, options);
  const depth = knownDepth.slice(), rgb = knownRgb.slice();
  paste(depth, part.depth, 1, width, window);
  paste(rgb, part.rgb, 3, width, window);
  return { ...part, depth, rgb };
}

/** alignCompletion on a whole (possibly cropped) view; `fullWidth` sets the decay length as for the whole view. */
function alignWindow(input: AlignInput, fullWidth: number, radius: number, options: AlignOptions): Aligned {
  const { width, height, mask, knownDepth, knownRgb, completedDepth, completedRgb } = input;
  const pixels = width * height;
  const decay = Math.max(1, (options.decayShare ?? 1 / 16) * fullWidth);
  const screening = 1 / (decay * decay);

  const { scale, shift, ringPixels } = fitScaleShift(input, radius);
  options.signal?.throwIfAborted();

  // Local correction of inverse depth: the border residual, spread into the hole where the completion has a surface.
  const aligned = scaledInverse(completedDepth, scale, shift);
  const border = borderResiduals(input, aligned, options.edgeRatio ?? 1.25);
  const correction = solveMembrane(border.depthResidual, 1, border.state, width, height, { screening, signal: options.signal, fineSweeps: 4 });
  const depth = correctedDepth(mask, border.state, knownDepth, completedDepth, aligned, correction);

  const correctColour = options.colour ?? true;
  let colourCorrection: Float32Array | null = null, skyCorrection: Float32Array | null = null;
  // Surfaces: only across the border pixels the depth correction uses (not across an occlusion edge),
  // and from the hole pixels whose colour the world holds. Sky: across known sky beside filled sky.
  if (correctColour && (border.anyColour || border.anySky)) {
    // One distance for both (to the nearest pixel either holds): at the fill's horizon the sky's fade
    // is a little slower, and one distance transform less.
    const distance = distanceToFixed(border.colourState, border.skyState, width, height);
    if (border.anyColour) colourCorrection = featheredCorrection(border.colourResidual, border.colourState, distance, width, height, decay, options.signal);
    if (border.anySky) skyCorrection = featheredCorrection(border.skyResidual, border.skyState, distance, width, height, decay, options.signal);
  }
  const rgb = mergedColour(mask, knownRgb, completedRgb, completedDepth, colourCorrection, skyCorrection);
  return { depth, rgb, scale, shift, ringPixels };
}

// The per-pixel passes are functions of their own (as lift.ts's placeSplats): the engine optimises
// each small loop once and for all, where loops inside one long function, each run once per call,
// were compiled on the stack and thrown away again at the next loop (measured: the first alignments
// of a session took 2-4x as long as later ones).

/** Inverse depth of the completion under the global fit; 0 where it is sky. */
function scaledInverse(completedDepth: Float32Array, scale: number, shift: number): Float32Array {
  const aligned = new Float32Array(completedDepth.length);
  for (let i = 0; i < aligned.length; i++) aligned[i] = completedDepth[i] > 0 ? scale / completedDepth[i] + shift : 0;
  return aligned;
}

/**
 * The world's depth outside the hole, and inside it where the world has a depth that is not a step
 * behind the completion; sky (0) where the completion is sky; in the rest of the hole (FREE: unknown,
 * or the world's depth a step behind the completion) the corrected completion (0 = sky).
 */
function correctedDepth(mask: Uint8Array, state: Uint8Array, knownDepth: Float32Array, completedDepth: Float32Array, aligned: Float32Array, correction: Float32Array): Float32Array {
  const depth = new Float32Array(mask.length);
  for (let i = 0; i < depth.length; i++) {
    if (!mask[i]) { depth[i] = knownDepth[i]; continue; }
    // The completion's sky is sky, even where the world holds a depth there: at a silhouette against
    // the sky that depth is the render's mixture of the surface and the sky shell (40-90 m), and a
    // splat there floated in mid-air (bench/expand forest-6, stop 2: surfaces-only depth seam 5.2 -> 2.3);
    // the world's own splats still cover what they covered.
    if (!(completedDepth[i] > 0)) { depth[i] = 0; continue; }
    if (state[i] !== FREE) { depth[i] = knownDepth[i]; continue; }
    const inv = aligned[i] + correction[i];
    // An aligned completion pushed to or past infinity is sky.
    depth[i] = inv > 0 ? 1 / inv : 0;
  }
  return depth;
}

/** Per pixel, the distance to the nearest pixel FIXED in either state (ring.ts's chamfer distance). */
function distanceToFixed(a: Uint8Array, b: Uint8Array, width: number, height: number): Float32Array {
  const notFixed = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) notFixed[i] = a[i] === FIXED || b[i] === FIXED ? 0 : 1;
  return distanceToKnown(notFixed, width, height);
}

/**
 * A colour correction that is the residual at the FIXED pixels and fades into the FREE ones with zero
 * slope where it starts: the residual carried along the border (a membrane without screening over the
 * free pixels within BAND `reach` of a fixed one, a free edge beyond) times exp(-(d / reach)^2), d the
 * distance to the nearest fixed pixel. A screened membrane (as the depth's) falls as exp(-d / reach):
 * its first step into the hole is residual / reach, 0.8 levels per pixel for a 25-level residual at
 * 32 px, a line beside the border however smooth the rest. Here the first step is residual / reach^2.
 * Half the membrane's usual sweeps per level: the residual carried is smooth, and the fade hides the rest.
 */
function featheredCorrection(residual: Float32Array, state: Uint8Array, distance: Float32Array, width: number, height: number, reach: number, signal?: AbortSignal): Float32Array {
  const band = state.slice(), inBand = new Uint8Array(state.length);
  for (let i = 0; i < band.length; i++) {
    if (band[i] === FREE && distance[i] > BAND * reach) band[i] = OUTSIDE;
    inBand[i] = band[i] === OUTSIDE ? 0 : 1;
  }
  // Solved on the band's bounding box only: outside pixels are a free edge, as the picture's border is.
  const box = holeWindow(inBand, width, height, 0);
  const carried = new Float32Array(3 * state.length);
  if (!box) return carried;
  const part = solveMembrane(crop(residual, 3, width, box), 3, crop(band, 1, width, box), box.width, box.height, { signal, sweeps: 8, fineSweeps: 4 });
  paste(carried, part, 3, width, box);
  fadeFree(carried, band, distance, reach);
  return carried;
}

/** The fade's extent in reaches: exp(-2.5^2) = 0.002, a 25-level residual ends 0.05 levels from 0. */
const BAND = 2.5;

/** values (3 per pixel) *= exp(-(distance / reach)^2) at the FREE pixels. */
function fadeFree(values: Float32Array, state: Uint8Array, distance: Float32Array, reach: number): void {
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== FREE) continue;
    const r = distance[i] / reach, w = Math.exp(-r * r);
    values[3 * i] *= w; values[3 * i + 1] *= w; values[3 * i + 2] *= w;
  }
}

/** In the hole the completion's colour plus the correction of its class (sky or surface), clamped to 0..1; the world's elsewhere. */
function mergedColour(mask: Uint8Array, knownRgb: Float32Array, completedRgb: Float32Array, completedDepth: Float32Array, colourCorrection: Float32Array | null, skyCorrection: Float32Array | null): Float32Array {
  const rgb = new Float32Array(knownRgb.length);
  for (let i = 0; i < mask.length; i++) {
    const correction = completedDepth[i] > 0 ? colourCorrection : skyCorrection;
    for (let c = 0; c < 3; c++) {
      const j = 3 * i + c;
      rgb[j] = mask[i] ? Math.min(1, Math.max(0, completedRgb[j] + (correction ? correction[j] : 0))) : knownRgb[j];
    }
  }
  return rgb;
}

interface BorderResiduals {
  /** depth: FIXED at border pixels (and hole pixels whose world depth is held) with their residual, FREE on the hole's surface, OUTSIDE elsewhere (known pixels; sky in the completion) */
  state: Uint8Array;
  depthResidual: Float32Array;
  /** surface colour: FIXED where the depth is (hole pixels: where the world has a colour there too), FREE on the rest of the hole's surface */
  colourState: Uint8Array;
  colourResidual: Float32Array;
  anyColour: boolean;
  /** sky colour: FIXED at known sky beside filled sky and at filled sky the world covers as sky, FREE on the rest of the filled sky */
  skyState: Uint8Array;
  skyResidual: Float32Array;
  anySky: boolean;
}

/**
 * The step between the world and the aligned completion across the hole's border. At a known pixel p
 * beside hole pixels q, the world's inverse depth is carried one pixel on to each q (linearly, from p
 * and the known pixel behind it, so a sloping floor does not count as a step) and compared with the
 * completion there; colour is compared as it is, over the same q (and, for known sky, over the q the
 * completion made sky). A hole pixel the world knows the depth of (seen, but poorly, or partly) is its
 * own border, compared in place, and FREE when it is a step behind; its colour is compared with the
 * world's own colour there (worldRgb), which the old splats still show: held at 0 instead (as before),
 * the correction was cancelled one pixel into the hole wherever the world's splats fade out over a
 * pixel or two, i.e. along nearly every border (bench/expand courtyard, forest-6: the fill 8-20
 * levels off the known pixel beside it at such pixels).
 * Steps beyond `edgeRatio` are occlusion edges and constrain nothing.
 */
function borderResiduals(input: AlignInput, aligned: Float32Array, edgeRatio: number): BorderResiduals {
  const { width, height, mask, knownDepth, knownRgb, completedDepth, completedRgb, worldRgb } = input;
  const pixels = width * height;
  const state = new Uint8Array(pixels).fill(OUTSIDE), colourState = new Uint8Array(pixels).fill(OUTSIDE), skyState = new Uint8Array(pixels).fill(OUTSIDE);
  const depthResidual = new Float32Array(pixels), colourResidual = new Float32Array(3 * pixels), skyResidual = new Float32Array(3 * pixels);
  let anyColour = false, anySky = false;
  const surface = (i: number) => knownDepth[i] > 0;
  const covered = (i: number) => worldRgb !== undefined && !Number.isNaN(worldRgb[3 * i]);
  /** residual = the world's colour at i - the completion's at i; whether it is worth a solve (half an 8-bit level: the inpainter's own fill is not) */
  const pinToWorld = (i: number, residual: Float32Array): boolean => {
    let big = false;
    for (let c = 0; c < 3; c++) {
      const r = worldRgb![3 * i + c] - completedRgb[3 * i + c];
      residual[3 * i + c] = r;
      if (Math.abs(r) > 0.5 / 255) big = true;
    }
    return big;
  };
  for (let i = 0; i < pixels; i++) {
    if (mask[i]) {
      if (!(completedDepth[i] > 0)) {
        // Sky in the completion: outside the depth and surface membranes; the sky's colour is held
        // where the world covers the pixel with sky, and free elsewhere.
        if (covered(i) && !surface(i)) { skyState[i] = FIXED; if (pinToWorld(i, skyResidual)) anySky = true; }
        else skyState[i] = FREE;
        continue;
      }
      if (!surface(i)) { state[i] = FREE; colourState[i] = FREE; continue; }
      const r = 1 / knownDepth[i] - aligned[i];
      if (isStep(1 / knownDepth[i], aligned[i], edgeRatio)) {
        // The world's depth here is well behind the completion: most often the expected depth of a
        // pixel at a silhouette, where the render mixes a near surface with what lies behind it (the
        // sky shell at 200 m: 40-90 m between a tree at 5 m and the sky). Held, it became a splat
        // floating in mid-air beside the border; the completion decides instead. Such a mixture is
        // never nearer than the surface in front, so a world depth well before the completion is a
        // surface of its own (or the completion's error: the rooms' walls) and is held, unconstrained.
        if (1 / knownDepth[i] < aligned[i]) { state[i] = FREE; colourState[i] = FREE; }
        continue;
      }
      state[i] = FIXED; depthResidual[i] = r;
      // Its colour: the world's, which its splats already show (the mixture case above has none of its own).
      if (covered(i)) { colourState[i] = FIXED; if (pinToWorld(i, colourResidual)) anyColour = true; }
      else colourState[i] = FREE;
      continue;
    }
    const x = i % width, y = (i - x) / width;
    // Most known pixels of the window are not beside the hole: four reads and on.
    if (!((x > 0 && mask[i - 1]) || (x + 1 < width && mask[i + 1]) || (y > 0 && mask[i - width]) || (y + 1 < height && mask[i + width]))) continue;
    if (!surface(i)) {
      // Known sky: its colour continues into the sky the completion painted beside it.
      let r = 0, g = 0, b = 0, n = 0;
      for (let side = 0; side < 4; side++) {
        const qx = x + (side === 0 ? -1 : side === 1 ? 1 : 0), qy = y + (side === 2 ? -1 : side === 3 ? 1 : 0);
        if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
        const q = qy * width + qx;
        if (!mask[q] || completedDepth[q] > 0) continue;
        r += knownRgb[3 * i] - completedRgb[3 * q]; g += knownRgb[3 * i + 1] - completedRgb[3 * q + 1]; b += knownRgb[3 * i + 2] - completedRgb[3 * q + 2];
        n++;
      }
      if (n === 0) continue;
      skyState[i] = FIXED;
      skyResidual[3 * i] = r / n; skyResidual[3 * i + 1] = g / n; skyResidual[3 * i + 2] = b / n;
      if (Math.max(Math.abs(r), Math.abs(g), Math.abs(b)) > (0.5 / 255) * n) anySky = true;
      continue;
    }
    const inv = 1 / knownDepth[i];
    let depthSum = 0, n = 0, r = 0, g = 0, b = 0;
    for (let side = 0; side < 4; side++) {
      const dx = side === 0 ? -1 : side === 1 ? 1 : 0, dy = side === 2 ? -1 : side === 3 ? 1 : 0;
      const qx = x + dx, qy = y + dy;
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      const q = qy * width + qx;
      if (!mask[q] || !(completedDepth[q] > 0)) continue;
      // The world's inverse depth carried on to q: p + (p - behind), if the pixel behind p is the same surface.
      const bx = x - dx, by = y - dy, behind = by * width + bx;
      let carried = inv;
      if (bx >= 0 && by >= 0 && bx < width && by < height && !mask[behind] && surface(behind) && !isStep(inv, 1 / knownDepth[behind], edgeRatio)) {
        carried = 2 * inv - 1 / knownDepth[behind];
      }
      if (isStep(carried, aligned[q], edgeRatio)) continue;
      depthSum += carried - aligned[q];
      // Colour over the same pairs: across an occlusion edge (or into sky) the hole is another surface.
      r += knownRgb[3 * i] - completedRgb[3 * q]; g += knownRgb[3 * i + 1] - completedRgb[3 * q + 1]; b += knownRgb[3 * i + 2] - completedRgb[3 * q + 2];
      n++;
    }
    if (n === 0) continue;
    state[i] = FIXED; colourState[i] = FIXED;
    depthResidual[i] = depthSum / n;
    colourResidual[3 * i] = r / n; colourResidual[3 * i + 1] = g / n; colourResidual[3 * i + 2] = b / n;
    // Less than half an 8-bit level (the inpainter's own fill) is not worth a solve.
    if (Math.max(Math.abs(r), Math.abs(g), Math.abs(b)) > (0.5 / 255) * n) anyColour = true;
  }
  return { state, depthResidual, colourState, colourResidual, anyColour, skyState, skyResidual, anySky };
}

/** Whether two inverse depths differ by more than `ratio` either way (or one is not positive). */
const isStep = (a: number, b: number, ratio: number): boolean => !(a > 0 && b > 0 && a < ratio * b && b < ratio * a);

/** Robust s, t with known inverse ~ s x completed inverse + t on the ring (at most 4096 pixels, spread evenly). */
function fitScaleShift(input: AlignInput, radius: number): { scale: number; shift: number; ringPixels: number } {
  const { width, height, mask, knownDepth, completedDepth } = input;
  const ring = ringAround(mask, width, height, radius);
  const picked: number[] = [];
  for (let i = 0; i < ring.length; i++) if (ring[i] && knownDepth[i] > 0 && completedDepth[i] > 0) picked.push(i);
  if (picked.length === 0) return { scale: 1, shift: 0, ringPixels: 0 };
  const step = Math.max(1, Math.floor(picked.length / 4096));
  const n = Math.floor(picked.length / step);
  const features = new Float64Array(2 * n), targets = new Float64Array(n), ratios = new Float64Array(n);
  const inverse = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const i = picked[s * step];
    const a = 1 / completedDepth[i], b = 1 / knownDepth[i];
    features[2 * s] = a; features[2 * s + 1] = 1;
    targets[s] = b;
    ratios[s] = b / a;
    inverse[s] = a;
  }
  const medianRatio = ratios.sort()[n >> 1];
  const medianInverse = inverse.sort()[n >> 1];
  // A ring whose completed inverse depth varies by less than ~2% of its size says little about the
  // scale: the ridge keeps the scale at the median ratio unless the ring's spread says otherwise.
  // Completed pixels that are badly wrong (a completer's mistakes at the border) can have large
  // leverage: start the reweighting from the least-median fit, not from least squares.
  // Candidates must keep the scale within 4x of the median ratio: otherwise "the completion is noise
  // and the world is flat" (scale 0) fits a ring that is mostly one fronto-parallel wall exactly.
  const plausible = (beta: number[]) => beta[0] > medianRatio / 4 && beta[0] < medianRatio * 4;
  const start = leastMedianStart(features, targets, 2, 64, seededRandom(1), plausible) ?? [medianRatio, 0];
  const fit = robustFit(features, targets, 2, { ridge: [n * 4e-4 * medianInverse ** 2, 0], prior: [medianRatio, 0], start });
  if (!fit || !(fit.beta[0] > 0) || !fit.beta.every(Number.isFinite)) return { scale: medianRatio, shift: 0, ringPixels: n };
  return { scale: fit.beta[0], shift: fit.beta[1], ringPixels: n };
}
