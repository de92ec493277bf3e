/**
 * Texture of hole fills (issue #5): InpaintCompleter alone, decorated with mirrored detail
 * (mirror-detail.ts) and decorated with texture synthesis (texture-synthesis.ts), judged against the true
 * views of the held-out view sets (bench/data/views).
 *
 *   node --import tsx bench/fill-texture.bench.ts [--scenes nature-22,street-1] [--decorators mirror,synth] [--guide [--reach 0.25]] [--dump DIR]
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
 * --dump DIR writes, per fill of the last decorator's tour, truth | inpaint | each decorator on that
 * partial view. Colours are compared as stored (sRGB-encoded 0..1).
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Intrinsics, Pose } from '../src/core/camera.ts';
import { decodePng, encodeRgbaPng } from '../src/io/png.ts';
import type { CompletedView, Completer, PartialView } from '../src/world/expand/completer.ts';
import { expandView } from '../src/world/expand/expand-view.ts';
import { InpaintCompleter } from '../src/world/expand/inpaint-completer.ts';
import { type MirrorDetailOptions, addMirrorDetail } from '../src/world/expand/mirror-detail.ts';
import { type TextureSynthesisOptions, synthesiseDetail } from '../src/world/expand/texture-synthesis.ts';
import { toRgbImage } from '../src/world/expand/synthetic-scene.ts';
import { liftToSplats } from '../src/world/lift.ts';
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

interface Fill { stop: string; partial: PartialView; truth: Truth; plain: CompletedView; decorated: CompletedView | null; plainMs: number; decoratorMs: number }

/**
 * A whole tour, expanding with the inpainter alone (`decorator` null) or decorated; every partial view
 * is also completed by the inpainter alone (timed just before, the anchor of the time the decorator adds).
 */
async function tour(scene: string, decorator: Decorator | null): Promise<{ k: Intrinsics; fills: Fill[] }> {
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
    await expandView(world, truth.pose, k, recorder, { elevationGuide: guide });
  }
  return { k, fills };
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
      if (dump && decorator === decorators[decorators.length - 1]) dumpPng(join(dump, `${scene}-${fill.stop}.png`), fill, w, h);
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
const line = (label: string, pick?: (xs: Score[]) => Score[]) => {
  const col = (key: keyof Score) => names.map((_, t) => f(m(over(t, pick), key))).join(' | ');
  console.log(`  ${label.padEnd(30)} PSNR ${col('psnr')}  texture ${col('texture')}  seam ${col('seam')}`);
};
const last = names.length - 1;
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
