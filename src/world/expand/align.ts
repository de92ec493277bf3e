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
 * Colour gets the same local correction across the same border pixels (a completer's colours can be
 * off by a shade at the border).
 * Sky (depth 0) is left alone: it has no depth to align, and it is an edge of the correction.
 */
import { FIXED, FREE, OUTSIDE, solveMembrane } from './membrane.ts';
import { crop, holeWindow, isWholePicture, paste } from './hole-window.ts';
import { ringAround } from './ring.ts';
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
    || knownRgb.length !== 3 * pixels || completedRgb.length !== 3 * pixels) {
    throw new Error(`align: expected mask and depths of ${pixels} values and colours of ${3 * pixels} for ${width}x${height}, found ${mask.length}, ${knownDepth.length}, ${completedDepth.length}, ${knownRgb.length}, ${completedRgb.length}`);
  }
  const radius = Math.max(2, Math.round((options.ringShare ?? 1 / 32) * width));
  // Nothing farther than the ring from a hole pixel takes part (hole-window.ts): work on that window.
  const window = holeWindow(mask, width, height, radius + 2);
  if (!window || isWholePicture(window, width, height)) return alignWindow(input, width, radius, options);
  const part = alignWindow({
    width: window.width, height: window.height,
    mask: crop(mask, 1, width, window), knownDepth: crop(knownDepth, 1, width, window), knownRgb: crop(knownRgb, 3, width, window),
    completedDepth: crop(completedDepth, 1, width, window), completedRgb: crop(completedRgb, 3, width, window),
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
  let colourCorrection: Float32Array | null = null;
  // Only across the border pixels the depth correction uses: not across an occlusion edge.
  if (correctColour && border.anyColour) {
    colourCorrection = solveMembrane(border.colourResidual, 3, border.state, width, height, { screening, signal: options.signal, fineSweeps: 4 });
  }
  const rgb = mergedColour(mask, knownRgb, completedRgb, colourCorrection);
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
 * behind the completion, or the completion is sky; in the rest of the hole (FREE: unknown, or the
 * world's depth a step behind the completion) the corrected completion (0 = sky).
 */
function correctedDepth(mask: Uint8Array, state: Uint8Array, knownDepth: Float32Array, completedDepth: Float32Array, aligned: Float32Array, correction: Float32Array): Float32Array {
  const depth = new Float32Array(mask.length);
  for (let i = 0; i < depth.length; i++) {
    if (!mask[i] || state[i] !== FREE) { depth[i] = knownDepth[i]; continue; }
    const inv = aligned[i] + correction[i];
    // An aligned completion pushed to or past infinity is sky.
    depth[i] = completedDepth[i] > 0 && inv > 0 ? 1 / inv : 0;
  }
  return depth;
}

/** In the hole the completion's colour plus the correction, clamped to 0..1; the world's elsewhere. */
function mergedColour(mask: Uint8Array, knownRgb: Float32Array, completedRgb: Float32Array, colourCorrection: Float32Array | null): Float32Array {
  const rgb = new Float32Array(knownRgb.length);
  for (let i = 0; i < mask.length; i++) {
    for (let c = 0; c < 3; c++) {
      const j = 3 * i + c;
      rgb[j] = mask[i] ? Math.min(1, Math.max(0, completedRgb[j] + (colourCorrection ? colourCorrection[j] : 0))) : knownRgb[j];
    }
  }
  return rgb;
}

interface BorderResiduals {
  /** FIXED at border pixels (and poorly seen hole pixels) with their residual, FREE on the hole's surface, OUTSIDE elsewhere (known pixels; sky in the completion) */
  state: Uint8Array;
  depthResidual: Float32Array;
  colourResidual: Float32Array;
  anyColour: boolean;
}

/**
 * The step between the world and the aligned completion across the hole's border. At a known pixel p
 * beside hole pixels q, the world's inverse depth is carried one pixel on to each q (linearly, from p
 * and the known pixel behind it, so a sloping floor does not count as a step) and compared with the
 * completion there; colour is compared as it is. A hole pixel the world knows the depth of (seen, but
 * poorly, or partly) is its own border, compared in place, and FREE when it is a step behind.
 * Steps beyond `edgeRatio` are occlusion edges and constrain nothing.
 */
function borderResiduals(input: AlignInput, aligned: Float32Array, edgeRatio: number): BorderResiduals {
  const { width, height, mask, knownDepth, knownRgb, completedDepth, completedRgb } = input;
  const pixels = width * height;
  const state = new Uint8Array(pixels).fill(OUTSIDE);
  const depthResidual = new Float32Array(pixels), colourResidual = new Float32Array(3 * pixels);
  let anyColour = false;
  const surface = (i: number) => knownDepth[i] > 0;
  for (let i = 0; i < pixels; i++) {
    if (mask[i]) {
      if (!(completedDepth[i] > 0)) continue; // sky in the completion: outside
      if (!surface(i)) { state[i] = FREE; continue; }
      const r = 1 / knownDepth[i] - aligned[i];
      if (isStep(1 / knownDepth[i], aligned[i], edgeRatio)) {
        // The world's depth here is well behind the completion: most often the expected depth of a
        // pixel at a silhouette, where the render mixes a near surface with what lies behind it (the
        // sky shell at 200 m: 40-90 m between a tree at 5 m and the sky). Held, it became a splat
        // floating in mid-air beside the border; the completion decides instead. Such a mixture is
        // never nearer than the surface in front, so a world depth well before the completion is a
        // surface of its own (or the completion's error: the rooms' walls) and is held, unconstrained.
        if (1 / knownDepth[i] < aligned[i]) state[i] = FREE;
        continue;
      }
      state[i] = FIXED; depthResidual[i] = r;
      continue;
    }
    if (!surface(i)) continue;
    const x = i % width, y = (i - x) / width;
    const inv = 1 / knownDepth[i];
    let depthSum = 0, n = 0, r = 0, g = 0, b = 0, colourN = 0;
    for (let side = 0; side < 4; side++) {
      const dx = side === 0 ? -1 : side === 1 ? 1 : 0, dy = side === 2 ? -1 : side === 3 ? 1 : 0;
      const qx = x + dx, qy = y + dy;
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      const q = qy * width + qx;
      if (!mask[q]) continue;
      r += knownRgb[3 * i] - completedRgb[3 * q]; g += knownRgb[3 * i + 1] - completedRgb[3 * q + 1]; b += knownRgb[3 * i + 2] - completedRgb[3 * q + 2];
      colourN++;
      if (!(completedDepth[q] > 0)) continue;
      // The world's inverse depth carried on to q: p + (p - behind), if the pixel behind p is the same surface.
      const bx = x - dx, by = y - dy, behind = by * width + bx;
      let carried = inv;
      if (bx >= 0 && by >= 0 && bx < width && by < height && !mask[behind] && surface(behind) && !isStep(inv, 1 / knownDepth[behind], edgeRatio)) {
        carried = 2 * inv - 1 / knownDepth[behind];
      }
      if (isStep(carried, aligned[q], edgeRatio)) continue;
      depthSum += carried - aligned[q];
      n++;
    }
    if (colourN === 0) continue;
    if (n === 0) {
      // Beside the hole but across an occlusion edge (or beside sky): the hole is another surface.
      continue;
    }
    state[i] = FIXED;
    depthResidual[i] = depthSum / n;
    colourResidual[3 * i] = r / colourN; colourResidual[3 * i + 1] = g / colourN; colourResidual[3 * i + 2] = b / colourN;
    // Less than half an 8-bit level (the inpainter's own fill) is not worth a solve.
    if (Math.max(Math.abs(r), Math.abs(g), Math.abs(b)) > (0.5 / 255) * colourN) anyColour = true;
  }
  return { state, depthResidual, colourResidual, anyColour };
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
