/**
 * Texture of hole fills (issue #5): InpaintCompleter alone, decorated with mirrored detail
 * (mirror-detail.ts) and decorated with texture synthesis (texture-synthesis.ts), judged against the true
 * views of the held-out view sets (bench/data/views).
 *
 *   node --import tsx bench/fill-texture.bench.ts [--scenes nature-22,street-1] [--decorators mirror,synth] [--guide [--reach 0.25]] [--dump DIR] [--closure] [--rerender] [--mean-free 0] [--lift-colours 0]
 *     [--radius 8] [--ramp 4] (both decorators) [--max-detail 0.1] (mirror)
 *     [--synth-max-detail 0.1] [--patch 8] [--overlap 2] [--candidates 6] [--low-weight 1] [--energy-weight 4] [--class-penalty 1] [--row-weight 0.5] [--band 0.167] (synth)
 *
 * Per scene, a world is lifted from the exact start view (as in bench/expand.bench.ts), then the camera
 * turns on the spot in 12 stops of 30 degrees (turn01 .. turn11, turn00), expanding at each; one tour with
 * the inpainter alone and one per decorator, each continuing its own fills (the last stops are the loop
 * closure: a hole bounded on both sides by what the world already holds). Each fill is scored over its
 * hole pixels against the true picture:
 *   - hole PSNR (peak 1);
 *   - texture ratio: mean |colour step| between 4-neighbours both in the hole, of the fill / of the truth
 *     (a blur gives ~0.1-0.3, real texture ~1);
 *   - seam ratio: mean colour step over pairs straddling the hole border / over known-known pairs, with
 *     the truth's ratio over the same pairs beside it (a border can run along a real edge);
 *   - time: the inpainter alone on each partial view (the anchor), and what the decorator adds to it
 *     (its own work on that completion), interleaved, best of 3 each.
 * --rerender: per fill, the world rendered right after the expansion from the same pose, in the hole,
 * against the fill itself: the share of the fill's texture (mean step) the lifted splats keep.
 * --closure: the last two fills' border pairs split by side (photo or earlier fill; see seamBreakdown).
 * --lift-colours N: the colour steps of each expansion's lift (ExpandOptions.lift.colourIterations; 0 =
 * the fill's colours lifted as they are); default expandView's. Each tour's lift stage time is printed.
 * --dump DIR writes, per fill of the last decorator's tour, truth | inpaint | each decorator on that
 * partial view. Colours are compared as stored (sRGB-encoded 0..1).
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Intrinsics, type Pose, projectCameraPoint, unprojectPixel } from '../src/core/camera.ts';
import { distanceToKnown } from '../src/world/expand/ring.ts';
import { decodePng, encodeRgbaPng } from '../src/io/png.ts';
import type { CompletedView, Completer, PartialView } from '../src/world/expand/completer.ts';
import { expandView } from '../src/world/expand/expand-view.ts';
import { InpaintCompleter } from '../src/world/expand/inpaint-completer.ts';
import { type MirrorDetailOptions, addMirrorDetail } from '../src/world/expand/mirror-detail.ts';
import { type TextureSynthesisOptions, synthesiseDetail } from '../src/world/expand/texture-synthesis.ts';
import { toRgbImage } from '../src/world/expand/synthetic-scene.ts';
import { liftToSplats } from '../src/world/lift.ts';
import { renderSplats } from '../src/render/rasterizer.ts';
import { openViewSet } from '../src/world/views/view-set.ts';
import { World } from '../src/world/world.ts';

const VIEWS = join(import.meta.dirname, 'data/views');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const mean = (xs: number[]) => { const s = xs.filter(Number.isFinite); return s.reduce((a, b) => a + b, 0) / s.length; };
const median = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s[s.length >> 1]; };

interface Truth { pose: Pose; rgb: Float32Array; depth: Float32Array }

/** One decorator of the inpainter's completion: its name and its own work on a partial view and that completion. */
interface Decorator { name: string; add: (view: PartialView, plain: CompletedView) => Float32Array }

interface Fill { stop: string; partial: PartialView; truth: Truth; plain: CompletedView; decorated: CompletedView | null; plainMs: number; decoratorMs: number; after?: Float32Array; liftMs?: number }

/**
 * A whole tour, expanding with the inpainter alone (`decorator` null) or decorated; every partial view
 * is also completed by the inpainter alone (timed just before, the anchor of the time the decorator adds).
 */
async function tour(scene: string, decorator: Decorator | null): Promise<{ k: Intrinsics; fills: Fill[]; startPose: Pose }> {
  const dir = join(VIEWS, scene);
  const set = await openViewSet({ read: async (n) => new Uint8Array(await readFile(join(dir, n))), decodePng });
  const load = async (name: string): Promise<Truth> => {
    const v = await set.load(name);
    return { pose: v.spec.pose, rgb: Float32Array.from(v.image.data, (b) => b / 255), depth: v.depth.data };
  };
  const k = set.view('start').intrinsics;
  const start = await load('start');
  const image = toRgbImage({ width: k.width, height: k.height, rgb: start.rgb, depth: start.depth });
  const depth = { width: k.width, height: k.height, data: start.depth };
  const world = World.empty();
  world.append({ pose: start.pose, intrinsics: k, image, depth }, liftToSplats({ image, depth, intrinsics: k, pose: start.pose }, { maxLongSide: Math.max(k.width, k.height) }));
  const fills: Fill[] = [];
  let stop = '', truth: Truth;
  const recorder: Completer = {
    name: decorator ? `${inpaint.name}+${decorator.name}` : inpaint.name,
    usesTexture: true, // the 'photo' decorator reads it; the others leave it out themselves
    async complete(view, signal) {
      const partial = { ...view, rgb: view.rgb.slice(), depth: view.depth.slice(), mask: view.mask.slice() };
      // Best of 3, interleaved (the machine is shared): the inpainter, then the decorator's own work
      // on its completion (what the decorated completer returns, without a second inpaint).
      let plain!: CompletedView, decorated: CompletedView | null = null, plainMs = Infinity, decoratorMs = Infinity;
      for (let r = 0; r < (decorator ? 3 : 1); r++) {
        let t = performance.now();
        plain = await inpaint.complete(view, signal);
        plainMs = Math.min(plainMs, performance.now() - t);
        if (!decorator) break;
        t = performance.now();
        decorated = { ...plain, rgb: decorator.add(view, plain) };
        decoratorMs = Math.min(decoratorMs, performance.now() - t);
      }
      fills.push({ stop, partial, truth, plain, decorated, plainMs, decoratorMs });
      return decorated ?? plain;
    },
  };
  for (const name of [...Array.from({ length: 11 }, (_, i) => `turn${String(i + 1).padStart(2, '0')}`), 'turn00']) {
    stop = name;
    truth = await load(name);
    const before = fills.length;
    const expansion = await expandView(world, truth.pose, k, recorder, { elevationGuide: guide, ...(liftColours !== undefined && { lift: { colourIterations: liftColours } }) });
    if (fills.length > before) fills[fills.length - 1].liftMs = expansion.timings.lift;
    if (rerender && fills.length > before) {
      // The world seen again from the same pose once the fill is lifted: what later stops get to see of it.
      const r = renderSplats(world.splats, truth.pose, k), after = new Float32Array(3 * k.width * k.height);
      for (let i = 0; i < k.width * k.height; i++) for (let c = 0; c < 3; c++) after[3 * i + c] = r.alpha[i] > 0 ? Math.min(1, r.color[3 * i + c] / r.alpha[i]) : 0;
      fills[fills.length - 1].after = after;
    }
  }
  return { k, fills, startPose: start.pose };
}

function holePsnr(a: Float32Array, b: Float32Array, mask: Uint8Array): number {
  let sum = 0, n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    for (let c = 0; c < 3; c++) { const d = a[3 * i + c] - b[3 * i + c]; sum += d * d; }
    n += 3;
  }
  return n === 0 ? NaN : 10 * Math.log10(n / sum);
}

/** Mean colour step (levels of 255, mean over channels) over hole-hole, border and known-known pairs. */
function steps(rgb: Float32Array, mask: Uint8Array, w: number, h: number): { hole: number; border: number; known: number } {
  const s = [0, 0, 0], n = [0, 0, 0];
  const pair = (i: number, j: number) => {
    const kind = mask[i] && mask[j] ? 0 : mask[i] !== mask[j] ? 1 : 2;
    let c = 0;
    for (let ch = 0; ch < 3; ch++) c += Math.abs(rgb[3 * i + ch] - rgb[3 * j + ch]);
    s[kind] += (c * 255) / 3; n[kind]++;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x + 1 < w) pair(i, i + 1);
      if (y + 1 < h) pair(i, i + w);
    }
  }
  return { hole: s[0] / n[0], border: s[1] / n[1], known: s[2] / n[2] };
}

/**
 * Where a fill's seam comes from (--closure): the hole border's pairs split by what their known pixel
 * shows, the photo (its ray falls in the start view: the tour turns on the spot) or an earlier fill, and
 * by band of rows (top, middle, bottom third). Per side, for the fill and for the truth (levels of 255):
 *   step   mean colour step over the border pairs;
 *   known  mean step over known-known pairs within `near` px of the border on that side;
 *   hole   mean step over hole-hole pairs within `near` px of the border beside that side;
 *   offset mean |low(hole) - low(known)| over the border pairs, low = box mean (radius 3) over the
 *          pixels of that pair member's kind (a colour offset, not texture).
 */
interface SideStats { pairs: number; step: number; known: number; hole: number; offset: number; band: number[]; bandPairs: number[] }
/** Per pixel of a partial view: 0 known from the photo (its ray falls in the start view), 1 known from earlier fills, 2 hole. */
function knownSides(view: PartialView, startPose: Pose, k: Intrinsics): Uint8Array {
  const { width: w, height: h } = k, side = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (view.mask[i]) { side[i] = 2; continue; }
      const world = view.pose.cameraToWorld(unprojectPixel(k, x + 0.5, y + 0.5, 1));
      const p = projectCameraPoint(k, startPose.worldToCamera(world));
      side[i] = p.depth > 0 && p.u >= 0 && p.u < w && p.v >= 0 && p.v < h ? 0 : 1;
    }
  }
  return side;
}

function seamBreakdown(rgb: Float32Array, fill: Fill, startPose: Pose, k: Intrinsics, near = 4): SideStats[] {
  const { width: w, height: h } = k, mask = fill.partial.mask;
  const side = knownSides(fill.partial, startPose, k);
  const inv = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) inv[i] = mask[i] ? 0 : 1;
  const dHole = distanceToKnown(mask, w, h, 1), dKnown = distanceToKnown(inv, w, h, 1);
  // box means over known and over hole pixels (radius 3), by a summed-area table per kind
  const r = 3, W1 = w + 1;
  const sats = [0, 1].map((kind) => {
    const sat = new Float64Array(4 * W1 * (h + 1));
    for (let y = 0; y < h; y++) {
      const row = [0, 0, 0, 0];
      for (let x = 0; x < w; x++) {
        const i = y * w + x, on = (mask[i] ? 1 : 0) === kind;
        if (on) { row[0] += rgb[3 * i]; row[1] += rgb[3 * i + 1]; row[2] += rgb[3 * i + 2]; row[3]++; }
        for (let c = 0; c < 4; c++) sat[4 * ((y + 1) * W1 + x + 1) + c] = sat[4 * (y * W1 + x + 1) + c] + row[c];
      }
    }
    return sat;
  });
  const boxMean = (kind: number, x: number, y: number): number[] => {
    const sat = sats[kind], x0 = Math.max(0, x - r), y0 = Math.max(0, y - r), x1 = Math.min(w, x + r + 1), y1 = Math.min(h, y + r + 1);
    const v = [0, 1, 2, 3].map((c) => sat[4 * (y1 * W1 + x1) + c] - sat[4 * (y0 * W1 + x1) + c] - sat[4 * (y1 * W1 + x0) + c] + sat[4 * (y0 * W1 + x0) + c]);
    return [v[0] / v[3], v[1] / v[3], v[2] / v[3]];
  };
  const stats: SideStats[] = [0, 1].map(() => ({ pairs: 0, step: 0, known: 0, hole: 0, offset: 0, band: [0, 0, 0], bandPairs: [0, 0, 0] }));
  const kn = [0, 0], ho = [0, 0];
  // the side a hole pixel near the border is beside: that of its nearest known pixel along its row or column (first found)
  const nearSide = (x: number, y: number): number => {
    for (let d = 1; d <= near + 1; d++) {
      for (const [u, v] of [[x - d, y], [x + d, y], [x, y - d], [x, y + d]]) if (u >= 0 && u < w && v >= 0 && v < h && side[v * w + u] < 2) return side[v * w + u];
    }
    return -1;
  };
  const step = (i: number, j: number) => { let c = 0; for (let ch = 0; ch < 3; ch++) c += Math.abs(rgb[3 * i + ch] - rgb[3 * j + ch]); return (c * 255) / 3; };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      for (const j of [x + 1 < w ? i + 1 : -1, y + 1 < h ? i + w : -1]) {
        if (j < 0) continue;
        const a = side[i], b = side[j];
        if (a < 2 && b < 2) {
          if (a === b && dKnown[i] <= near) { stats[a].known += step(i, j); kn[a]++; }
        } else if (a === 2 && b === 2) {
          if (dHole[i] <= near) { const s = nearSide(i % w, (i / w) | 0); if (s >= 0) { stats[s].hole += step(i, j); ho[s]++; } }
        } else {
          const hi = a === 2 ? i : j, ki = a === 2 ? j : i, st = stats[side[ki]];
          const d = step(i, j);
          st.pairs++; st.step += d;
          const lh = boxMean(1, hi % w, (hi / w) | 0), lk = boxMean(0, ki % w, (ki / w) | 0);
          st.offset += ((Math.abs(lh[0] - lk[0]) + Math.abs(lh[1] - lk[1]) + Math.abs(lh[2] - lk[2])) * 255) / 3;
          const band = Math.min(2, Math.floor((3 * ((hi / w) | 0)) / h));
          st.band[band] += d; st.bandPairs[band]++;
        }
      }
    }
  }
  for (const s of [0, 1]) {
    const st = stats[s];
    st.step /= st.pairs; st.offset /= st.pairs; st.known /= kn[s]; st.hole /= ho[s];
    for (let b = 0; b < 3; b++) st.band[b] /= st.bandPairs[b];
  }
  return stats;
}

interface Score { psnr: number; texture: number; seam: number }

function score(o: CompletedView, fill: Fill, w: number, h: number): Score & { truthSeam: number } {
  const truthSteps = steps(fill.truth.rgb, fill.partial.mask, w, h), st = steps(o.rgb, fill.partial.mask, w, h);
  return { psnr: holePsnr(o.rgb, fill.truth.rgb, fill.partial.mask), texture: st.hole / truthSteps.hole, seam: st.border / st.known, truthSeam: truthSteps.border / truthSteps.known };
}

/** truth | inpaint | +mirror | +synth (each on this partial view), side by side, as a PNG (for looking at, with --dump DIR). */
function dumpPng(path: string, fill: Fill, w: number, h: number): void {
  const pics = [fill.truth.rgb, fill.plain.rgb, ...decorators.map((d) => d.add(fill.partial, fill.plain))];
  const P = pics.length;
  const rgba = new Uint8Array(4 * P * w * h);
  for (let y = 0; y < h; y++) {
    for (let p = 0; p < P; p++) {
      for (let x = 0; x < w; x++) {
        const o = 4 * (y * P * w + p * w + x), i = 3 * (y * w + x);
        for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(255 * Math.min(1, Math.max(0, pics[p][i + c])));
        rgba[o + 3] = 255;
      }
    }
  }
  writeFileSync(path, encodeRgbaPng(P * w, h, rgba));
}

const scenes = arg('scenes', existsSync(VIEWS) ? readdirSync(VIEWS).filter((d) => existsSync(join(VIEWS, d, 'views.json'))).sort().join(',') : '').split(',').filter(Boolean);
if (scenes.length === 0) throw new Error(`fill-texture bench: expected view sets in ${VIEWS} (npm run bench -- generate exports them), found none`);
const dump = arg('dump', '');
const num = (name: string) => (arg(name, '') ? Number(arg(name, '')) : undefined);
const mirrorOptions: MirrorDetailOptions = { radius: num('radius'), maxDetail: num('max-detail'), ramp: num('ramp') };
const synthOptions: TextureSynthesisOptions = {
  radius: num('radius'), ramp: num('ramp'), maxDetail: num('synth-max-detail'), patch: num('patch'), overlap: num('overlap'),
  meanFree: arg('mean-free', '') ? arg('mean-free', '') !== '0' : undefined,
  candidates: num('candidates'), lowWeight: num('low-weight'), energyWeight: num('energy-weight'), classPenalty: num('class-penalty'), rowWeight: num('row-weight'), band: num('band'),
};
const known: Record<string, Decorator> = {
  mirror: { name: 'mirror', add: (v, c) => addMirrorDetail(v, c, mirrorOptions) },
  // synth: the view's own known pixels only (the texture source handed by expandView is left out);
  // photo: also the world's first view, re-rendered (texture-source.ts; expandView's default)
  synth: { name: 'synth', add: (v, c) => synthesiseDetail({ ...v, texture: undefined }, c, synthOptions) },
  photo: { name: 'photo', add: (v, c) => synthesiseDetail(v, c, { ...synthOptions, sourceCandidates: num('source-candidates') }) },
};
const decoratorNames = arg('decorators', 'mirror,synth,photo').split(',').filter(Boolean);
for (const d of decoratorNames) if (!known[d]) throw new Error(`fill-texture bench: expected --decorators from ${Object.keys(known).join(', ')}, found '${d}'`);
const decorators = decoratorNames.map((d) => known[d]);
// --guide: expansions hand the completers the colour guide by direction from the start view (elevation-guide.ts;
// expandView's default); without it the bench turns the guide off (elevationGuide: false), so the two compare.
const guide = process.argv.includes('--guide');
const inpaint = new InpaintCompleter(arg('reach', '') ? { guideReach: Number(arg('reach', '')) } : {});

// --rerender: each fill's hole in the render of the world right after its expansion, from the same pose,
// against the fill itself (how much of the fill's texture the lifted splats keep)
const rerender = process.argv.includes('--rerender');
const liftColours = num('lift-colours');
const liftMs: number[] = [];
const keptRows: { texture: number; psnr: number; scene: string; holeBorder: number; knownBorder: number }[] = [];

/**
 * PSNR of the render after the expansion against the fill over the hole pixels within 2 px of the
 * border (a halo or seam of the lift), and over the known pixels within 2 px of the hole against what
 * the world showed there before (the new splats' tails spilling over the old).
 */
function borderPsnr(after: Float32Array, fill: Float32Array, mask: Uint8Array, w: number, h: number): { hole: number; known: number } {
  const inv = Uint8Array.from(mask, (m) => 1 - m);
  const dHole = distanceToKnown(mask, w, h, 1), dKnown = distanceToKnown(inv, w, h, 1);
  const hole = new Uint8Array(mask.length), known = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) { if (mask[i] && dHole[i] <= 2) hole[i] = 1; if (!mask[i] && dKnown[i] <= 2) known[i] = 1; }
  return { hole: holePsnr(after, fill, hole), known: holePsnr(after, fill, known) };
}

// --closure: where the last two fills' seams come from, per border side (seamBreakdown)
const closure = process.argv.includes('--closure');
const closureRows: { scene: string; last: boolean; o: SideStats[]; tr: SideStats[]; id: SideStats[]; seam: number[] }[] = [];
function printBreakdown(label: string, o: SideStats[], tr: SideStats[], id: SideStats[], seam: number[]): void {
  console.log(`  ${label.padEnd(18)} seam ratio: fill ${f(seam[0])}, truth in the hole beside the world's known pixels ${f(seam[1])}, truth ${f(seam[2])}; border step with the truth in the hole: photo side ${f(id[0].step)}, fill side ${f(id[1].step)}`);
  for (const s of [0, 1]) {
    const a = o[s], b = tr[s];
    if (!(a.pairs > 0)) continue;
    console.log(`  ${label.padEnd(18)} ${s === 0 ? 'photo' : 'fill '} side ${String(a.pairs).padStart(5)} pairs | step ${f(a.step)} (truth ${f(b.step)})  known ${f(a.known)} (${f(b.known)})  `
      + `hole ${f(a.hole)} (${f(b.hole)})  offset ${f(a.offset)} (${f(b.offset)})  step by rows top/mid/bottom ${a.band.map((x) => f(x)).join('/')} (${b.band.map((x) => f(x)).join('/')})`);
  }
}

/** Per scene and tour (the inpainter's, then one per decorator): scores of the fills, and the inpainter on the same partial views. */
interface Tour { name: string; scores: Score[]; plainSame: Score[]; truthSeam: number[]; plainMs: number[]; addedMs: number[] }
const tours: Tour[][] = [];
const m = (xs: Score[], key: keyof Score) => (key === 'psnr' ? mean(xs.map((x) => x[key])) : median(xs.map((x) => x[key])));
for (const scene of scenes) {
  const row: Tour[] = [];
  for (const decorator of [null, ...decorators]) {
    const t = await tour(scene, decorator);
    const { width: w, height: h } = t.k;
    const r: Tour = { name: decorator?.name ?? 'inpaint', scores: [], plainSame: [], truthSeam: [], plainMs: [], addedMs: [] };
    for (const fill of t.fills) {
      const s = score(fill.decorated ?? fill.plain, fill, w, h);
      r.scores.push(s); r.truthSeam.push(s.truthSeam); r.plainSame.push(score(fill.plain, fill, w, h));
      r.plainMs.push(fill.plainMs); r.addedMs.push(fill.decoratorMs);
      if (fill.liftMs !== undefined) liftMs.push(fill.liftMs);
      if (dump && decorator === decorators[decorators.length - 1]) {
        dumpPng(join(dump, `${scene}-${fill.stop}.png`), fill, w, h);
        // what each pixel is: black hole, grey known from the photo, white known from earlier fills
        const side = knownSides(fill.partial, t.startPose, t.k), rgba = new Uint8Array(4 * w * h);
        for (let i = 0; i < w * h; i++) { const v = side[i] === 2 ? 0 : side[i] === 0 ? 128 : 255; rgba.fill(v, 4 * i, 4 * i + 3); rgba[4 * i + 3] = 255; }
        writeFileSync(join(dump, `${scene}-${fill.stop}-sides.png`), encodeRgbaPng(w, h, rgba));
      }
    }
    if (rerender && decorator === decorators[decorators.length - 1]) {
      for (const fill of t.fills) {
        if (!fill.after) continue;
        const made = steps((fill.decorated ?? fill.plain).rgb, fill.partial.mask, w, h).hole, seen = steps(fill.after, fill.partial.mask, w, h).hole;
        // the fill as lifted: the completion in the hole, the world's render (the partial view) elsewhere
        const lifted = (fill.decorated ?? fill.plain).rgb.slice();
        for (let i = 0; i < w * h; i++) if (!fill.partial.mask[i]) for (let c = 0; c < 3; c++) lifted[3 * i + c] = fill.partial.rgb[3 * i + c];
        const border = borderPsnr(fill.after, lifted, fill.partial.mask, w, h);
        keptRows.push({ scene, texture: seen / made, psnr: holePsnr(fill.after, (fill.decorated ?? fill.plain).rgb, fill.partial.mask), holeBorder: border.hole, knownBorder: border.known });
      }
    }
    if (closure && decorator === decorators[decorators.length - 1]) {
      for (const fill of t.fills.slice(-2)) {
        const out = (fill.decorated ?? fill.plain).rgb;
        const o = seamBreakdown(out, fill, t.startPose, t.k), tr = seamBreakdown(fill.truth.rgb, fill, t.startPose, t.k);
        // the truth in the hole beside the world's own known pixels: the seam no fill can get below
        const ideal = out.slice();
        for (let i = 0; i < w * h; i++) if (fill.partial.mask[i]) for (let c = 0; c < 3; c++) ideal[3 * i + c] = fill.truth.rgb[3 * i + c];
        const id = seamBreakdown(ideal, fill, t.startPose, t.k);
        const so = steps(out, fill.partial.mask, w, h), si = steps(ideal, fill.partial.mask, w, h), st = steps(fill.truth.rgb, fill.partial.mask, w, h);
        const seam = [so.border / so.known, si.border / si.known, st.border / st.known];
        closureRows.push({ scene, last: fill === t.fills[t.fills.length - 1], o, tr, id, seam });
        printBreakdown(`${scene} ${fill.stop}`, o, tr, id, seam);
      }
    }
    row.push(r);
  }
  tours.push(row);
  const cols = (key: keyof Score) => row.map((r) => f(m(r.scores, key))).join(' | ');
  console.log(`${scene.padEnd(10)} ${row.map((r) => r.scores.length).join('/')} fills | PSNR ${cols('psnr')}  texture ${cols('texture')}  seam ${cols('seam')} truth ${f(median(row[0].truthSeam))}  `
    + `ms inpaint ${f(median(row[0].plainMs), 0)} ${row.slice(1).map((r) => `+ ${r.name} ${f(median(r.addedMs), 0)}`).join(' ')}`);
}
const names = tours[0].map((r) => r.name);
const over = (t: number, pick: (xs: Score[]) => Score[] = (xs) => xs) => tours.flatMap((row) => pick(row[t].scores));
console.log(`
all scenes, tours with ${names.join(' | ')} (each expands with its own fills); PSNR mean, the rest median over fills;
in brackets the inpainter alone on the last tour's partial views`);
const last = names.length - 1;
const line = (label: string, pick: <T>(xs: T[]) => T[] = (xs) => xs) => {
  const col = (key: keyof Score) => names.map((_, t) => f(m(over(t, pick), key))).join(' | ');
  // The truth's own seam ratio over the same fills' border pairs (the last tour's): the closing fills'
  // borders run through busier parts of the picture than the first fills' (median 1.22 against 0.97 over all fills).
  const truth = median(tours.flatMap((row) => pick(row[last].truthSeam)));
  console.log(`  ${label.padEnd(30)} PSNR ${col('psnr')}  texture ${col('texture')}  seam ${col('seam')} (truth ${f(truth)})`);
};
line('all fills');
line('first fill of each tour', (xs) => xs.slice(0, 1));
line('last two fills (loop closure)', (xs) => xs.slice(-2));
const same = tours.flatMap((row) => row[last].plainSame);
console.log(`  (inpainter on the ${names[last]} tour's partial views: PSNR ${f(m(same, 'psnr'))}, texture ${f(m(same, 'texture'))}, seam ${f(m(same, 'seam'))}; truth's seam ${f(median(tours.flatMap((row) => row[0].truthSeam)))})`);
const anchor = median(tours.flatMap((row) => row.slice(1).flatMap((r) => r.plainMs)));
console.log(`  time per fill at 512x384: inpaint ${f(anchor, 0)} ms (anchor)${names.slice(1).map((name, i) => {
  const added = median(tours.flatMap((row) => row[i + 1].addedMs));
  return `, +${name} adds ${f(added, 0)} ms (${f(added / anchor)}x)`;
}).join('')} (medians)`);
console.log(`  lift stage per expansion (all tours): median ${f(median(liftMs), 0)} ms, max ${f(Math.max(...liftMs), 0)} ms (colour steps ${liftColours ?? 'expandView default'})`);
if (closure) {
  console.log('\nclosure breakdown, mean over scenes (fill (truth)), levels of 255:');
  for (const stop of ['last-but-one', 'last']) {
    const rows = closureRows.filter((r) => r.last === (stop === 'last'));
    console.log(`  ${stop.padEnd(13)} seam ratio median: fill ${f(median(rows.map((r) => r.seam[0])))}, truth in the hole ${f(median(rows.map((r) => r.seam[1])))}, truth ${f(median(rows.map((r) => r.seam[2])))}`);
    for (const sd of [0, 1]) {
      const pick = (key: 'step' | 'known' | 'hole' | 'offset', truth: boolean) => f(mean(rows.map((r) => (truth ? r.tr : r.o)[sd]).filter((x) => x.pairs > 0).map((x) => x[key])));
      const pairs = rows.reduce((a, r) => a + r.o[sd].pairs, 0);
      const band = (b: number, truth: boolean) => f(mean(rows.map((r) => (truth ? r.tr : r.o)[sd]).filter((x) => x.bandPairs[b] > 0).map((x) => x.band[b])));
      const idStep = f(mean(rows.map((r) => r.id[sd]).filter((x) => x.pairs > 0).map((x) => x.step)));
      console.log(`  ${stop.padEnd(13)} ${sd === 0 ? 'photo' : 'fill '} side: border step with the truth in the hole ${idStep}`);
      console.log(`  ${stop.padEnd(13)} ${sd === 0 ? 'photo' : 'fill '} side ${String(pairs).padStart(6)} pairs | step ${pick('step', false)} (${pick('step', true)})  known ${pick('known', false)} (${pick('known', true)})  hole ${pick('hole', false)} (${pick('hole', true)})  offset ${pick('offset', false)} (${pick('offset', true)})  rows ${[0, 1, 2].map((b) => band(b, false)).join('/')} (${[0, 1, 2].map((b) => band(b, true)).join('/')})`);
    }
  }
}
if (rerender) {
  console.log(`\nthe world rendered right after each expansion from the same pose, in the hole, against the fill (${decorators[decorators.length - 1].name} tour):`);
  for (const scene of scenes) {
    const r = keptRows.filter((x) => x.scene === scene);
    console.log(`  ${scene.padEnd(10)} texture kept ${f(median(r.map((x) => x.texture)))} (mean step of the render / of the fill), PSNR render vs fill ${f(mean(r.map((x) => x.psnr)))} dB, `
      + `within 2 px of the border: hole side ${f(mean(r.map((x) => x.holeBorder)))} dB, known side (against the render before) ${f(mean(r.map((x) => x.knownBorder)))} dB`);
  }
  console.log(`  all        texture kept ${f(median(keptRows.map((x) => x.texture)))}, PSNR ${f(mean(keptRows.map((x) => x.psnr)))} dB, border hole side ${f(mean(keptRows.map((x) => x.holeBorder)))} dB, known side ${f(mean(keptRows.map((x) => x.knownBorder)))} dB`);
}
