/**
 * TextureSynthesisCompleter: texture for a smooth fill by example (issue #5). It wraps another completer
 * (the inpainter: its colour meets the known pixels without a step and, with the colour guide, closes a
 * full turn without a jump, but it carries no texture) and keeps that completer's depth and LOW-frequency
 * colour; the HIGH-frequency detail of the hole is copied from the known pixels as whole patches, chosen
 * where the known picture looks like what the fill should be:
 *
 *   low            = box low-pass of the completed picture within one class, sky or surface
 *                    (class-box-mean.ts, as mirror-detail.ts does)
 *   detail(known)  = known colour - low, softly limited (m tanh(d / m): an object's edge copied into a
 *                    hole stays a faint ghost, fine texture passes)
 *   fill(hole)     = low + detail of the chosen source patches, each less its own mean (meanFree),
 *                    feathered where patches overlap
 *
 * The hole is cut into P x P patches on a grid, visited from the known part inwards (the order of their
 * distance to the known pixels: each patch is chosen beside pixels already known or synthesised, as in
 * Efros-Leung / Criminisi onion-peel filling). A patch's source is a P x P block of the known picture
 * whose (P + 2 O)^2 window is entirely known; the cost of a source is
 *   - over the window's pixels already defined (known, or synthesised by earlier patches): the squared
 *     difference of detail (the new patch continues the texture it meets: image quilting's overlap error);
 *   - over the patch's hole pixels: `lowWeight` x the squared difference of the LOW-pass colour between
 *     the hole pixel (what the inpainter and the guide say the fill is) and the source pixel (so water
 *     texture goes where the fill is water-coloured), and `classPenalty` where one is sky and the other not
 *     (no cloud texture on the ground nor grass in the sky);
 *   - `rowWeight` x P^2 x (rows between source and target / height)^2, and random candidates come from
 *     rows within `band` x height of the patch (from anywhere only where those rows hold none): a row of
 *     a view turned on the spot is one elevation, so grass stays low and clouds high;
 *   - `energyWeight` x hole pixels x (the source's RMS detail - the RMS detail of the known pixels of the
 *     same class in the target's rows)^2: a squared difference alone favours flat sources, and a fill of
 *     flat sources is the blur this replaces.
 * The search is PatchMatch-like and coarse: the sources of already-chosen neighbours shifted by one patch
 * (propagation: a region is copied coherently, as larger pieces), `candidates` random blocks in the row
 * band, then a random search around the best with halving radius. The random generator is seeded, so a
 * fill is deterministic. Detail is copied only between pixels of the same class. Where feathered patch
 * margins overlap, the weighted mean of their detail is brought back to their RMS magnitude (two
 * patches that disagree would otherwise average into a fainter texture, and a fill made of fills fades
 * further at every stop of a turn).
 *
 * A second source (PartialView.texture, texture-source.ts: the world's photo re-rendered at the view's pixel
 * scale) joins the view as a canvas below it: `sourceCandidates` more random windows per patch come from its
 * rows at the patch's elevation (its `row` map), costed by the same terms. Where a turn closes the view's
 * known pixels are smooth earlier fills and the photo is the only texture left. Windows of it with more
 * than `objectLimit` x the class's median energy are objects (boats), not texture, and are never copied;
 * the energy a fill's rows should carry is the photo's per-row median where it has the class there (or
 * the view's own, if larger). Pixels beside the other class carry no detail in either source (a silhouette's
 * mixed pixels; clearClassBorders).
 *
 * Hole pixels no patch reaches (no usable source) keep the inner fill; within `ramp` pixels of the known
 * part the inner fill (which meets the known pixels) fades into low + detail, as in mirror-detail.ts, and
 * within `mirrorBorder` pixels the synthesised detail fades into the known pixels' own detail mirrored
 * across the border (random detail right at the border is a step there: bench/fill-texture.bench.ts,
 * seam ratio 1.32 without, 0.91 with, the mirror's 0.93). Known pixels are returned exactly as given;
 * colours stay in 0..1; bad input is rejected by the inner completer's own check (one line).
 */
import { seededRandom } from '../../core/random.ts';
import { classBoxMean } from './class-box-mean.ts';
import type { CompletedView, Completer, PartialView, TextureSource } from './completer.ts';
import { DetailCompleter, completedPicture } from './detail-completer.ts';
import { distanceToKnown } from './ring.ts';

export interface TextureSynthesisOptions {
  /** box radius of the low-pass in pixels; default width / 64 (8 at 512), at least 1 */
  radius?: number;
  /** patch side P in pixels; default width / 64 (8 at 512), at least 2 */
  patch?: number;
  /** overlap margin O around a patch (matched against, feathered into); default P / 4, at least 1 */
  overlap?: number;
  /** random source candidates per patch; default 4 */
  candidates?: number;
  /** weight of the low-pass colour term against the detail overlap term; default 1 */
  lowWeight?: number;
  /** cost per hole pixel whose source is of the other class (sky / surface); default 1 */
  classPenalty?: number;
  /**
   * weight of the texture-energy term: the source's RMS detail against the RMS detail of the known
   * pixels of the same class in the target's rows (a squared difference alone favours flat sources,
   * and a fill of flat sources is the blur this is meant to replace); default 4
   */
  energyWeight?: number;
  /** the energy term's target weights each known pixel by its own |detail|^2 (see expectedEnergy); default false */
  texturedTarget?: boolean;
  /** weight of the row-distance term (see above); default 0.5 */
  rowWeight?: number;
  /** random candidates come from rows within band x height of the patch's row; default 1/6 */
  band?: number;
  /** soft limit of the copied detail per channel (m tanh(d / m), as mirror-detail.ts); default 0.1, Infinity for none */
  maxDetail?: number;
  /** pixels from the known part over which the inner fill fades into low + detail; default radius / 2 */
  ramp?: number;
  /**
   * pixels from the known part over which mirrored detail (mirror-detail.ts: continuous with the known
   * pixels' own detail at the border) fades into the synthesised one; 0 = none; default `ramp`, at least 1
   */
  mirrorBorder?: number;
  /**
   * where feathered patches overlap, the weighted mean of their detail is brought to their weighted RMS
   * magnitude (at most doubled): patches that agree stay as they are, patches that disagree are not
   * averaged into a fainter texture; false = the plain weighted mean; default true
   */
  preserveVariance?: boolean;
  /**
   * each copied patch's mean detail (per class, over its P x P interior) is taken out before it is
   * pasted, so a patch brings texture and not a colour offset: a window half over an object has a
   * mean detail far from 0, and a row of such patches was a row of blocks alternately lighter and
   * darker than the fill's low-pass colour (the 8 px "barcode" in thin strips along a view's bottom,
   * seen again as known pixels by the next stop, where the turn closes). Pixels that carry no detail
   * (clearClassBorders) are left out of the mean and keep none. bench/fill-texture --guide (same session):
   * all fills 15.02 dB / texture 0.85 / seam 0.90 -> 15.07 / 0.87 / 0.89, loop closure 17.27 / 0.55 /
   * 1.38 -> 17.39 / 0.50 / 1.33 (the truth's seam over the same pairs: 1.22). Also weighing the energy
   * term by each window's variance (what a mean-free patch pastes) gave more texture (0.91, closure
   * 0.53) and the closure seam back at 1.38: not kept; nor was leaving out the view's own windows over
   * 1.5x its class median energy as objects (all fills' texture 0.87 -> 0.50). default true
   */
  meanFree?: boolean;
  /** seed of the search's random generator; default 1 */
  seed?: number;
  /**
   * random source candidates per patch from the view's texture source (PartialView.texture: the photo),
   * besides `candidates` from the view itself; default 4 (0 = the texture source is not used)
   */
  sourceCandidates?: number;
  /**
   * windows of the texture source whose mean |detail|^2 exceeds this multiple of the median of their
   * class (sky or surface) over the whole texture source are objects, not texture, and are not copied
   * (docs/grow: without this, fills round the turn were collages of the photo's boats, whose brown
   * matched the fills' low-pass colour; against the row's median instead, rows mostly of boats kept
   * them; at 4 rows of water still took boat pieces); default 1.5
   */
  objectLimit?: number;
}

export class TextureSynthesisCompleter extends DetailCompleter {
  readonly usesTexture: boolean;

  /** `name`: the completer's name; by default the inner one's with '+detail' (detail-completer.ts). */
  constructor(inner: Completer, private readonly options: TextureSynthesisOptions = {}, name?: string) {
    super(inner, (view, completed) => synthesiseDetail(view, completed, options), 'texture synthesis', name);
    this.usesTexture = sourceCandidateCount(options) > 0;
  }

  /**
   * Splits `texture` now as this completer's fills of width x height views will (low-pass, detail, the
   * median energies per row: cached per texture source), so the first expansion does not pay for it
   * (~0.1-0.2 s of CPU for the sample photo's source at 512 x 384); also the texture source's
   * all-known windows and the kept arrays for its canvas (made and written once, so the first fill does
   * not take their pages from the system). Changes no fill.
   */
  prepareTexture(texture: TextureSource, width: number, height: number): void {
    if (!this.usesTexture) return;
    const settings = sourceSettings(width, this.options);
    const c = preparedSource(texture, width, height, settings), S = windowSide(settings.P, this.options);
    sourceWindows(c, height, S);
    keptSat(c.SW, c.SH).fill(0);
    keptXs(c.SW * (c.SH - S + 1)).fill(0);
  }
}

/** What the texture source's split depends on: low-pass radius, patch side, detail limit (Infinity: none). */
interface SourceSettings { radius: number; P: number; maxDetail: number }

/** The settings for fills of width w (synthesiseDetail reads the same, so a prepared split is the one a fill finds). */
function sourceSettings(w: number, options: TextureSynthesisOptions): SourceSettings {
  const maxDetail = options.maxDetail ?? 0.1;
  return {
    radius: Math.max(1, Math.round(options.radius ?? w / 64)),
    P: Math.max(2, Math.round(options.patch ?? w / 64)),
    maxDetail: Number.isFinite(maxDetail) ? maxDetail : Infinity,
  };
}

/** The overlap margin O round a patch of side P (the option's default and rounding, in one place). */
function overlapOf(P: number, options: TextureSynthesisOptions): number {
  return Math.max(1, Math.round(options.overlap ?? P / 4));
}

/** A source window's side S = P + 2 O. */
function windowSide(P: number, options: TextureSynthesisOptions): number {
  return P + 2 * overlapOf(P, options);
}

/** Random candidates per patch from the view's texture source (the option's default and rounding, in one place). */
function sourceCandidateCount(options: TextureSynthesisOptions): number {
  return Math.max(0, Math.round(options.sourceCandidates ?? 4));
}

/** The inner completion's low-pass colour with detail copied from known patches in the hole; known pixels exactly `view.rgb`. */
export function synthesiseDetail(view: PartialView, completed: CompletedView, options: TextureSynthesisOptions = {}): Float32Array {
  const { width: w, height: h, mask } = view;
  const n = w * h;
  const settings = sourceSettings(w, options);
  const { radius, P, maxDetail } = settings;
  const O = overlapOf(P, options);
  const S = windowSide(P, options); // a source window's side
  const candidates = Math.max(0, Math.round(options.candidates ?? 4));
  const energyWeight = options.energyWeight ?? 4;
  const lowWeight = options.lowWeight ?? 1, classPenalty = options.classPenalty ?? 1, rowWeight = options.rowWeight ?? 0.5;
  const band = Math.max(1, Math.round((options.band ?? 1 / 6) * h));
  const ramp = Math.max(0, options.ramp ?? Math.round(radius / 2));
  const random = seededRandom(options.seed ?? 1);

  const { rgb: out, holes, skyClass } = completedPicture(view, completed);
  if (holes === 0 || holes === n || w < S || h < S) return out;

  const low = classBoxMean(out, skyClass, w, h, radius);
  const detail = knownDetail(view.rgb, low, mask, maxDetail);
  clearClassBorders(detail, skyClass, w, h);
  const energy = detailEnergy(detail);
  let rowEnergy = expectedEnergy(energy, mask, skyClass, w, h, Math.max(1, band >> 2), options.texturedTarget ?? false);

  // What sources are copied from (the "canvas", stride SW): the view's own known pixels, and below them,
  // after a row that belongs to neither (no window straddles the two), the texture source when there
  // is one. Without one the canvas IS the view's arrays (the same fill as before the texture source).
  const sourceCandidates = view.texture ? sourceCandidateCount(options) : 0;
  const canvas = sourceCandidates > 0 && view.texture
    ? textureCanvas(view.texture, w, h, mask, skyClass, detail, low, energy, settings)
    : { SW: w, SH: h, unknown: mask, detail, low, sky: skyClass, energy, rowOf: null, exemplarRow: null, energyByRow: null, exemplarEnergy: null, source: null };
  const { SW, SH, unknown: sUnknown, detail: sDetail, low: sLow, sky: sSky, energy: sEnergy, rowOf, exemplarRow } = canvas;
  // The fill should carry the photo's texture per row where the photo has that class there: the view's
  // own known pixels are mostly earlier, smooth fills where a turn closes.
  if (canvas.energyByRow) rowEnergy = mergeEnergy(canvas.energyByRow, rowEnergy);

  // Source windows (top-left corners) whose S x S pixels are all known.
  const valid = canvas.source ? canvasWindows(canvas.source, mask, w, h, S) : knownWindows(sUnknown, SW, SH, S);
  // Texture energy per source window interior (a summed-area table of |detail|^2).
  const energySat = summedArea(sEnergy, SW, SH, keptSat(SW, SH));
  if (canvas.exemplarEnergy) dropObjects(valid, canvas, energySat, S, O, P, options.objectLimit ?? 1.5);
  const { rowStart, xs, allRows } = windowRows(valid, SW, SH, S);
  if (allRows.length === 0) return out; // nothing big enough to copy from: the inner fill stays

  // Target patches on the grid, from the known part inwards.
  const gw = Math.ceil(w / P), gh = Math.ceil(h / P);
  // Chessboard distance to the known part: the patches' order, the ramp and the mirrored border all read it.
  const dist = distanceToKnown(mask, w, h, 1);
  const order = patchOrder(mask, dist, w, h, P, gw, gh);

  const search = new PatchSearch({
    w, h, P, O, S, SW, SH, band, candidates, sourceCandidates, lowWeight, classPenalty, rowWeight, energyWeight,
    meanFree: options.meanFree ?? true, random, mask, skyClass, detail, low, rowEnergy,
    sDetail, sLow, sSky, sEnergy, rowOf, exemplarRow, energySat, valid, rowStart, xs, allRows,
  });
  search.run(order, gw, gh);

  composeDetail(out, low, search.acc, search.weight, search.power, mask, dist, ramp, options.preserveVariance ?? true);
  const mirrorBorder = Math.max(0, Math.round(options.mirrorBorder ?? Math.max(1, ramp)));
  // Next to the known part the synthesised detail fades into the known pixels' own detail mirrored
  // across the border (as mirror-detail.ts does), so the first hole pixels continue the pixels they
  // touch: random detail there would be a step right at the border.
  if (mirrorBorder > 0) mirrorDetailAtBorder(out, completed.rgb, low, detail, mask, skyClass, dist, w, h, ramp, mirrorBorder);
  return out;
}

// The passes below are functions of their own, each with its loop, rather than loops of one long
// function: V8 compiles a small function once and reuses it from the next call on, while a loop in a
// long function is compiled on the stack (OSR) with the whole function, again for each hot loop and
// after each deoptimisation (synthesiseDetail was compiled 11 times over a photo world's first three
// stops, most of their time before it ran optimised). Same arithmetic, same order: same bits.

/** |detail|^2 per pixel (x ** 2 of a float32 value is its exact square, as x * x). */
function detailEnergy(detail: Float32Array): Float32Array {
  const n = detail.length / 3, energy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = detail[3 * i], g = detail[3 * i + 1], b = detail[3 * i + 2];
    energy[i] = r * r + g * g + b * b;
  }
  return energy;
}

/** Per window row y, its valid x in xs[rowStart[y] .. rowStart[y + 1]); the rows that have any. */
function windowRows(valid: Uint8Array, SW: number, SH: number, S: number): { rowStart: Int32Array; xs: Int32Array; allRows: number[] } {
  const rowStart = new Int32Array(SH - S + 2), xs = keptXs(SW * (SH - S + 1));
  const allRows: number[] = [];
  for (let y = 0, k = 0; y <= SH - S; y++) {
    rowStart[y] = k;
    for (let x = 0, at = y * SW; x <= SW - S; x++) if (valid[at + x]) xs[k++] = x;
    rowStart[y + 1] = k;
    if (k > rowStart[y]) allRows.push(y);
  }
  return { rowStart, xs, allRows };
}

/** The grid patches (index gy * gw + gx) that hold hole pixels, nearest to the known part first (ties: grid order). */
function patchOrder(mask: Uint8Array, dist: Float32Array, w: number, h: number, P: number, gw: number, gh: number): number[] {
  const key = new Float32Array(gw * gh).fill(Infinity);
  for (let y = 0; y < h; y++) {
    const row = ((y / P) | 0) * gw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      const g = row + ((x / P) | 0);
      if (dist[i] < key[g]) key[g] = dist[i];
    }
  }
  const order: number[] = [];
  for (let g = 0; g < gw * gh; g++) if (key[g] < Infinity) order.push(g);
  order.sort((a, b) => key[a] - key[b] || a - b);
  return order;
}

/** What the patch search reads: the view (w x h) and the canvas its sources come from (SW x SH). */
interface SearchInput {
  w: number; h: number; P: number; O: number; S: number; SW: number; SH: number; band: number;
  candidates: number; sourceCandidates: number; lowWeight: number; classPenalty: number; rowWeight: number; energyWeight: number;
  meanFree: boolean; random: () => number;
  mask: Uint8Array; skyClass: Uint8Array; detail: Float32Array; low: Float32Array; rowEnergy: Float32Array;
  sDetail: Float32Array; sLow: Float32Array; sSky: Uint8Array; sEnergy: Float32Array;
  rowOf: Float32Array | null; exemplarRow: Int32Array | null; energySat: Float64Array; valid: Uint8Array;
  rowStart: Int32Array; xs: Int32Array; allRows: number[];
}

/**
 * The patch-by-patch search and paste: each patch's source is chosen, then its detail is added (feathered)
 * into acc / weight / power before the next patch is costed against it.
 */
class PatchSearch {
  /** Synthesised detail: weighted sums, weights and weighted |detail|^2 per hole pixel (feathered patch margins). */
  readonly acc: Float32Array;
  readonly weight: Float32Array;
  readonly power: Float32Array;
  /** per class (0, 4): the mean detail R, G, B and pixel count over a source's interior; 8 ..: zeros */
  private readonly mean = new Float64Array(12);
  // The patch being chosen and its best source so far.
  private tx = 0;
  private ty = 0;
  private best = Infinity;
  private bx = -1;
  private by = -1;
  private targetRms = 0;
  private holePixels = 0;
  /** feather weight of window pixel (u + O, v + O), index (v + O) * S + u + O (paste) */
  private readonly feather: Float64Array;

  constructor(private readonly s: SearchInput) {
    const n = s.w * s.h;
    this.acc = new Float32Array(3 * n);
    this.weight = new Float32Array(n);
    this.power = new Float32Array(n);
    this.feather = featherWeights(s.P, s.O);
  }

  run(order: number[], gw: number, gh: number): void {
    const { w, h, P, SW, band, candidates, sourceCandidates, random, mask, skyClass, rowEnergy } = this.s;
    const source = new Int32Array(gw * gh).fill(-1); // chosen window top-left (y * SW + x) per patch
    for (const g of order) {
      const gx = g % gw, gy = (g / gw) | 0;
      const tx = gx * P, ty = gy * P;
      this.tx = tx; this.ty = ty; this.best = Infinity; this.bx = -1; this.by = -1;
      // The RMS detail this patch's hole pixels should carry.
      let expected = 0, holePixels = 0;
      for (let y = ty; y < Math.min(h, ty + P); y++) {
        for (let x = tx; x < Math.min(w, tx + P); x++) {
          const i = y * w + x;
          if (mask[i]) { holePixels++; expected += rowEnergy[skyClass[i] * h + y]; }
        }
      }
      this.holePixels = holePixels;
      this.targetRms = Math.sqrt(expected / holePixels);
      // Propagation: a neighbour's source shifted by one patch continues the same piece of texture.
      if (gx > 0 && source[g - 1] >= 0) this.tryWindow((source[g - 1] % SW) + P, ((source[g - 1] / SW) | 0));
      if (gx + 1 < gw && source[g + 1] >= 0) this.tryWindow((source[g + 1] % SW) - P, ((source[g + 1] / SW) | 0));
      if (gy > 0 && source[g - gw] >= 0) this.tryWindow(source[g - gw] % SW, ((source[g - gw] / SW) | 0) + P);
      if (gy + 1 < gh && source[g + gw] >= 0) this.tryWindow(source[g + gw] % SW, ((source[g + gw] / SW) | 0) - P);
      for (let k = 0; k < candidates; k++) { const r = this.randomWindow(ty); this.tryWindow(r % SW, (r / SW) | 0); }
      for (let k = 0; k < sourceCandidates; k++) { const r = this.randomSourceWindow(ty); if (r >= 0) this.tryWindow(r % SW, (r / SW) | 0); }
      if (this.bx < 0) { const r = this.randomWindow(ty); this.bx = r % SW; this.by = (r / SW) | 0; }
      // Random search round the best, radius halving from an eighth of the band (PatchMatch).
      for (let r = band >> 3; r >= 1; r >>= 1) {
        this.tryWindow(this.bx + Math.round((2 * random() - 1) * r), this.by + Math.round((2 * random() - 1) * r));
      }
      source[g] = this.by * SW + this.bx;
      this.paste(tx, ty, this.bx, this.by);
    }
  }

  private tryWindow(x: number, y: number): void {
    const { S, SW, SH, valid } = this.s;
    if (!(x >= 0 && y >= 0 && x <= SW - S && y <= SH - S && valid[y * SW + x] === 1) || (x === this.bx && y === this.by)) return;
    const c = this.cost(this.tx, this.ty, x, y, this.best, this.targetRms, this.holePixels);
    if (c < this.best) { this.best = c; this.bx = x; this.by = y; }
  }

  /** A random source window in rows near the patch's (window row ty - O), else anywhere. */
  private randomWindow(ty: number): number {
    const { h, O, S, band, random, rowStart, allRows } = this.s;
    for (let tries = 0; tries < 4; tries++) {
      const y = ty - O + Math.round((2 * random() - 1) * band);
      if (y < 0 || y > h - S || rowStart[y + 1] - rowStart[y] === 0) continue;
      return this.windowInRow(y);
    }
    return this.windowInRow(allRows[(random() * allRows.length) | 0]);
  }

  /** A random valid window (y * SW + x) of window row y, which has some. */
  private windowInRow(y: number): number {
    const { SW, random, rowStart, xs } = this.s;
    return y * SW + xs[rowStart[y] + ((random() * (rowStart[y + 1] - rowStart[y])) | 0)];
  }

  /** A random window of the texture source in rows at the elevation of the patch's, -1 when none is found. */
  private randomSourceWindow(ty: number): number {
    const { h, O, S, SH, band, random, rowStart } = this.s;
    const centre = this.s.exemplarRow![ty];
    for (let tries = 0; tries < 4; tries++) {
      const y = centre - O + Math.round((2 * random() - 1) * band);
      if (y <= h || y > SH - S || rowStart[y + 1] - rowStart[y] === 0) continue;
      return this.windowInRow(y);
    }
    return -1;
  }

  /**
   * Cost of copying the window at (wx, wy) onto the patch whose interior starts at (tx, ty), over the
   * window's pixels in a checkerboard (half the work; half of a window's pixels still rank candidates
   * well: bench/fill-texture.bench.ts moved by at most 0.01, together with the random search starting at a
   * quarter of the band); stops early past `best`.
   */
  private cost(tx: number, ty: number, wx: number, wy: number, best: number, targetRms: number, holePixels: number): number {
    const { w, h, P, O, SW, rowWeight, energyWeight, lowWeight, classPenalty, rowOf, energySat, mask, skyClass, detail, low, sDetail, sLow, sSky } = this.s;
    const { acc, weight } = this;
    const W1 = SW + 1;
    const dy = ((rowOf ? rowOf[wy + O] : wy + O) - ty) / h;
    let c = rowWeight * P * P * dy * dy;
    if (energyWeight > 0) {
      const x0 = wx + O, y0 = wy + O, x1 = x0 + P, y1 = y0 + P;
      const e = (energySat[y1 * W1 + x1] - energySat[y0 * W1 + x1] - energySat[y1 * W1 + x0] + energySat[y0 * W1 + x0]) / (P * P);
      const d = Math.sqrt(Math.max(0, e)) - targetRms;
      c += energyWeight * holePixels * d * d;
    }
    if (c >= best) return c; // the row and energy terms alone rule it out
    for (let v = -O; v < P + O; v++) {
      const y = ty + v;
      if (y < 0 || y >= h) continue;
      const inRows = v >= 0 && v < P;
      for (let u = -O + ((v + O) & 1); u < P + O; u += 2) {
        const x = tx + u;
        if (x < 0 || x >= w) continue;
        const t = y * w + x, s = (wy + O + v) * SW + (wx + O + u);
        const same = skyClass[t] === sSky[s];
        if (!mask[t]) {
          if (same) {
            const a = detail[3 * t] - sDetail[3 * s], b = detail[3 * t + 1] - sDetail[3 * s + 1], e = detail[3 * t + 2] - sDetail[3 * s + 2];
            c += a * a + b * b + e * e;
          }
          continue;
        }
        const wt = weight[t];
        if (wt > 0 && same) {
          const a = acc[3 * t] / wt - sDetail[3 * s], b = acc[3 * t + 1] / wt - sDetail[3 * s + 1], e = acc[3 * t + 2] / wt - sDetail[3 * s + 2];
          c += a * a + b * b + e * e;
        }
        if (inRows && u >= 0 && u < P) {
          if (!same) c += classPenalty;
          else {
            const a = low[3 * t] - sLow[3 * s], b = low[3 * t + 1] - sLow[3 * s + 1], e = low[3 * t + 2] - sLow[3 * s + 2];
            c += lowWeight * (a * a + b * b + e * e);
          }
        }
      }
      if (c >= best) return c;
    }
    return c;
  }

  /** Feathered copy of the window's detail onto the patch and its margin (hole pixels of the same class only). */
  private paste(tx: number, ty: number, wx: number, wy: number): void {
    const { w, h, P, O, SW, meanFree, mask, skyClass, sDetail, sSky, sEnergy } = this.s;
    const { acc, weight, power, mean, feather } = this;
    mean.fill(0, 0, 8);
    if (meanFree) {
      for (let v = 0; v < P; v++) {
        for (let u = 0; u < P; u++) {
          const s = (wy + O + v) * SW + (wx + O + u), k = 4 * sSky[s];
          if (!(sEnergy[s] > 0)) continue; // pixels that carry no detail (clearClassBorders) keep none
          mean[k] += sDetail[3 * s]; mean[k + 1] += sDetail[3 * s + 1]; mean[k + 2] += sDetail[3 * s + 2]; mean[k + 3]++;
        }
      }
      for (let k = 0; k < 8; k += 4) if (mean[k + 3] > 0) { mean[k] /= mean[k + 3]; mean[k + 1] /= mean[k + 3]; mean[k + 2] /= mean[k + 3]; }
    }
    for (let v = -O; v < P + O; v++) {
      const y = ty + v;
      if (y < 0 || y >= h) continue;
      const fRow = (v + O) * (P + 2 * O) + O;
      for (let u = -O; u < P + O; u++) {
        const x = tx + u;
        if (x < 0 || x >= w) continue;
        const t = y * w + x, s = (wy + O + v) * SW + (wx + O + u);
        if (!mask[t] || skyClass[t] !== sSky[s]) continue;
        const fw = feather[fRow + u];
        const k = sEnergy[s] > 0 ? 4 * sSky[s] : 8; // mean[8 ..] stays 0: a pixel without detail keeps none
        const r = sDetail[3 * s] - mean[k], g = sDetail[3 * s + 1] - mean[k + 1], b = sDetail[3 * s + 2] - mean[k + 2];
        acc[3 * t] += fw * r; acc[3 * t + 1] += fw * g; acc[3 * t + 2] += fw * b;
        weight[t] += fw; power[t] += fw * (meanFree ? r * r + g * g + b * b : sEnergy[s]);
      }
    }
  }
}

/**
 * The feather weight of each pixel of a patch's (P + 2 O)^2 window (index (v + O) (P + 2 O) + u + O): 1
 * inside, falling linearly over the margin, the product of its row's and column's; the same doubles
 * paste computed per pixel (two divisions each) before.
 */
function featherWeights(P: number, O: number): Float64Array {
  const S = P + 2 * O, out = new Float64Array(S * S);
  for (let v = -O; v < P + O; v++) {
    const fy = v < 0 ? (O + 1 + v) / (O + 1) : v >= P ? (O + P - v) / (O + 1) : 1;
    for (let u = -O; u < P + O; u++) out[(v + O) * S + u + O] = fy * (u < 0 ? (O + 1 + u) / (O + 1) : u >= P ? (O + P - u) / (O + 1) : 1);
  }
  return out;
}

/** low + synthesised detail in the hole (out holds the inner fill there); the inner fill fades into it within `ramp` of the known part. */
function composeDetail(
  out: Float32Array, low: Float32Array, acc: Float32Array, weight: Float32Array, power: Float32Array,
  mask: Uint8Array, dist: Float32Array, ramp: number, preserve: boolean,
): void {
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || !(weight[i] > 0)) continue;
    const t = ramp > 0 ? Math.min(1, dist[i] / ramp) : 1;
    const k = 3 * i, wi = weight[i];
    let scale = 1 / wi;
    if (preserve) {
      // (acc ** 2 of a float32 value is its exact square, as acc * acc.)
      const a0 = acc[k], a1 = acc[k + 1], a2 = acc[k + 2];
      const mean2 = (a0 * a0 + a1 * a1 + a2 * a2) / (wi * wi), rms2 = power[i] / wi;
      if (mean2 > 0) scale *= Math.min(2, Math.sqrt(rms2 / mean2));
    }
    for (let c = 0; c < 3; c++) {
      const j = k + c, synth = low[j] + acc[j] * scale, v = t >= 1 ? synth : out[j] + t * (synth - out[j]);
      out[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}

/** Within `mirrorBorder` of the known part, the synthesised detail in `out` fades into the known detail mirrored across the border. */
function mirrorDetailAtBorder(
  out: Float32Array, inner: Float32Array, low: Float32Array, detail: Float32Array, mask: Uint8Array, skyClass: Uint8Array,
  dist: Float32Array, w: number, h: number, ramp: number, mirrorBorder: number,
): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i] || dist[i] > mirrorBorder) continue;
      const s = mirrorSource(mask, w, h, x, y, mirrorBorder);
      if (s < 0 || skyClass[s] !== skyClass[i]) continue;
      const a = 1 - (dist[i] - 1) / mirrorBorder, t = ramp > 0 ? Math.min(1, dist[i] / ramp) : 1;
      for (let c = 0; c < 3; c++) {
        // out[j] holds the synthesised value (or the inner fill where none came); the mirrored one
        // fades from the inner fill by the same ramp.
        const j = 3 * i + c, mirrored = inner[j] + t * (low[j] + detail[3 * s + c] - inner[j]);
        const v = out[j] + a * (mirrored - out[j]);
        out[j] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
}

/**
 * The known pixel mirroring hole pixel (x, y) across the nearest border within `reach` pixels along its
 * row (left, then right), else its column (up, then down): the hole pixel k pixels from the border takes
 * the known pixel k - 1 pixels beyond it. -1 where none is known.
 */
function mirrorSource(mask: Uint8Array, w: number, h: number, x: number, y: number, reach: number): number {
  const row = y * w;
  for (let k = 1; k <= reach; k++) {
    if (x - k >= 0 && !mask[row + x - k]) { const sx = x - 2 * k + 1; return sx >= 0 && !mask[row + sx] ? row + sx : -1; }
    if (x + k < w && !mask[row + x + k]) { const sx = x + 2 * k - 1; return sx < w && !mask[row + sx] ? row + sx : -1; }
  }
  for (let k = 1; k <= reach; k++) {
    if (y - k >= 0 && !mask[(y - k) * w + x]) { const sy = y - 2 * k + 1; return sy >= 0 && !mask[sy * w + x] ? sy * w + x : -1; }
    if (y + k < h && !mask[(y + k) * w + x]) { const sy = y + 2 * k - 1; return sy < h && !mask[sy * w + x] ? sy * w + x : -1; }
  }
  return -1;
}

/** Detail at known pixels (colour - low, softly limited by m tanh(d / m)); 0 in the hole. */
function knownDetail(rgb: Float32Array, low: Float32Array, mask: Uint8Array, m: number): Float32Array {
  const d = new Float32Array(rgb.length);
  const soft = Number.isFinite(m);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) continue;
    for (let c = 3 * i; c < 3 * i + 3; c++) d[c] = soft ? m * softSign((rgb[c] - low[c]) / m) : rgb[c] - low[c];
  }
  return d;
}

/**
 * No detail at pixels beside one of another class (8-neighbours; `classOf` any small integers): a
 * render mixes a silhouette's two sides over a pixel or so, and such a pixel, called sky by its depth
 * beyond the far limit, is a dark sliver in the sky's detail, not texture. Copied patch by patch into
 * filled sky, those slivers were the faint vertical lines (1-2 px wide, tens of pixels tall) over the
 * horizon of bench/expand's courtyard (its boxes' edges), inside the known region at later stops.
 */
function clearClassBorders(detail: Float32Array, classOf: Uint8Array, w: number, h: number): void {
  // A pixel's 8-neighbourhood (with itself) holds another class exactly when its 3 x 3 block is not
  // uniform: its smallest and largest class differ. Both by separable 3-wide min / max passes.
  const lo = new Uint8Array(w * h), hi = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * w; x < w; x++, i++) {
      const a = classOf[i], l = x > 0 ? classOf[i - 1] : a, r = x + 1 < w ? classOf[i + 1] : a;
      lo[i] = a < l ? (a < r ? a : r) : (l < r ? l : r);
      hi[i] = a > l ? (a > r ? a : r) : (l > r ? l : r);
    }
  }
  for (let y = 0; y < h; y++) {
    const up = y > 0 ? -w : 0, down = y + 1 < h ? w : 0;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      const mn = Math.min(lo[i], lo[i + up], lo[i + down]), mx = Math.max(hi[i], hi[i + up], hi[i + down]);
      if (mn !== mx) { detail[3 * i] = 0; detail[3 * i + 1] = 0; detail[3 * i + 2] = 0; }
    }
  }
}

/**
 * tanh by its [3/2] Pade form x (27 + x^2) / (27 + 9 x^2), within 0.03 of it for |x| <= 3 and clamped
 * to +-1 beyond: Math.tanh per channel of every known pixel was a third of this file's time.
 */
function softSign(x: number): number {
  if (x >= 3) return 1;
  if (x <= -3) return -1;
  const x2 = x * x;
  return (x * (27 + x2)) / (27 + 9 * x2);
}

// The two largest arrays of a fill (3.8 and 1.9 MB for the sample world's canvas), kept from one fill
// to the next of the same canvas: fresh ones are zeroed page by page by the system at first touch,
// milliseconds per fill (colour-steps.ts measured the same for its kernel memory). Neither outlives a
// fill (synthesiseDetail returns neither, and runs to its end before another fill starts).
let satKept: { SW: number; SH: number; sat: Float64Array } | null = null;
let xsKept = new Int32Array(0);

/**
 * A summed-area table for a SW x SH canvas to write into: the kept one when it is for this canvas
 * (summedArea writes every cell but the first row and column, which stay 0 from when it was made).
 */
function keptSat(SW: number, SH: number): Float64Array {
  if (!satKept || satKept.SW !== SW || satKept.SH !== SH) satKept = { SW, SH, sat: new Float64Array((SW + 1) * (SH + 1)) };
  return satKept.sat;
}

/** Room for `n` window columns (windowRows writes those it reads); the kept array when it is as long. */
function keptXs(n: number): Int32Array {
  if (xsKept.length !== n) xsKept = new Int32Array(n);
  return xsKept;
}

/** Summed-area table ((w + 1) x (h + 1), a zero row and column first) of one value per pixel. */
function summedArea(v: Float32Array, w: number, h: number, into?: Float64Array): Float64Array {
  const W1 = w + 1, sat = into ?? new Float64Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) { row += v[y * w + x]; sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1] + row; }
  }
  return sat;
}

/**
 * Mean |detail|^2 of the known pixels of each class (index class * h + y) in rows y - r .. y + r; rows
 * with fewer than a row's worth of that class nearby take the class's mean over the picture, or the
 * picture's mean. `textured`: each pixel weighted by its own |detail|^2, so a row half of sharp photo
 * and half of smooth earlier fills asks for the photo's texture, not half of it.
 */
function expectedEnergy(energy: Float32Array, mask: Uint8Array, classOf: Uint8Array, w: number, h: number, r: number, textured: boolean): Float32Array {
  const sum = new Float64Array(2 * h), weight = new Float64Array(2 * h), count = new Float64Array(2 * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (mask[i]) continue;
      const e = energy[i], k = classOf[i] * h + y, wt = textured ? e : 1;
      sum[k] += wt * e; weight[k] += wt; count[k]++;
    }
  }
  let all = 0, allWeight = 0;
  for (let k = 0; k < 2 * h; k++) { all += sum[k]; allWeight += weight[k]; }
  const out = new Float32Array(2 * h);
  for (let c = 0; c < 2; c++) {
    let cs = 0, cw = 0;
    for (let y = 0; y < h; y++) { cs += sum[c * h + y]; cw += weight[c * h + y]; }
    const fallback = cw > 0 ? cs / cw : allWeight > 0 ? all / allWeight : 0;
    for (let y = 0; y < h; y++) {
      let s = 0, sw = 0, k = 0;
      for (let j = Math.max(0, y - r); j <= Math.min(h - 1, y + r); j++) { s += sum[c * h + j]; sw += weight[c * h + j]; k += count[c * h + j]; }
      out[c * h + y] = k >= w && sw > 0 ? s / sw : fallback; // fewer than a row's worth of pixels is not a statistic
    }
  }
  return out;
}

/** 1 at (x, y) (index y * w + x) where the S x S window with that top-left corner is entirely known. */
function knownWindows(mask: Uint8Array, w: number, h: number, S: number): Uint8Array {
  // Hole pixels per window by a summed-area table of the mask (integer sums, exact; any non-zero mask
  // value is a hole, and only a sum of 0 is read).
  const W1 = w + 1, sat = new Int32Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) { row += mask[y * w + x]; sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1] + row; }
  }
  const valid = new Uint8Array(w * h);
  for (let y = 0; y + S <= h; y++) {
    for (let x = 0; x + S <= w; x++) {
      const holes = sat[(y + S) * W1 + x + S] - sat[y * W1 + x + S] - sat[(y + S) * W1 + x] + sat[y * W1 + x];
      if (holes === 0) valid[y * w + x] = 1;
    }
  }
  return valid;
}

/**
 * knownWindows of the canvas (the view's rows, one unknown row, the texture source's rows), from the
 * view's mask and the texture source's part made once: a window is all known only within the view's
 * rows or within the texture source's (each taller than S; one over the row between holds it), so the
 * canvas's windows are the view's and the texture source's own, the same 0 / 1 as over the whole
 * canvas (integer counts). The view's part is written at the canvas's stride; columns past the view's
 * width are unknown there, and windows over them stay 0 as knownWindows leaves them.
 */
function canvasWindows(c: PreparedSource, mask: Uint8Array, w: number, h: number, S: number): Uint8Array {
  const { SW, SH } = c, top = h + 1, source = sourceWindows(c, h, S);
  const valid = new Uint8Array(SW * SH);
  valid.set(source, top * SW);
  const own = knownWindows(mask, w, h, S);
  for (let y = 0; y + S <= h; y++) valid.set(own.subarray(y * w, y * w + w - S + 1), y * SW);
  return valid;
}

/** The texture source's rows of the canvas's all-known windows of side S (made once per side, then kept). */
function sourceWindows(c: PreparedSource, h: number, S: number): Uint8Array {
  let source = c.windows.get(S);
  if (!source) {
    const top = h + 1;
    source = knownWindows(c.unknown.subarray(top * c.SW), c.SW, c.SH - top, S);
    c.windows.set(S, source);
  }
  return source;
}

/**
 * The texture canvas of a view (its mask and arrays as synthesiseDetail hands them), and its all-known
 * windows both ways, canvasWindows and knownWindows over the whole canvas (for their tests).
 */
export function canvasForTest(
  texture: TextureSource, mask: Uint8Array, w: number, h: number, S: number,
  view: { sky: Uint8Array; detail: Float32Array; low: Float32Array; energy: Float32Array },
) {
  const canvas = textureCanvas(texture, w, h, mask, view.sky, view.detail, view.low, view.energy, sourceSettings(w, {}));
  return { canvas, split: canvasWindows(canvas.source, mask, w, h, S), whole: knownWindows(canvas.unknown, canvas.SW, canvas.SH, S) };
}

/** The texture source split as the view is, and its canvas rows: made once per texture source and settings (it does not change). */
interface PreparedSource {
  radius: number; maxDetail: number; P: number; w: number; h: number;
  SW: number; SH: number;
  unknown: Uint8Array; sky: Uint8Array; detail: Float32Array; low: Float32Array; energy: Float32Array;
  /** per texture-source row and class (index class * th + row): the median over the row's pixels of that class of their P x P mean |detail|^2; NaN with too few */
  rowEnergy: Float32Array;
  /** the same median per class over the whole texture source (NaN where it has none of the class) */
  classEnergy: Float32Array;
  /** per window side S: the texture source's rows of the canvas's knownWindows (they do not change) */
  windows: Map<number, Uint8Array>;
}
const prepared = new WeakMap<Float32Array, PreparedSource>();

/**
 * The canvas sources are copied from: the view (rows 0 .. h - 1, its holes unknown), one unknown row,
 * then the texture source (its uncovered pixels unknown), at the stride of the wider of the two. The
 * texture source is split into low + detail as the view is (class box mean of the same radius, the same
 * soft limit). Also: per canvas row, the view row at the same elevation (rowOf); per view row, the
 * canvas row of the texture source nearest that elevation (exemplarRow); and per class and view row the
 * texture energy a fill should carry there (energyByRow, NaN where the texture source has too little of
 * that class): the MEDIAN of its P x P windows' energy, so that a few boats in a row of water do not ask
 * every fill in that row for boat-like contrast (with the mean, fills copied boat pieces).
 * The texture source's part is made once per texture source (cached); the view's part is written each call.
 */
function textureCanvas(
  t: NonNullable<PartialView['texture']>, w: number, h: number, mask: Uint8Array, skyClass: Uint8Array,
  detail: Float32Array, low: Float32Array, energy: Float32Array, settings: SourceSettings,
) {
  const tw = t.width, th = t.height, top = h + 1;
  const c = preparedSource(t, w, h, settings);
  const { SW, SH, unknown, sky, detail: sDetail, low: sLow, energy: sEnergy } = c;
  // The view's rows (a cached canvas is overwritten: this function runs to its end before another call).
  // Row by row as blocks (set: a copy of the values, not a loop over them); the columns past the
  // view's width are unknown, and nothing reads their other arrays.
  unknown.fill(1, 0, h * SW);
  for (let y = 0; y < h; y++) {
    const i = y * w, s = y * SW;
    unknown.set(mask.subarray(i, i + w), s); sky.set(skyClass.subarray(i, i + w), s); sEnergy.set(energy.subarray(i, i + w), s);
    sDetail.set(detail.subarray(3 * i, 3 * (i + w)), 3 * s); sLow.set(low.subarray(3 * i, 3 * (i + w)), 3 * s);
  }
  const rowOf = new Float32Array(SH).fill(NaN);
  for (let y = 0; y < h; y++) rowOf[y] = y;
  for (let y = 0; y < th; y++) rowOf[top + y] = t.row[y];
  // Per view row, the texture source's row nearest its elevation (rows are monotone in elevation).
  const exemplarRow = new Int32Array(h);
  for (let y = 0, r = 0; y < h; y++) {
    while (r + 1 < th && Math.abs(t.row[r + 1] - y) <= Math.abs(t.row[r] - y)) r++;
    exemplarRow[y] = top + r;
  }
  const energyByRow = new Float32Array(2 * h).fill(NaN);
  for (let k = 0; k < 2; k++) {
    for (let y = 0; y < h; y++) {
      const r = exemplarRow[y] - top;
      // Only where the texture source's row really is at this elevation (not the nearest of rows far off).
      if (Math.abs(t.row[r] - y) <= 2) energyByRow[k * h + y] = c.rowEnergy[k * th + r];
    }
  }
  return { SW, SH, unknown, detail: sDetail, low: sLow, sky, energy: sEnergy, rowOf, exemplarRow, energyByRow, exemplarEnergy: c.classEnergy, top, source: c };
}

/** Whether fills of width x height views with these options find `t` already split and its windows made (prepareTexture; for tests). */
export function texturePrepared(t: TextureSource, width: number, height: number, options: TextureSynthesisOptions = {}): boolean {
  const c = prepared.get(t.rgb), settings = sourceSettings(width, options);
  return c !== undefined && isFor(c, t, width, height, settings) && c.windows.has(windowSide(settings.P, options));
}

const isFor = (c: PreparedSource, t: TextureSource, w: number, h: number, { radius, P, maxDetail }: SourceSettings) =>
  c.radius === radius && c.maxDetail === maxDetail && c.P === P && c.w === w && c.h === h && c.SW === Math.max(w, t.width);

/** The cached split of the texture source for these settings, made now if there is none. */
function preparedSource(t: TextureSource, w: number, h: number, settings: SourceSettings): PreparedSource {
  let c = prepared.get(t.rgb);
  if (!c || !isFor(c, t, w, h, settings)) {
    c = prepareSource(t, w, h, settings.radius, settings.maxDetail, settings.P);
    prepared.set(t.rgb, c);
  }
  return c;
}

/** Marks the texture source's windows whose interior energy is over `limit` x their class's median as not valid (objects, not texture). */
function dropObjects(
  valid: Uint8Array, c: { SW: number; SH: number; sky: Uint8Array; exemplarEnergy: Float32Array; top: number },
  sat: Float64Array, S: number, O: number, P: number, limit: number,
): void {
  if (!(limit < Infinity)) return;
  const { SW, SH, top } = c, W1 = SW + 1, area = P * P;
  for (let y = top; y + S <= SH; y++) {
    const centreRow = y + O + (P >> 1);
    for (let x = 0; x + S <= SW; x++) {
      const at = y * SW + x;
      if (!valid[at]) continue;
      const median = c.exemplarEnergy[c.sky[centreRow * SW + x + O + (P >> 1)]];
      if (!Number.isFinite(median)) continue;
      const x0 = x + O, y0 = y + O, x1 = x0 + P, y1 = y0 + P;
      const e = (sat[y1 * W1 + x1] - sat[y0 * W1 + x1] - sat[y1 * W1 + x0] + sat[y0 * W1 + x0]) / area;
      if (e > limit * median) valid[at] = 0;
    }
  }
}

function prepareSource(t: NonNullable<PartialView['texture']>, w: number, h: number, radius: number, maxDetail: number, P: number): PreparedSource {
  const tw = t.width, th = t.height, SW = Math.max(w, tw), SH = h + 1 + th, top = h + 1;
  const unknown = new Uint8Array(SW * SH).fill(1), sky = new Uint8Array(SW * SH);
  const sDetail = new Float32Array(3 * SW * SH), sLow = new Float32Array(3 * SW * SH), sEnergy = new Float32Array(SW * SH);
  // Its uncovered pixels count as surface for the box mean's classes but are never copied: their windows are not valid.
  const tSky = new Uint8Array(tw * th), tMask = new Uint8Array(tw * th);
  for (let i = 0; i < tw * th; i++) { tSky[i] = t.kind[i] === 1 ? 1 : 0; tMask[i] = t.kind[i] === 2 ? 1 : 0; }
  const tLow = classBoxMean(t.rgb, tSky, tw, th, radius);
  const tDetail = knownDetail(t.rgb, tLow, tMask, maxDetail);
  clearClassBorders(tDetail, t.kind, tw, th);
  const tEnergy = new Float32Array(tw * th);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const i = y * tw + x, s = (top + y) * SW + x;
      unknown[s] = tMask[i]; sky[s] = tSky[i];
      for (let c = 0; c < 3; c++) { sDetail[3 * s + c] = tDetail[3 * i + c]; sLow[3 * s + c] = tLow[3 * i + c]; }
      const r = tDetail[3 * i], g = tDetail[3 * i + 1], b = tDetail[3 * i + 2]; // (squares of float32 values: exact, as ** 2)
      tEnergy[i] = tMask[i] ? 0 : r * r + g * g + b * b;
      sEnergy[s] = tEnergy[i];
    }
  }
  const { rowEnergy, classEnergy } = medianEnergies(tEnergy, tMask, tSky, tw, th, P);
  return { radius, maxDetail, P, w, h, SW, SH, unknown, sky, detail: sDetail, low: sLow, energy: sEnergy, rowEnergy, classEnergy, windows: new Map() };
}

/**
 * Per texture-source row and class (index class * th + row), the median P x P window energy round that
 * row's pixels of the class (NaN with fewer than a quarter of the row), and per class the median over a
 * quarter of all its pixels. Sorted as typed arrays: the same values in the same order as a sort of
 * numbers by a - b (no NaN nor -0 can occur: sums of non-negative values), without a comparator call
 * per comparison (those sorts were most of this function's time).
 */
function medianEnergies(tEnergy: Float32Array, tMask: Uint8Array, tSky: Uint8Array, tw: number, th: number, P: number): { rowEnergy: Float32Array; classEnergy: Float32Array } {
  const sat = summedArea(tEnergy, tw, th), W1 = tw + 1, half = P >> 1;
  const rowEnergy = new Float32Array(2 * th).fill(NaN);
  const values = [new Float64Array(tw), new Float64Array(tw)], all = [new Float64Array(tw * th), new Float64Array(tw * th)];
  const count = new Int32Array(2), allCount = new Int32Array(2);
  for (let y = 0; y < th; y++) {
    count[0] = 0; count[1] = 0;
    const y0 = Math.max(0, y - half), y1 = Math.min(th, y0 + P);
    for (let x = 0; x < tw; x++) {
      const i = y * tw + x;
      if (tMask[i]) continue;
      const x0 = Math.max(0, x - half), x1 = Math.min(tw, x0 + P);
      const e = (sat[y1 * W1 + x1] - sat[y0 * W1 + x1] - sat[y1 * W1 + x0] + sat[y0 * W1 + x0]) / ((x1 - x0) * (y1 - y0));
      const k = tSky[i];
      values[k][count[k]++] = e;
      if (((x ^ y) & 3) === 0) all[k][allCount[k]++] = e; // a quarter of the pixels is plenty for a median
    }
    for (let k = 0; k < 2; k++) {
      if (count[k] < tw / 4) continue; // too little of this class in the row to be a statistic
      rowEnergy[k * th + y] = values[k].subarray(0, count[k]).sort()[count[k] >> 1];
    }
  }
  const classEnergy = new Float32Array(2).fill(NaN);
  for (let k = 0; k < 2; k++) if (allCount[k] > 0) classEnergy[k] = all[k].subarray(0, allCount[k]).sort()[allCount[k] >> 1];
  return { rowEnergy, classEnergy };
}

/**
 * Per class and row, the larger of the texture source's energy (where it has one) and the view's own:
 * where a turn closes the view's known pixels are smooth earlier fills and the photo's rows say how
 * textured the fill should be; where the view itself holds sharper texture in those rows, that counts.
 * bench/fill-texture (same code otherwise, one run each): loop closure texture 0.53 with the larger, 0.43
 * with the photo's alone (the view alone: 0.44), at a seam ratio of 1.38 against 1.16 (1.27; truth 0.97).
 */
function mergeEnergy(source: Float32Array, own: Float32Array): Float32Array {
  const out = own.slice();
  for (let k = 0; k < out.length; k++) if (Number.isFinite(source[k]) && source[k] > out[k]) out[k] = source[k];
  return out;
}
