/**
 * Where the brown band beside the photo's left edge at 330 degrees comes from (issue #5): a world from
 * the sample photo turned on the spot as make-pictures.ts does (12 stops of 30 degrees, expandView
 * 512x384, texturedInpainter(), the defaults), and at the 330-degree stop the colour fill taken apart:
 * per picture row below the horizon, the mean colour of the fill in the FIRST `BAND` hole pixels left
 * of the photo's edge (the band), the photo's own pixels in the first `BAND` columns right of it, the
 * row guide (elevation-guide.ts), the inpainter's row profile (its ring's mean colour per row), and the
 * same fill with each piece switched off (no guide, no texture source, no detail).
 *
 *   nice node --import tsx docs/grow/band-probe.ts /tmp/x.worldsplat [stop, default 10 = 330 degrees]
 *
 * The photo's edge per row is where the first view's splats alone cover the pixel (alpha >= 0.5).
 */
import { intrinsicsFromFov, verticalFovDegrees } from '../../src/core/camera.ts';
import { loadWorld } from '../../src/cli/files.ts';
import { renderSplats } from '../../src/render/rasterizer.ts';
import { cameraPath } from '../../src/world/expand/camera-paths.ts';
import type { CompletedView, Completer, PartialView } from '../../src/world/expand/completer.ts';
import { expandView } from '../../src/world/expand/expand-view.ts';
import { InpaintCompleter } from '../../src/world/expand/inpaint-completer.ts';
import { texturedInpainter } from '../../src/world/expand/mirror-detail.ts';
import { ringAround } from '../../src/world/expand/ring.ts';

const [input, stopArg = '10'] = process.argv.slice(2);
if (!input) throw new Error('band-probe: expected a .worldsplat made from the sample photo, found no argument');
const W = 512, H = 384, BAND = 24, stopIndex = Number(stopArg);

const world = await loadWorld(input);
const first = world.memory.frames[0];
const firstSplats = first.splatCount;
const k = intrinsicsFromFov(W, H, verticalFovDegrees(first.intrinsics));
const depths = Array.from(first.depth).filter((d) => d > 0).sort((a, b) => a - b);
const poses = cameraPath('turn', first.pose, 12, depths[depths.length >> 1] ?? 3);

let captured: PartialView | null = null;
const base = texturedInpainter();
const recording: Completer = {
  name: base.name, usesTexture: base.usesTexture,
  complete: (view, signal) => { captured = view; return base.complete(view, signal); },
};
for (let s = 0; s <= stopIndex; s++) {
  const t0 = performance.now();
  const r = await expandView(world, poses[s], k, s === stopIndex ? recording : base);
  console.error(`stop ${s} (${30 * (s + 1)} deg): ${r.holePixels} hole pixels, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
const view = captured as PartialView | null;
if (!view) throw new Error('band-probe: the stop had no hole');

// The photo's edge per row: leftmost pixel the first view's splats cover at least half.
const only = renderSplats(world.splats.subset(Int32Array.from({ length: firstSplats }, (_, j) => first.splatStart + j)), poses[stopIndex], k);
const edge = new Int32Array(H).fill(-1);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (only.alpha[y * W + x] >= 0.5) { edge[y] = x; break; }

const ring = ringAround(view.mask, W, H, Math.max(2, Math.round(W / 32)));
const variants: [string, Completer, PartialView][] = [
  ['default (synthesis + guide + photo source)', texturedInpainter(), view],
  ['no texture source', texturedInpainter(), { ...view, texture: undefined }],
  ['inpainter alone (no detail)', new InpaintCompleter(), view],
  ['inpainter alone, no guide', new InpaintCompleter(), { ...view, rowGuide: undefined }],
  ['synthesis, no guide', texturedInpainter(), { ...view, rowGuide: undefined }],
];
const fills: CompletedView[] = [];
for (const [, c, v] of variants) fills.push(await c.complete(v));

const hex = (r: number, g: number, b: number) => [r, g, b].map((c) => Math.round(255 * c).toString().padStart(3)).join(' ');
/** mean colour over pixels x0 <= x < x1 of row y for which pick(i) holds, or null */
function meanOf(data: Float32Array, y: number, x0: number, x1: number, pick: (i: number) => boolean): number[] | null {
  const s = [0, 0, 0];
  let n = 0;
  for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) {
    const i = y * W + x;
    if (!pick(i)) continue;
    for (let c = 0; c < 3; c++) s[c] += data[3 * i + c];
    n++;
  }
  return n ? s.map((v) => v / n) : null;
}
const show = (m: number[] | null) => (m ? hex(m[0], m[1], m[2]) : '    -      ');
console.log(`rows of the ${30 * (stopIndex + 1)}-degree view; colours in levels of 255 (R G B); band = ${BAND} hole px left of the photo's edge, photo = ${BAND} px right of it`);
console.log(`row edge | photo       | guide       | ring prof.  | ${variants.map(([n]) => n.slice(0, 11).padEnd(11)).join(' | ')}`);
for (let y = 150; y < H; y += 6) {
  // Without the photo in view (the far side of the turn) the band is the view's centre columns.
  const e = edge.some((x) => x >= 0) ? edge[y] : (W + BAND) >> 1;
  if (e < 0) continue;
  const g = view.rowGuide ? [view.rowGuide[4 * y], view.rowGuide[4 * y + 1], view.rowGuide[4 * y + 2]] : null;
  const photo = meanOf(view.rgb, y, e, e + BAND, (i) => !view.mask[i]);
  const prof = meanOf(view.rgb, y, 0, W, (i) => ring[i] === 1);
  const band = fills.map((f) => meanOf(f.rgb, y, e - BAND, e, (i) => view.mask[i] === 1));
  console.log(`${String(y).padStart(3)} ${String(e).padStart(4)} | ${show(photo)} | ${show(g)} | ${show(prof)} | ${band.map(show).join(' | ')}`);
}

// The photo's left edge as a line in the view as it stands (the partial view's known pixels: the photo and
// earlier fills): per group of rows, the colour step across the edge (columns e - 1 | e) against the steps
// beside it inside the photo (e | e + 1) and inside the fill (e - 2 | e - 1), and the offset between the
// mean colours of the STRIP columns either side (levels of 255, mean over R, G, B).
const STRIP = 6;
const at = (x: number, y: number, c: number) => view.rgb[3 * (y * W + x) + c];
const known = (x: number, y: number) => x >= 0 && x < W && !view.mask[y * W + x];
console.log(`\nthe photo's edge in the view before this stop's fill (${STRIP} px strips), levels of 255:`);
console.log(`rows    | step across | in photo | in fill | offset fill - photo (R G B) | texture over ${BAND} px: fill / photo`);
for (let y0 = 150; y0 < H; y0 += 24) {
  let across = 0, photo = 0, fill = 0, n = 0, wideFill = 0, widePhoto = 0;
  const off = [0, 0, 0];
  for (let y = y0; y < Math.min(H, y0 + 24); y++) {
    const e = edge[y];
    if (e < STRIP || e + STRIP >= W || ![e - STRIP, e - 1, e, e + STRIP - 1].every((x) => known(x, y))) continue;
    const step = (a: number, b: number) => (Math.abs(at(a, y, 0) - at(b, y, 0)) + Math.abs(at(a, y, 1) - at(b, y, 1)) + Math.abs(at(a, y, 2) - at(b, y, 2))) / 3;
    across += step(e - 1, e); photo += step(e, e + 1); fill += step(e - 2, e - 1);
    for (let c = 0; c < 3; c++) for (let j = 1; j <= STRIP; j++) off[c] += (at(e - j, y, c) - at(e + j - 1, y, c)) / STRIP;
    // Texture: the mean step between neighbours along the row, BAND px either side (known pixels only).
    for (let j = 1; j < BAND; j++) {
      if (known(e - j - 1, y)) wideFill += step(e - j - 1, e - j) / (BAND - 1);
      if (known(e + j, y)) widePhoto += step(e + j - 1, e + j) / (BAND - 1);
    }
    n++;
  }
  if (n === 0) continue;
  const l = (v: number) => (255 * v / n).toFixed(1).padStart(5);
  console.log(`${y0}-${y0 + 23} | ${l(across)}       | ${l(photo)}    | ${l(fill)}   | ${off.map(l).join(' ')}          | ${(wideFill / widePhoto).toFixed(2)}`);
}

// The same texture comparison for this stop's completed view (the default completer's output, before it is
// lifted): how much of the photo's texture the fill carries beside the edge before the splats soften it.
console.log(`\nthis stop's default fill beside the photo's edge: texture over ${BAND} px, fill / photo`);
const filled = fills[0].rgb;
const fat = (x: number, y: number, c: number) => filled[3 * (y * W + x) + c];
const fstep = (a: number, b: number, y: number) => (Math.abs(fat(a, y, 0) - fat(b, y, 0)) + Math.abs(fat(a, y, 1) - fat(b, y, 1)) + Math.abs(fat(a, y, 2) - fat(b, y, 2))) / 3;
for (let y0 = 150; y0 < H; y0 += 24) {
  let f = 0, p = 0, n = 0;
  for (let y = y0; y < Math.min(H, y0 + 24); y++) {
    const e = edge[y];
    if (e < BAND + 1 || e + BAND >= W) continue;
    for (let j = 1; j < BAND; j++) { f += fstep(e - j - 1, e - j, y); p += fstep(e + j - 1, e + j, y); }
    n++;
  }
  if (n > 0) console.log(`${y0}-${y0 + 23} | ${(f / p).toFixed(2)}`);
}
