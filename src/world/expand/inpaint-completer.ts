/**
 * InpaintCompleter: the classical completer, no model. Holes are filled from their border by membrane
 * interpolation (membrane.ts), the smoothest fill that meets the known pixels without a step:
 *   - colour: each sRGB channel from every known pixel, around the mean colour per picture row of
 *     the known pixels around the hole (rowProfile: the horizon and the sky's gradient carry on across
 *     a hole revealed by turning);
 *   - sky: a 0/1 "is sky" channel the same way; a hole pixel is sky where it exceeds 1/2;
 *   - depth: INVERSE depth from the known non-sky pixels only, over the hole pixels that are not sky
 *     (sky, known or filled, is an edge of the membrane, not depth 0). On a plane inverse depth is
 *     affine in the pixel position, so the plane that best fits the known surface around the hole is
 *     taken out first and the membrane fills only what differs from it: a floor or a wall continues
 *     into the hole as the same plane (a membrane alone levels off toward the picture's edges, where
 *     it has zero slope), and the fill still meets every known pixel at the border.
 * It invents no texture, so completed regions look blurred; it is the fallback when no completion
 * model is available, and the baseline such a model must beat.
 */
import { type CompletedView, type Completer, type PartialView, checkPartialView } from './completer.ts';
import { FIXED, FREE, OUTSIDE, solveMembrane } from './membrane.ts';
import { crop, holeWindow, isWholePicture, paste } from './hole-window.ts';
import { distanceToKnown, ringAround } from './ring.ts';
import { seededRandom } from '../../core/random.ts';
import { leastMedianStart, robustFit } from './robust-fit.ts';

export interface InpaintOptions {
  /**
   * With a row guide in the view (PartialView.rowGuide): the distance from the known pixels, as a share
   * of the picture's width, over which the fill moves from the ring's row profile to the guide's
   * (1 - 1/e of the way, along 1 - exp(-(d / reach)^2)); default 1/4 (128 px at 512)
   */
  guideReach?: number;
}

export class InpaintCompleter implements Completer {
  readonly name = 'inpaint';
  private readonly guideReach: number;

  constructor(options: InpaintOptions = {}) {
    this.guideReach = options.guideReach ?? 1 / 4;
    if (!(this.guideReach > 0 && Number.isFinite(this.guideReach))) {
      throw new Error(`inpaint: expected guideReach as a positive share of the width, found ${options.guideReach}`);
    }
  }

  async complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView> {
    signal?.throwIfAborted();
    checkPartialView(view);
    const { width, height } = view;
    // Only the hole's window matters (hole-window.ts): its margin covers the plane fit's ring.
    const window = holeWindow(view.mask, width, height, Math.max(2, Math.round(RING_SHARE * width)) + 2);
    const reach = this.guideReach;
    if (!window || isWholePicture(window, width, height)) return fill(view, width, reach, signal);
    const part = fill({
      ...view, width: window.width, height: window.height,
      intrinsics: { ...view.intrinsics, width: window.width, height: window.height, cx: view.intrinsics.cx - window.x0, cy: view.intrinsics.cy - window.y0 },
      rgb: crop(view.rgb, 3, width, window), depth: crop(view.depth, 1, width, window), mask: crop(view.mask, 1, width, window),
      rowGuide: view.rowGuide?.slice(4 * window.y0, 4 * (window.y0 + window.height)),
    }, width, reach, signal);
    // (A loop: Float32Array.from with a map function calls it per pixel, ~100x slower.)
    const rgb = view.rgb.slice(), depth = new Float32Array(view.depth.length);
    for (let i = 0; i < depth.length; i++) { const d = view.depth[i]; depth[i] = d > 0 ? d : 0; }
    paste(rgb, part.rgb, 3, width, window);
    paste(depth, part.depth, 1, width, window);
    return { rgb, depth };
  }
}

/** The fill of a whole (possibly cropped) view; `fullWidth` sets the ring's width (and the guide's reach) as for the whole view. */
function fill(view: PartialView, fullWidth: number, guideReach: number, signal?: AbortSignal): CompletedView {
  const { width, height, mask, rgb, depth } = view;
  const pixels = width * height;
  // Each per-pixel pass is a function of its own (see align.ts: small loops are optimised once).
  const { colourState, colourSky, depthState, inverse, known, knownSurface } = membraneInputs(mask, rgb, depth);
  if (known === 0) {
    // Nothing to continue from: a neutral grey sky rather than an invented scene.
    return { rgb: new Float32Array(3 * pixels).fill(0.5), depth: new Float32Array(pixels) };
  }
  // The known pixels around the hole: the row profile and the border plane both read them.
  const ring = ringAround(mask, width, height, Math.max(2, Math.round(RING_SHARE * fullWidth)));
  // Colour and sky by elevation first (rowProfile), the membrane fills what differs from it.
  const profile = rowProfile(colourSky, ring, width, height);
  addRowProfile(colourSky, profile, width, height, mask, -1);
  const filledColourSky = solveMembrane(colourSky, 4, colourState, width, height, { signal, fineSweeps: FINE_SWEEPS });
  addRowProfile(filledColourSky, profile, width, height, null, 1);
  // With a guide (the world's original view by elevation), the fill moves from the ring's profile to
  // the guide's with the distance from the known pixels: at the border it is the fill above (no step,
  // the ring's horizon where the ring has it), far in it is the guide's colour, so fills that continue
  // fills over a turn do not drift. (Screening the membrane toward the guide instead bent the fill
  // right at the border wherever the ring's rows differ from the guide's: a seam.) The pull starts
  // with zero slope at the border (Gaussian in the distance): 1 - exp(-d / reach) tilted the first
  // pixels of the fill by (guide - profile) / reach per pixel, a step that bench/expand counted as seam.
  if (view.rowGuide !== undefined) pullToGuide(filledColourSky, mask, profile, view.rowGuide, width, height, guideReach * fullWidth);
  // Hole pixels that came out sky are outside the depth membrane too, as known sky is.
  markFilledSky(mask, filledColourSky, depthState);
  const plane = knownSurface > 0 ? borderPlane(view, ring, inverse, depthState) : [0, 0, 0];
  const farthest = farthestInverse(ring, inverse, depthState);
  const skySeen = skyShare(ring, depthState) >= SKY_SEEN;
  subtractPlane(inverse, depthState, plane, width, height);
  const filledResidual = knownSurface > 0 ? solveMembrane(inverse, 1, depthState, width, height, { signal, fineSweeps: FINE_SWEEPS }) : inverse;
  return assemble(view, filledColourSky, filledResidual, depthState, plane, knownSurface > 0, farthest, skySeen);
}

/** The membranes' inputs: colour + sky share (4 per pixel) fixed at known pixels, inverse depth fixed at known surface. */
function membraneInputs(mask: Uint8Array, rgb: Float32Array, depth: Float32Array) {
  const pixels = mask.length;
  const colourState = new Uint8Array(pixels);
  const colourSky = new Float32Array(4 * pixels);
  const depthState = new Uint8Array(pixels);
  const inverse = new Float32Array(pixels);
  let known = 0, knownSurface = 0;
  for (let i = 0; i < pixels; i++) {
    if (mask[i]) { colourState[i] = FREE; depthState[i] = FREE; continue; }
    known++;
    colourState[i] = FIXED;
    colourSky[4 * i] = rgb[3 * i]; colourSky[4 * i + 1] = rgb[3 * i + 1]; colourSky[4 * i + 2] = rgb[3 * i + 2];
    const sky = !(depth[i] > 0);
    colourSky[4 * i + 3] = sky ? 1 : 0;
    if (sky) { depthState[i] = OUTSIDE; continue; }
    knownSurface++;
    depthState[i] = FIXED;
    inverse[i] = 1 / depth[i];
  }
  return { colourState, colourSky, depthState, inverse, known, knownSurface };
}

function markFilledSky(mask: Uint8Array, filledColourSky: Float32Array, depthState: Uint8Array): void {
  for (let i = 0; i < mask.length; i++) if (mask[i] && filledColourSky[4 * i + 3] > 0.5) depthState[i] = OUTSIDE;
}

/** Hole pixels += w (guide - profile) per row, w = 1 - exp(-(distance to the nearest known pixel / reach)^2). */
function pullToGuide(values: Float32Array, mask: Uint8Array, profile: Float32Array, guide: Float32Array, width: number, height: number, reach: number): void {
  const distance = distanceToKnown(mask, width, height);
  for (let y = 0, i = 0; y < height; y++) {
    const p = 4 * y;
    for (let x = 0; x < width; x++, i++) {
      if (!mask[i]) continue;
      const r = distance[i] / reach, w = 1 - Math.exp(-r * r);
      for (let c = 0; c < 4; c++) values[4 * i + c] += w * (guide[p + c] - profile[p + c]);
    }
  }
}

/** values (4 per pixel) += sign x the row's profile, at every pixel or (with `knownOnly`) at its zero pixels only. */
function addRowProfile(values: Float32Array, profile: Float32Array, width: number, height: number, knownOnly: Uint8Array | null, sign: 1 | -1): void {
  for (let y = 0, i = 0; y < height; y++) {
    const p = 4 * y;
    for (let x = 0; x < width; x++, i++) {
      if (knownOnly !== null && knownOnly[i]) continue;
      const o = 4 * i;
      if (sign < 0) { values[o] -= profile[p]; values[o + 1] -= profile[p + 1]; values[o + 2] -= profile[p + 2]; values[o + 3] -= profile[p + 3]; }
      else { values[o] += profile[p]; values[o + 1] += profile[p + 1]; values[o + 2] += profile[p + 2]; values[o + 3] += profile[p + 3]; }
    }
  }
}

/** The border plane's inverse depth at pixel (x, y). */
const planeAt = (plane: number[], x: number, y: number, width: number) => plane[0] * ((x + 0.5) / width) + plane[1] * ((y + 0.5) / width) + plane[2];

function subtractPlane(inverse: Float32Array, depthState: Uint8Array, plane: number[], width: number, height: number): void {
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) if (depthState[i] === FIXED) inverse[i] -= planeAt(plane, x, y, width);
  }
}

/**
 * The smallest inverse depth (the farthest surface) among the known surface pixels of the ring, 0 if none.
 * A fill's surface goes no farther than this: the border plane extrapolated across a wide hole can
 * reach inverse depth 0 or below (a slight slope in the depth model's ground is enough over 200 px),
 * and a surface pixel there came out as sky (depth 0): lifted onto the sky shell, and without mirrored
 * texture, which is never copied from surface to sky (how a turn's fills became flat bands by 60 degrees).
 */
function farthestInverse(ring: Uint8Array, inverse: Float32Array, depthState: Uint8Array): number {
  let far = Infinity;
  for (let i = 0; i < ring.length; i++) if (ring[i] && depthState[i] === FIXED && inverse[i] < far) far = inverse[i];
  return Number.isFinite(far) && far > 0 ? far : 0;
}

/**
 * The share of the ring's known pixels that are sky (depth 0: OUTSIDE in depthState; the ring holds
 * known pixels only, so the hole's own filled sky is not counted), 0 for an empty ring.
 */
function skyShare(ring: Uint8Array, depthState: Uint8Array): number {
  let sky = 0, all = 0;
  for (let i = 0; i < ring.length; i++) {
    if (!ring[i]) continue;
    all++;
    if (depthState[i] === OUTSIDE) sky++;
  }
  return all > 0 ? sky / all : 0;
}

/**
 * The completed view: known pixels as given, hole pixels from the membranes (colour clamped; depth =
 * 1 / (plane + residual); 0 = sky). Below the horizon the depth is no farther than `farthest`: a ray
 * pointing down meets the ground, so no sky can be there however far the border plane recedes. Above
 * the horizon, where the ring shows sky (`skySeen`), the surface may recede to infinity: where plane +
 * residual reaches 0 (a ground plane's inverse depth is 0 exactly at the horizon, a wall's or a
 * ceiling's at its vanishing line) what lies beyond is sky, as bench/expand's courtyard shows (clamped
 * there, the ground's plane continued upward painted a far surface band across the top of the view
 * where the truth is sky). Without sky around the hole (a room; a photo world whose depth model gave
 * its sky a distance) the clamp holds above the horizon too: a fill invents no sky the view does not
 * show (the sample photo turned round: its far shore and hills became flat sky bands otherwise).
 */
function assemble(view: PartialView, filledColourSky: Float32Array, filledResidual: Float32Array, depthState: Uint8Array, plane: number[], anySurface: boolean, farthest: number, skySeen: boolean): CompletedView {
  const { width, height, mask, rgb, depth } = view;
  const outRgb = new Float32Array(3 * width * height), outDepth = new Float32Array(width * height);
  const { across, down, level } = rayRise(view);
  for (let y = 0, i = 0; y < height; y++) {
    const rowRise = down[y];
    for (let x = 0; x < width; x++, i++) {
      if (!mask[i]) {
        outRgb[3 * i] = rgb[3 * i]; outRgb[3 * i + 1] = rgb[3 * i + 1]; outRgb[3 * i + 2] = rgb[3 * i + 2];
        outDepth[i] = depth[i] > 0 ? depth[i] : 0;
        continue;
      }
      for (let c = 0; c < 3; c++) outRgb[3 * i + c] = Math.min(1, Math.max(0, filledColourSky[4 * i + c]));
      const extrapolated = planeAt(plane, x, y, width) + filledResidual[i];
      const inv = skySeen && across[x] + rowRise + level > 0 ? extrapolated : Math.max(farthest, extrapolated);
      outDepth[i] = depthState[i] === OUTSIDE || !anySurface || !(inv > 0) ? 0 : 1 / inv;
    }
  }
  return { rgb: outRgb, depth: outDepth };
}

/**
 * The world-up (+Y) component of the ray through pixel (x, y)'s centre, camera.ts's conventions: > 0
 * above the horizon, < 0 below it (not normalised: only its sign is read), as across[x] + down[y] +
 * level, added in that order: m[3] dx + m[4] dy + m[5] dz for the camera-space point at depth 1 on the
 * ray (unprojectPixel's dx, dy, dz), its terms made once per column and row rather than by a closure
 * and an array per hole pixel.
 */
function rayRise(view: PartialView): { across: Float64Array; down: Float64Array; level: number } {
  const m = view.pose.worldFromCamera, k = view.intrinsics;
  const across = new Float64Array(view.width), down = new Float64Array(view.height);
  for (let x = 0; x < view.width; x++) across[x] = m[3] * (((x + 0.5 - k.cx) / k.fx) * 1);
  for (let y = 0; y < view.height; y++) down[y] = m[4] * ((-(y + 0.5 - k.cy) / k.fy) * 1);
  return { across, down, level: m[5] * -1 };
}

/**
 * The plane (in inverse depth, affine in the pixel position as 1/depth is on any plane) that best fits
 * the known surface around the hole: inverse ~ a u / W + b v / W + c over the ring of known non-sky
 * pixels within RING_SHARE of the picture width of a hole pixel, robustly (robust-fit.ts). At most
 * 4096 ring pixels are used, evenly spread.
 */
function borderPlane(view: PartialView, ring: Uint8Array, inverse: Float32Array, depthState: Uint8Array): number[] {
  const { width } = view;
  // Counted, then listed (a growing array of numbers was most of this function's time).
  let count = 0;
  for (let i = 0; i < ring.length; i++) if (ring[i] && depthState[i] === FIXED) count++;
  const picked = new Int32Array(count);
  for (let i = 0, k = 0; i < ring.length; i++) if (ring[i] && depthState[i] === FIXED) picked[k++] = i;
  if (picked.length < 3) return [0, 0, picked.length ? picked.reduce((s, i) => s + inverse[i], 0) / picked.length : 0];
  const step = Math.max(1, Math.floor(picked.length / 4096));
  const n = Math.floor(picked.length / step);
  const features = new Float64Array(3 * n), targets = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const i = picked[s * step], x = i % width, y = (i - x) / width;
    // (Written element by element: an array literal per sample was one allocation each.)
    features[3 * s] = (x + 0.5) / width; features[3 * s + 1] = (y + 0.5) / width; features[3 * s + 2] = 1;
    targets[s] = inverse[i];
  }
  // A slight pull of the slopes toward 0: a ring along one line (a thin hole) does not fix the slope across it.
  // Started from the least-median plane: the ring often holds the ground and an object in front of
  // it, and least squares would start between the two (leastMedianStart picks the plane of the majority).
  const start = leastMedianStart(features, targets, 3, 64, seededRandom(1)) ?? undefined;
  const fit = robustFit(features, targets, 3, { ridge: [1e-6 * n, 1e-6 * n, 0], start });
  return fit ? fit.beta : [0, 0, targets.reduce((s, t) => s + t, 0) / n];
}

/**
 * Colour and sky share per picture row, averaged over the ring of known pixels around the hole (rows
 * without ring pixels take the nearest rows' values). A camera that turns (the usual way to reveal
 * something) sees sky above, ground below and the horizon between at the same rows as the known part
 * beside the hole, so the fill follows this profile across the hole; a membrane alone would level
 * every row to one average colour a few hole-widths in (its edges at the top and bottom are free).
 */
function rowProfile(values: Float32Array, ring: Uint8Array, width: number, height: number): Float32Array {
  const profile = new Float32Array(4 * height), count = new Float64Array(height);
  for (let i = 0; i < ring.length; i++) {
    if (!ring[i]) continue;
    const y = Math.floor(i / width);
    for (let c = 0; c < 4; c++) profile[4 * y + c] += values[4 * i + c];
    count[y]++;
  }
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    if (count[y] === 0) continue;
    for (let c = 0; c < 4; c++) profile[4 * y + c] /= count[y];
    rows.push(y);
  }
  if (rows.length === 0) return profile;
  // Rows between ring rows: linear between them; beyond the first and last: constant.
  for (let y = 0, r = 0; y < height; y++) {
    if (count[y] > 0) continue;
    while (r < rows.length && rows[r] < y) r++;
    const below = r < rows.length ? rows[r] : -1, above = r > 0 ? rows[r - 1] : -1;
    for (let c = 0; c < 4; c++) {
      if (above < 0) profile[4 * y + c] = profile[4 * below + c];
      else if (below < 0) profile[4 * y + c] = profile[4 * above + c];
      else profile[4 * y + c] = profile[4 * above + c] + ((y - above) / (below - above)) * (profile[4 * below + c] - profile[4 * above + c]);
    }
  }
  return profile;
}

/** The least share of sky among the ring's pixels for a fill to see sky beyond a receding surface (a stray pixel of a depth map is not the sky). */
const SKY_SEEN = 0.01;

/** The ring's width as a share of the picture's width (16 px at 512). */
const RING_SHARE = 1 / 32;

/** Sweeps at full resolution: the fill is smooth, the coarser levels carry it (4 instead of 16 is ~3x faster at 512 x 384). */
const FINE_SWEEPS = 4;
