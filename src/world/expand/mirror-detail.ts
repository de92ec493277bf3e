/**
 * MirrorDetailCompleter: texture for a smooth fill. It wraps another completer (the inpainter, whose
 * colour meets the known pixels without a step but carries no texture: a turn round a photo world
 * leaves flat sky, flat ground and a visible seam where the last fill meets the photo's other edge)
 * and keeps that completer's depth and low-frequency colour, adding high-frequency DETAIL borrowed from
 * the known pixels by reflection across the hole's border:
 *
 *   low            = box low-pass of the completed picture (known pixels + the inner fill), averaged
 *                    within one class, sky or surface
 *   detail(source) = known colour - low, at the source
 *   fill(hole)     = low + weight * detail(mirrored source)
 *
 * The source of a hole pixel is its mirror image across the nearest border along its ROW (holes
 * revealed by turning lie left or right of the known part, and a row keeps its elevation: sky detail
 * stays in the sky rows, ground detail in the ground rows), reflected again inside the known run when
 * the hole is wider than the run; pixels whose row has no known border use their COLUMN (holes above
 * or below the known part). A hole bounded on both sides (the loop-closure case: the last fill of a turn
 * meets the first view's other edge) takes detail from both sides, cross-faded by the distance to each
 * border with a variance-preserving weight, so the texture is continuous at both borders and not
 * washed out in the middle. Detail is not copied between sky and surface (the inner completion's sky
 * decision against the source's), so ground texture never lands in the sky.
 *
 * The fill is the LOW-PASS of the inner completion plus detail, not the inner completion plus detail: a
 * membrane fill already takes on the border pixels' own detail next to the border, and adding the
 * mirrored detail to it would double it there. Averaging within one class keeps the horizon (an edge
 * between classes, not texture) as sharp as the inner fill has it, and stops it coming back as a band
 * of 'detail' beside it. A hole pixel that gets no detail keeps the inner fill, and within a few
 * pixels of the known part the inner fill fades into low-pass + detail (`ramp`), so a border across
 * the mirroring direction does not step. Detail is softly limited (`maxDetail`) so mirrored object
 * edges stay faint. Known pixels are returned exactly as given; colours
 * stay in 0..1; bad input is rejected by the inner completer's own check (one line).
 */
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { classBoxMean } from './class-box-mean.ts';
import { DetailCompleter, completedPicture } from './detail-completer.ts';
import { TextureSynthesisCompleter } from './texture-synthesis.ts';
import { distanceToKnown } from './ring.ts';

export interface MirrorDetailOptions {
  /** box radius of the low-pass in pixels; default width / 64 (8 at 512), at least 1 */
  radius?: number;
  /** distance from the border (pixels) over which the detail's weight halves; default Infinity (no fade) */
  halfDistance?: number;
  /** detail's weight at the border; default 1 */
  strength?: number;
  /**
   * detail beyond about this (per channel, 0..1) is compressed (m tanh(d / m)): fine texture passes
   * unchanged, a high-contrast object edge mirrored into the hole stays a faint ghost; default 0.1
   * (bench/fill-texture.bench.ts, per-scene medians: tabletop-0 texture ratio 2.44 -> 1.53, the table's
   * edge mirrored into the floor was the excess, hole PSNR 10.26 -> 10.31 dB; nature-22 22.44 -> 22.59 dB;
   * street-1 16.85 -> 16.86 dB)
   */
  maxDetail?: number;
  /**
   * pixels from the known part over which the inner fill fades into low-pass + detail; default radius / 2
   * (4 at 512: bench/fill-texture.bench.ts, first fill of each tour, seam ratio 1.33 without, 0.96 with,
   * the inpainter's 0.92; the texture ratio is unchanged)
   */
  ramp?: number;
  /** known runs shorter than this (pixels) are not mirrored from (a sliver repeats itself); default 2 * radius */
  minRun?: number;
}

export class MirrorDetailCompleter extends DetailCompleter {
  constructor(inner: Completer, options: MirrorDetailOptions = {}) {
    super(inner, (view, completed) => addMirrorDetail(view, completed, options), 'mirror detail');
  }
}

/**
 * The colour fill of photo worlds (explore, the viewer, the benches): the classical inpainter with
 * texture, by default synthesised from known patches (texture-synthesis.ts), or mirrored across the
 * hole's border ('mirror'). bench/fill-texture.bench.ts --guide, 6 view sets x 11 fills, mirror ->
 * synthesis in one run: hole PSNR 15.01 -> 15.05 dB, texture ratio 0.80 -> 0.87 (truth 1), seam ratio
 * 0.94 -> 0.90 (truth's 0.97); at the loop closure PSNR 17.18 -> 17.31 dB and seam 1.50 -> 1.27, but
 * texture 0.66 -> 0.43 (the mirror copies the first view's detail there at full strength); time added
 * to the inpainter 0.35x -> 0.66x of it. No mirrored ghosts of objects in the fills.
 */
export function texturedInpainter(detail: 'synthesis' | 'mirror' = 'synthesis'): Completer {
  return detail === 'mirror' ? new MirrorDetailCompleter(new InpaintCompleter()) : new TextureSynthesisCompleter(new InpaintCompleter());
}

/** The inner completion's colour with mirrored detail in the hole; known pixels exactly `view.rgb`. */
export function addMirrorDetail(view: PartialView, completed: CompletedView, options: MirrorDetailOptions = {}): Float32Array {
  const { width: w, height: h, mask } = view;
  const n = w * h;
  const radius = Math.max(1, Math.round(options.radius ?? w / 64));
  const half = options.halfDistance ?? Infinity;
  const strength = options.strength ?? 1;
  const maxDetail = options.maxDetail ?? 0.1, soft = Number.isFinite(maxDetail);
  const ramp = Math.max(0, options.ramp ?? Math.round(radius / 2));
  const minRun = Math.max(1, Math.round(options.minRun ?? 2 * radius));

  const { rgb: out, holes, skyClass } = completedPicture(view, completed);
  if (holes === 0 || holes === n) return out;

  // One low-pass of the completed picture, within one class (sky or surface): the horizon is an edge
  // between classes, not texture, and would otherwise come back as a bright or dark band of 'detail'
  // beside it. Detail at a known source = its colour minus this; the fill = this + mirrored detail.
  const low = classBoxMean(out, skyClass, w, h, radius);

  // Per hole pixel: accumulated detail and whether any side gave a source.
  // Mirrored detail is added into `low` at hole pixels: sources are always known pixels, so the
  // low-pass they read is never one that was added to (one picture-sized buffer fewer).
  const detail = low;
  const done = new Uint8Array(n);
  const known = view.rgb;
  const addFrom = (dest: number, source: number, weight: number): number => {
    if (skyClass[source] !== skyClass[dest]) return 0; // no ground texture in the sky, nor the reverse
    const d = 3 * dest, s = 3 * source;
    if (soft) {
      detail[d] += weight * maxDetail * Math.tanh((known[s] - low[s]) / maxDetail);
      detail[d + 1] += weight * maxDetail * Math.tanh((known[s + 1] - low[s + 1]) / maxDetail);
      detail[d + 2] += weight * maxDetail * Math.tanh((known[s + 2] - low[s + 2]) / maxDetail);
      return 1;
    }
    detail[d] += weight * (known[s] - low[s]);
    detail[d + 1] += weight * (known[s + 1] - low[s + 1]);
    detail[d + 2] += weight * (known[s + 2] - low[s + 2]);
    return 1;
  };
  const fades = Number.isFinite(half);
  const fade = (d: number) => (fades ? strength * Math.pow(0.5, d / half) : strength);

  /**
   * One line of pixels (a row or a column): start index, stride, length. Every hole run with a usable
   * known run beside it gets mirrored detail; `onlyUndone` skips pixels a row already served.
   */
  const line = (start: number, stride: number, length: number, onlyUndone: boolean) => {
    let j = 0;
    while (j < length) {
      if (!mask[start + j * stride]) { j++; continue; }
      const a = j;
      while (j < length && mask[start + j * stride]) j++;
      const b = j - 1; // hole run a..b
      // Known runs beside it: left c..a-1, right b+1..e.
      let c = a;
      while (c > 0 && !mask[start + (c - 1) * stride]) c--;
      let e = b;
      while (e < length - 1 && !mask[start + (e + 1) * stride]) e++;
      const leftRun = a - c, rightRun = e - b;
      const useLeft = leftRun >= minRun, useRight = rightRun >= minRun;
      if (!useLeft && !useRight) continue;
      for (let k = a; k <= b; k++) {
        const dest = start + k * stride;
        if (onlyUndone && done[dest]) continue;
        const dl = k - a, dr = b - k;
        let wl = useLeft ? dr + 0.5 : 0, wr = useRight ? dl + 0.5 : 0;
        const sum = wl + wr;
        wl /= sum; wr /= sum;
        // Two uncorrelated textures cross-faded lose contrast in the middle (variance wl^2 + wr^2): restore it.
        const norm = 1 / Math.sqrt(wl * wl + wr * wr);
        const g = fade(useLeft && useRight ? Math.min(dl, dr) : useLeft ? dl : dr) * norm;
        let added = 0;
        if (useLeft) added += addFrom(dest, start + (a - 1 - reflect(dl, leftRun)) * stride, g * wl);
        if (useRight) added += addFrom(dest, start + (b + 1 + reflect(dr, rightRun)) * stride, g * wr);
        if (added) done[dest] = 1;
      }
    }
  };
  for (let y = 0; y < h; y++) line(y * w, 1, w, false);
  for (let x = 0; x < w; x++) line(x, w, h, true);

  // Where no detail came (no source, or only sources of the other class) the inner fill stays as it
  // was: its low-pass alone would undo the membrane's continuity with known pixels of the other class.
  // Within `ramp` pixels of the known part, the inner fill (which meets the known pixels) fades into
  // low-pass + detail, so borders across the mirroring direction (the top and bottom of a hole filled
  // along its rows) do not step either.
  const near = ramp > 0 ? distanceToKnown(mask, w, h, 1, ramp) : null; // chessboard distance, counted up to ramp
  for (let i = 0; i < n; i++) {
    if (!mask[i] || !done[i]) continue;
    const t = near ? near[i] / ramp : 1;
    for (let c = 0; c < 3; c++) {
      const j = 3 * i + c, v = t >= 1 ? low[j] : out[j] + t * (low[j] - out[j]);
      out[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

/** Offset into a known run of `length` pixels for distance `d` from its border: mirrored, then mirrored again. */
function reflect(d: number, length: number): number {
  const t = d % (2 * length);
  return t < length ? t : 2 * length - 1 - t;
}
