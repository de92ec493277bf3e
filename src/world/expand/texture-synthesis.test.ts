import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { partialView } from './partial-view-fixture.ts';
import { TextureSynthesisCompleter, canvasForTest, synthesiseDetail } from './texture-synthesis.ts';

/** An inner completer that fills each hole pixel with `fill(x, y)` at depth `depth(x, y)` and keeps known pixels. */
const filling = (fill: (x: number, y: number) => [number, number, number], depth = (_x: number, _y: number) => 5): Completer => ({
  name: 'fill',
  complete: async (v) => {
    const rgb = v.rgb.slice(), d = v.depth.slice();
    for (let i = 0; i < v.mask.length; i++) {
      if (!v.mask[i]) continue;
      const x = i % v.width, y = (i / v.width) | 0;
      rgb.set(fill(x, y), 3 * i); d[i] = depth(x, y);
    }
    return { rgb, depth: d };
  },
});

/** Mean |step| of channel c between pixels `step` apart along x (dx) or y, over pixel pairs both in `region`. */
function meanStep(rgb: Float32Array, w: number, h: number, c: number, dx: number, dy: number, region: (x: number, y: number) => boolean): number {
  let s = 0, n = 0;
  for (let y = 0; y + dy < h; y++) {
    for (let x = 0; x + dx < w; x++) {
      if (!region(x, y) || !region(x + dx, y + dy)) continue;
      s += Math.abs(rgb[3 * (y * w + x) + c] - rgb[3 * ((y + dy) * w + x + dx) + c]); n++;
    }
  }
  return s / n;
}

test('a periodic texture: the synthesised fill has the period\'s gradient statistics and repeats at its period', async () => {
  // A 2-D pattern of period 9 (a 9 x 9 box averages it to exactly 0.5, so low-pass = 0.5 in and out of the hole).
  const W = 160, H = 96, T = 9, r = 4;
  const g = (x: number, y: number) => 0.5 + 0.15 * Math.cos((2 * Math.PI * x) / T) + 0.1 * Math.sin((2 * Math.PI * (x + 2 * y)) / T);
  const f = (x: number, y: number): [number, number, number] => [g(x, y), g(x, y), g(x, y)];
  const hole = (x: number) => x >= 96;
  const view = partialView(W, H, f, hole);
  const inner = filling(() => [0.5, 0.5, 0.5]);
  const out = await new TextureSynthesisCompleter(inner, { radius: r, patch: 8, maxDetail: Infinity }).complete(view);
  // The truth: the pattern continued into the hole.
  const truth = new Float32Array(3 * W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) truth.set(f(x, y), 3 * (y * W + x));
  // Away from the border ramp and the picture's edges (where the box low-pass is clipped).
  const inner5 = (x: number, y: number) => x >= 96 + r + 1 && x < W - r && y >= r && y < H - r;
  for (const [dx, dy] of [[1, 0], [0, 1]]) {
    const got = meanStep(out.rgb, W, H, 0, dx, dy, inner5), want = meanStep(truth, W, H, 0, dx, dy, inner5);
    assert.ok(Math.abs(got / want - 1) < 0.15, `mean step along (${dx}, ${dy}): fill ${got.toFixed(4)}, truth ${want.toFixed(4)}`);
  }
  // The fill repeats at the period (a shift by T barely changes it), not at half of it.
  const atPeriod = meanStep(out.rgb, W, H, 0, T, 0, inner5), atHalf = meanStep(out.rgb, W, H, 0, 4, 0, inner5);
  assert.ok(atPeriod < 0.25 * atHalf, `mean difference at lag ${T}: ${atPeriod.toFixed(4)}, at lag 4: ${atHalf.toFixed(4)}`);
  // The inner fill alone is flat there (the test can fail): no steps at all.
  const flat = await inner.complete(view);
  assert.ok(meanStep(flat.rgb, W, H, 0, 1, 0, inner5) < 1e-6);
});

/** Seeded noise in -1..1 per pixel (a 'texture' with no structure). */
function noise(seed: number, w: number, h: number): Float32Array {
  const random = seededRandom(seed), v = new Float32Array(w * h);
  for (let i = 0; i < v.length; i++) v[i] = 2 * random() - 1;
  return v;
}

test('sky and ground: sky texture never lands below the horizon, ground texture never above it', async () => {
  // Sky (depth 0) above row 40 carries texture in blue only, the ground below it in green only.
  const W = 128, H = 80, horizon = 40;
  const nz = noise(3, W, H);
  const f = (x: number, y: number): [number, number, number] => (y < horizon ? [0.4, 0.5, 0.7 + 0.1 * nz[y * W + x]] : [0.3, 0.45 + 0.1 * nz[y * W + x], 0.2]);
  const depth = (_x: number, y: number) => (y < horizon ? 0 : 5);
  const hole = (x: number) => x >= 80;
  const view = partialView(W, H, f, hole, depth);
  const inner = filling((_x, y) => (y < horizon ? [0.4, 0.5, 0.7] : [0.3, 0.45, 0.2]), depth);
  const out = await new TextureSynthesisCompleter(inner).complete(view);
  const sky = (x: number, y: number) => x >= 84 && y < horizon - 1, ground = (x: number, y: number) => x >= 84 && y > horizon;
  // Each band gets its own texture, as strong as the known band's (about 0.1 * 2/3 per step)...
  assert.ok(meanStep(out.rgb, W, H, 2, 1, 0, sky) > 0.03, `sky blue steps ${meanStep(out.rgb, W, H, 2, 1, 0, sky)}`);
  assert.ok(meanStep(out.rgb, W, H, 1, 1, 0, ground) > 0.03, `ground green steps ${meanStep(out.rgb, W, H, 1, 1, 0, ground)}`);
  // ... and none of the other's: the ground's green is flat in the sky, the sky's blue flat on the ground.
  assert.ok(meanStep(out.rgb, W, H, 1, 1, 0, sky) < 1e-6, `sky green steps ${meanStep(out.rgb, W, H, 1, 1, 0, sky)}`);
  assert.ok(meanStep(out.rgb, W, H, 2, 1, 0, ground) < 1e-6, `ground blue steps ${meanStep(out.rgb, W, H, 2, 1, 0, ground)}`);
});

test('two surface bands (no sky to tell them apart): each band\'s texture stays in its rows, by row and low-pass colour', async () => {
  // A wall (reddish, texture in red) above row 48 and a floor (greenish, texture in green) below, all
  // surface; the hole's low-pass colour is each band's own.
  const W = 128, H = 96, edge = 48;
  const nz = noise(5, W, H);
  const f = (x: number, y: number): [number, number, number] => (y < edge ? [0.6 + 0.1 * nz[y * W + x], 0.3, 0.3] : [0.3, 0.5 + 0.1 * nz[y * W + x], 0.3]);
  const hole = (x: number) => x >= 80;
  const view = partialView(W, H, f, hole);
  const inner = filling((_x, y) => (y < edge ? [0.6, 0.3, 0.3] : [0.3, 0.5, 0.3]));
  const out = await new TextureSynthesisCompleter(inner).complete(view);
  // Rows well inside each band (a box low-pass straddles the edge within its radius, 2 here).
  const wall = (x: number, y: number) => x >= 84 && y < edge - 4, floor = (x: number, y: number) => x >= 84 && y >= edge + 4;
  const redWall = meanStep(out.rgb, W, H, 0, 1, 0, wall), greenWall = meanStep(out.rgb, W, H, 1, 1, 0, wall);
  const redFloor = meanStep(out.rgb, W, H, 0, 1, 0, floor), greenFloor = meanStep(out.rgb, W, H, 1, 1, 0, floor);
  assert.ok(redWall > 0.03 && greenFloor > 0.03, `own texture: wall red ${redWall}, floor green ${greenFloor}`);
  assert.ok(greenWall < 0.1 * redWall && redFloor < 0.1 * greenFloor, `other band's texture: wall green ${greenWall}, floor red ${redFloor}`);
});

test('deterministic: the same view gives the same fill; another seed another one; known pixels exact, colours in 0..1', async () => {
  const W = 96, H = 64;
  const nz = noise(7, W, H);
  const view = partialView(W, H, (x, y) => { const v = 0.5 + 0.45 * nz[y * W + x]; return [v, 1 - v, v]; }, (x) => x >= 60);
  const inner = filling(() => [0.5, 0.5, 0.5]);
  const completed = await inner.complete(view);
  const a = synthesiseDetail(view, completed, { maxDetail: Infinity }), b = synthesiseDetail(view, completed, { maxDetail: Infinity });
  const c = synthesiseDetail(view, completed, { maxDetail: Infinity, seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  for (let i = 0; i < W * H; i++) {
    for (let k = 3 * i; k < 3 * i + 3; k++) {
      if (!view.mask[i]) assert.equal(a[k], view.rgb[k]);
      assert.ok(a[k] >= 0 && a[k] <= 1, `${k}: ${a[k]}`);
    }
  }
});

test('where no source window is wholly known the inner fill comes back unchanged; bad input is one line', async () => {
  // Known pixels only in a checkerboard: no 12 x 12 window is all known.
  const W = 64, H = 48;
  const view = partialView(W, H, (x) => [x / W, 0.5, 0.5], (x, y) => (x + y) % 2 === 0);
  const inner = filling(() => [0.25, 0.5, 0.75]);
  const completed = await inner.complete(view);
  assert.deepEqual(synthesiseDetail(view, completed), completed.rgb);
  const bad = { ...view, mask: new Uint8Array(3) };
  await assert.rejects(new TextureSynthesisCompleter(new InpaintCompleter()).complete(bad), (e: Error) => /^partial view: expected/.test(e.message) && !e.message.includes('\n'));
  const short: Completer = { name: 'short', complete: async () => ({ rgb: new Float32Array(3), depth: new Float32Array(1) }) };
  await assert.rejects(new TextureSynthesisCompleter(short).complete(view), /^Error: texture synthesis: expected 3072 pixels from 'short', found 1 colours and 1 depths$/);
});

test('with InpaintCompleter inside, a textured view\'s fill gains texture near the truth\'s and keeps the inpainter\'s depth', async () => {
  const W = 128, H = 96;
  const nz = noise(11, W, H);
  const f = (x: number, y: number): [number, number, number] => { const v = 0.5 + 0.08 * nz[y * W + x]; return [v, v, v]; };
  const view = partialView(W, H, f, (x) => x >= 88);
  const inpaint = new InpaintCompleter();
  const plain: CompletedView = await inpaint.complete(view);
  const out = await new TextureSynthesisCompleter(inpaint).complete(view);
  const hole = (x: number, y: number) => x >= 92 && y >= 0 && y < H;
  const truth = new Float32Array(3 * W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) truth.set(f(x, y), 3 * (y * W + x));
  const got = meanStep(out.rgb, W, H, 0, 1, 0, hole), want = meanStep(truth, W, H, 0, 1, 0, hole), smooth = meanStep(plain.rgb, W, H, 0, 1, 0, hole);
  assert.ok(smooth < 0.3 * want, `the inpainter alone: ${smooth} against the truth's ${want}`);
  assert.ok(got > 0.7 * want && got < 1.3 * want, `synthesised: ${got} against the truth's ${want}`);
  assert.deepEqual(out.depth, plain.depth);
});

test('the border: the first hole pixels continue the known pixels they touch (no step), which random patch detail alone does not', async () => {
  const W = 128, H = 96, edge = 80;
  const nz = noise(13, W, H);
  const f = (x: number, y: number): [number, number, number] => { const v = 0.5 + 0.1 * nz[y * W + x]; return [v, v, v]; };
  const view = partialView(W, H, f, (x) => x >= edge);
  const completed = await new InpaintCompleter().complete(view);
  /** Mean |step| across the border (x = edge - 1 to edge) over that between known neighbours (x - 1 to x). */
  const seam = (rgb: Float32Array) => {
    let across = 0, inside = 0, n = 0;
    for (let y = 0; y < H; y++) {
      const at = (x: number) => rgb[3 * (y * W + x)];
      across += Math.abs(at(edge) - at(edge - 1));
      for (let x = 1; x < edge; x++) inside += Math.abs(at(x) - at(x - 1));
      n++;
    }
    return across / n / (inside / (n * (edge - 1)));
  };
  const withMirror = seam(synthesiseDetail(view, completed)), without = seam(synthesiseDetail(view, completed, { mirrorBorder: 0, ramp: 0 }));
  assert.ok(withMirror < 0.3, `seam ratio with the mirrored border ${withMirror}`);
  assert.ok(without > 0.6, `seam ratio with patch detail up to the border ${without}`);
});

test('a silhouette\'s mixed pixels are not texture: sky filled beside boxes gets no dark slivers', () => {
  // Boxes (surface, dark) stand in the lower part of a flat sky; the render mixes each box edge into
  // the sky pixel beside it (sky by its depth, half dark). The hole is the sky on the right. Those
  // slivers are the only detail the known sky has, so a synthesis that takes them for texture copies
  // them into the filled sky as faint vertical lines.
  const W = 160, H = 96, sky: [number, number, number] = [0.6, 0.7, 0.9], box: [number, number, number] = [0.2, 0.2, 0.2];
  const boxAt = (x: number, y: number) => y >= 40 && [10, 30, 50].some((b) => x >= b && x <= b + 6);
  const mixedAt = (x: number, y: number) => y >= 40 && [9, 17, 29, 37, 49, 57].includes(x);
  const colour = (x: number, y: number): [number, number, number] => (boxAt(x, y) ? box : mixedAt(x, y) ? [0.4, 0.45, 0.55] : sky);
  const view = partialView(W, H, colour, (x) => x >= 80, (x, y) => (boxAt(x, y) ? 5 : 0));
  const completion = { rgb: view.rgb.slice(), depth: view.depth.slice() };
  for (let i = 0; i < W * H; i++) if (view.mask[i]) { completion.rgb.set(sky, 3 * i); completion.depth[i] = 0; }
  const out = synthesiseDetail(view, completion);
  let darkest = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 84; x < W; x++) {
      const i = y * W + x;
      for (let c = 0; c < 3; c++) darkest = Math.min(darkest, out[3 * i + c] - sky[c]);
    }
  }
  assert.ok(darkest > -0.01, `the filled sky's darkest pixel is ${darkest.toFixed(3)} below the sky (a copied sliver: about -0.1)`);
});

test('blocks lighter and darker than their surroundings are not copied as offsets: each patch of the fill keeps the inner fill\'s mean colour', () => {
  // Known: a checkerboard of 12 px blocks at 0.5 +- 0.08 (too coarse for the low-pass of radius 4: most
  // windows' detail has a mean far from 0) with fine noise; the inner fill is flat 0.5.
  const W = 160, H = 64, B = 12;
  const nz = noise(7, W, H);
  const f = (x: number, y: number): [number, number, number] => {
    const v = 0.5 + (((((x / B) | 0) + ((y / B) | 0)) & 1) ? 0.08 : -0.08) + 0.03 * nz[y * W + x];
    return [v, v, v];
  };
  const view = partialView(W, H, f, (x) => x >= 96);
  const completed = { rgb: new Float32Array(3 * W * H).fill(0.5), depth: new Float32Array(W * H).fill(5) };
  // RMS over the fill's 8 x 8 grid cells away from the border of their mean's offset from 0.5.
  const cellOffsetRms = (rgb: Float32Array) => {
    let s = 0, n = 0;
    for (let cy = 0; cy + 8 <= H; cy += 8) {
      for (let cx = 112; cx + 8 <= W; cx += 8) {
        let m = 0;
        for (let y = cy; y < cy + 8; y++) for (let x = cx; x < cx + 8; x++) m += rgb[3 * (y * W + x)] - 0.5;
        s += (m / 64) ** 2; n++;
      }
    }
    return Math.sqrt(s / n);
  };
  const free = cellOffsetRms(synthesiseDetail(view, completed, { radius: 4, patch: 8, maxDetail: Infinity }));
  const old = cellOffsetRms(synthesiseDetail(view, completed, { radius: 4, patch: 8, maxDetail: Infinity, meanFree: false }));
  // Known blocks are 0.08 off; a mean-free patch's cell mean is off only where feathered margins and the
  // class box mean bring some in; the old rule copies the offsets (0.0165 against 0.0058 when written).
  assert.ok(free < 0.01, `mean-free patches: RMS cell offset ${free.toFixed(4)} (old ${old.toFixed(4)})`);
  assert.ok(old > 0.012, `patches with their offsets (the old rule, to show this test can fail): RMS cell offset ${old.toFixed(4)} (mean-free ${free.toFixed(4)})`);
});

test('the canvas: the view\'s rows copied at its stride; its all-known windows from the view\'s and the texture source\'s own (kept) are those over the whole canvas', () => {
  const random = seededRandom(5);
  // A texture source wider than the view and one narrower (the canvas is as wide as the wider), each
  // with uncovered pixels; holes in the view as blobs and single pixels; a second call reads the kept part.
  for (const [w, h, tw, th] of [[40, 30, 52, 22], [48, 26, 33, 28]]) {
    const kind = new Uint8Array(tw * th).map(() => (random() < 0.01 ? 2 : random() < 0.3 ? 1 : 0));
    for (let y = 3; y < 9; y++) for (let x = tw - 9; x < tw - 4; x++) kind[y * tw + x] = 2;
    const texture = { width: tw, height: th, rgb: new Float32Array(3 * tw * th).fill(0.5), kind, row: Float32Array.from({ length: th }, (_, y) => (y * h) / th) };
    for (let call = 0; call < 2; call++) {
      const mask = new Uint8Array(w * h).map(() => (random() < 0.01 ? 1 : 0));
      for (let y = 10; y < 20; y++) for (let x = w - 12 - 3 * call; x < w; x++) mask[y * w + x] = 1;
      const n = w * h;
      const view = {
        sky: new Uint8Array(n).map(() => (random() < 0.5 ? 1 : 0)), energy: new Float32Array(n).map(() => random()),
        detail: new Float32Array(3 * n).map(() => random() - 0.5), low: new Float32Array(3 * n).map(() => random()),
      };
      const { canvas, split, whole } = canvasForTest(texture, mask, w, h, 6, view);
      assert.deepEqual(split, whole, `${w}x${h} view, ${tw}x${th} texture source, call ${call}`);
      const SW = Math.max(w, tw);
      assert.equal(canvas.SW, SW);
      // The canvas's first rows are the view's, at the canvas's stride; past its width, unknown.
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < SW; x++) {
          const s = y * SW + x, i = y * w + x;
          if (x >= w) { assert.equal(canvas.unknown[s], 1); continue; }
          assert.equal(canvas.unknown[s], mask[i]);
          assert.equal(canvas.sky[s], view.sky[i]);
          assert.equal(canvas.energy[s], view.energy[i]);
          for (let c = 0; c < 3; c++) assert.ok(canvas.detail[3 * s + c] === view.detail[3 * i + c] && canvas.low[3 * s + c] === view.low[3 * i + c], `${x},${y}`);
        }
      }
      const viewWindows = whole.subarray(0, h * SW).reduce((a, v) => a + v, 0), sourceWindows = whole.subarray((h + 1) * SW).reduce((a, v) => a + v, 0);
      assert.ok(viewWindows > 20 && sourceWindows > 20, `windows in the view ${viewWindows}, in the texture source ${sourceWindows}`);
    }
  }
});

/** A new instance of the module (its own kept arrays), by another URL. */
const freshInstance = async (tag: string) => (await import(`./texture-synthesis.ts?fresh=${tag}`)) as typeof import('./texture-synthesis.ts');

test('fills of other sizes in between (the kept summed-area table and window list made anew, then kept) leave a fill the same bit for bit', async () => {
  const fills = [];
  for (const [W, H, seed] of [[96, 64, 3], [112, 72, 4]]) {
    const nz = noise(seed, W, H);
    const view = partialView(W, H, (x, y) => { const v = 0.5 + 0.45 * nz[y * W + x]; return [v, 0.4, 1 - v]; }, (x) => x >= W - 30);
    fills.push({ view, completed: await filling(() => [0.5, 0.5, 0.5]).complete(view) });
  }
  // The truth: each fill by a fresh instance of the module (nothing kept from an earlier fill).
  const first = [];
  for (const [k, { view, completed }] of fills.entries()) {
    const fresh = await freshInstance(String(k));
    first.push(fresh.synthesiseDetail(view, completed));
  }
  // In one more fresh instance: smaller, larger, smaller, larger, each canvas's arrays made after the other's were kept.
  const sequence = await freshInstance('sequence');
  for (const k of [0, 1, 0, 1]) assert.deepEqual(sequence.synthesiseDetail(fills[k].view, fills[k].completed), first[k], `fill ${k}`);
  assert.deepEqual(synthesiseDetail(fills[1].view, fills[1].completed), first[1]);
});
