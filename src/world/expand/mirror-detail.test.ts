import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletedView, Completer, PartialView } from './completer.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { MirrorDetailCompleter } from './mirror-detail.ts';
import { partialView } from './partial-view-fixture.ts';

/** A grey picture of width x height whose colour at (x, y) is `colour(x, y)` (all channels), hole where `hole`. */
const makeView = (w: number, h: number, colour: (x: number, y: number) => number, hole: (x: number, y: number) => boolean,
  depth?: (x: number, y: number) => number): PartialView => partialView(w, h, (x, y) => {
  const v = colour(x, y);
  return [v, v, v];
}, hole, depth);

/** An inner completer that fills the hole with one grey level at depth `depth` and keeps known pixels. */
const flat = (level: number, depth = 5): Completer => ({
  name: 'flat',
  complete: async (v) => {
    const rgb = v.rgb.slice(), d = v.depth.slice();
    for (let i = 0; i < v.mask.length; i++) if (v.mask[i]) { rgb.fill(level, 3 * i, 3 * i + 3); d[i] = depth; }
    return { rgb, depth: d };
  },
});

const at = (out: CompletedView, w: number, x: number, y: number) => out.rgb[3 * (y * w + x)];

test('a periodic texture symmetric about the border: the fill is its mirror image where the inner fill is its mean', async () => {
  // Vertical stripes, period 9, even about the border between x = 47 and 48; the box (radius 4) spans
  // exactly one period, so the low-pass of the known stripes and of the flat fill are both the mean 0.5.
  const W = 96, H = 12, P = 9, r = 4;
  const f = (x: number) => 0.5 + 0.3 * Math.cos((2 * Math.PI * (x + 0.5 - 48)) / P);
  const view = makeView(W, H, f, (x) => x >= 48);
  const out = await new MirrorDetailCompleter(flat(0.5), { radius: r, maxDetail: Infinity }).complete(view);
  const inner = await flat(0.5).complete(view);
  let checked = 0;
  for (let y = 0; y < H; y++) {
    // The hole pixel's box lies in the hole (x > 48 + r) and its source's box in the known part (95 - x >= r).
    for (let x = 48 + r + 1; x <= 95 - r; x++, checked++) assert.ok(Math.abs(at(out, W, x, y) - f(x)) < 1e-5, `(${x}, ${y}): ${at(out, W, x, y)} vs ${f(x)}`);
  }
  assert.ok(checked > 300);
  // ... which the flat inner fill is not (the test can fail): it is 0.3 off at the stripes' crests.
  assert.ok(Math.abs(at(inner, W, 57, 0) - f(57)) > 0.25);
});

test('maxDetail compresses strong detail as m tanh(d / m): the same stripes come back fainter, weak detail nearly unchanged', async () => {
  const W = 96, H = 4, P = 9, r = 4, m = 0.1;
  const f = (x: number) => 0.5 + 0.3 * Math.cos((2 * Math.PI * (x + 0.5 - 48)) / P);
  const out = await new MirrorDetailCompleter(flat(0.5), { radius: r, maxDetail: m }).complete(makeView(W, H, f, (x) => x >= 48));
  for (let x = 48 + r + 1; x <= 95 - r; x++) {
    const expected = 0.5 + m * Math.tanh((f(x) - 0.5) / m);
    assert.ok(Math.abs(at(out, W, x, 1) - expected) < 1e-5, `${x}: ${at(out, W, x, 1)} vs ${expected}`);
    assert.ok(Math.abs(at(out, W, x, 1) - 0.5) <= m + 1e-6);
  }
});

test('known pixels come back byte-identical and the view is not changed, even from an inner completer that alters them; colours stay in 0..1', async () => {
  const W = 40, H = 20;
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const noise = Array.from({ length: W * H }, random);
  const view = makeView(W, H, (x, y) => noise[y * W + x], (x, y) => x >= 25 || (y < 4 && x > 10));
  const before = { rgb: view.rgb.slice(), depth: view.depth.slice(), mask: view.mask.slice() };
  const meddling: Completer = {
    name: 'meddling',
    // Known pixels darkened, the hole near white: the strong noise detail would push the fill above 1.
    complete: async (v) => ({ rgb: Float32Array.from(v.rgb, (c, k) => (v.mask[Math.floor(k / 3)] ? 0.97 : c * 0.5)), depth: new Float32Array(v.mask.length).fill(5) }),
  };
  const out = await new MirrorDetailCompleter(meddling, { radius: 2, maxDetail: Infinity }).complete(view);
  let changed = 0, above = 0;
  for (let i = 0; i < W * H; i++) {
    for (let c = 0; c < 3; c++) {
      const v = out.rgb[3 * i + c];
      assert.ok(v >= 0 && v <= 1, `pixel ${i}: ${v}`);
      if (!view.mask[i]) assert.equal(v, view.rgb[3 * i + c]);
      else if (v !== 0.97) changed++;
      if (view.mask[i] && v === 1) above++;
    }
  }
  assert.ok(changed > 0, 'the hole got detail');
  assert.ok(above > 0, 'some fill was clamped at 1 (the case is tested)');
  assert.deepEqual(view.rgb, before.rgb);
  assert.deepEqual(view.depth, before.depth);
  assert.deepEqual(view.mask, before.mask);
  assert.deepEqual(out.depth, new Float32Array(W * H).fill(5), 'the inner depth is kept');
});

test('a hole bounded on both sides takes each border\'s texture next to it, so both borders stay continuous', async () => {
  // Left known part: stripes of period 6; right known part: stripes of period 10 in another phase;
  // both of mean 0.5, the inner fill 0.5. Near each border the fill must continue that side's
  // stripes (mirrored); a one-sided mirror would put the left stripes at the right border.
  const W = 120, H = 8, r = 3;
  const left = (x: number) => 0.5 + 0.25 * Math.sign(Math.sin((2 * Math.PI * (x + 0.5)) / 6));
  const right = (x: number) => 0.5 + 0.3 * Math.cos((2 * Math.PI * (x + 0.3)) / 10);
  const f = (x: number) => (x < 40 ? left(x) : right(x));
  const view = makeView(W, H, f, (x) => x >= 40 && x < 80);
  // ramp 0: this flat inner fill does not meet the border as a membrane would, so fading into it there
  // would measure the stub, not the cross-fade.
  const out = await new MirrorDetailCompleter(flat(0.5), { radius: r, maxDetail: Infinity, ramp: 0 }).complete(view);
  const y = 4;
  // Mean step between neighbours inside each known texture, and the step across each border.
  const innerStep = (x0: number, x1: number) => { let s = 0; for (let x = x0; x < x1; x++) s += Math.abs(f(x + 1) - f(x)); return s / (x1 - x0); };
  const leftStep = Math.abs(at(out, W, 40, y) - f(39)), rightStep = Math.abs(at(out, W, 79, y) - f(80));
  assert.ok(leftStep <= innerStep(0, 38), `left border step ${leftStep} vs ${innerStep(0, 38)} inside`);
  assert.ok(rightStep <= innerStep(81, 119), `right border step ${rightStep} vs ${innerStep(81, 119)} inside`);
  // Beside each border the fill correlates with that side's mirror image, not the other's.
  const corr = (xs: number[], mirror: (x: number) => number) => {
    const a = xs.map((x) => at(out, W, x, y) - 0.5), b = xs.map((x) => mirror(x) - 0.5);
    const dot = (p: number[], q: number[]) => p.reduce((s, v, k) => s + v * q[k], 0);
    return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  };
  const nearLeft = Array.from({ length: 6 }, (_, k) => 41 + r + k), nearRight = Array.from({ length: 6 }, (_, k) => 78 - r - k);
  assert.ok(corr(nearLeft, (x) => left(79 - x)) > 0.8, `left: ${corr(nearLeft, (x) => left(79 - x))}`);
  assert.ok(corr(nearRight, (x) => right(159 - x)) > 0.8, `right: ${corr(nearRight, (x) => right(159 - x))}`);
});

test('holes above the known part take detail along their column, but no ground texture lands in sky rows', async () => {
  // Rows 0-7: hole; rows 8-13 known sky (depth 0) with faint clouds; rows 14+ known ground, strong texture.
  // The inner completion calls the whole hole sky; mirrored down the column, hole rows 2-7 see the sky
  // rows and rows 0-1 would see the ground (reflection distance 6, 7): they must stay without detail.
  const W = 32, H = 40;
  const cloud = (x: number, y: number) => 0.7 + 0.03 * Math.sin(x * 1.3 + y * 0.7);
  const ground = (x: number, y: number) => 0.3 + 0.25 * (((x + y) & 1) ? 1 : -1);
  const view = makeView(W, H, (x, y) => (y < 14 ? cloud(x, y) : ground(x, y)), (_x, y) => y < 8, (_x, y) => (y < 14 ? 0 : 5));
  const inner = flat(0.7, 0);
  const out = await new MirrorDetailCompleter(inner, { radius: 2, minRun: 4 }).complete(view);
  let cloudDetail = 0;
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < 8; y++) {
      const v = at(out, W, x, y);
      assert.ok(Math.abs(v - 0.7) < 0.1, `(${x}, ${y}) ${v}: ground texture in the sky`);
      if (y >= 2) cloudDetail += Math.abs(v - 0.7);
    }
  }
  assert.ok(cloudDetail > 0, 'the sky rows got the clouds\' detail');
});

test('bad input is one line from the inner completer\'s check, and the output sizes are checked too', async () => {
  const view = makeView(8, 4, () => 0.5, (x) => x > 4);
  await assert.rejects(new MirrorDetailCompleter(new InpaintCompleter()).complete({ ...view, rgb: new Float32Array(5) }), /^Error: partial view: expected rgb 96, depth and mask 32 values for 8x4, found 5, 32, 32$/);
  const short: Completer = { name: 'short', complete: async () => ({ rgb: new Float32Array(3), depth: new Float32Array(1) }) };
  await assert.rejects(new MirrorDetailCompleter(short).complete(view), /^Error: mirror detail: expected 32 pixels from 'short', found 1 colours and 1 depths$/);
});

test('an aborted signal rejects, before the inner completer and after it', async () => {
  const view = makeView(16, 8, (x) => x / 16, (x) => x > 9);
  let calls = 0;
  const controller = new AbortController();
  const counting: Completer = { name: 'counting', complete: async (v) => { calls++; controller.abort(); return flat(0.5).complete(v); } };
  const early = new AbortController();
  early.abort();
  await assert.rejects(new MirrorDetailCompleter(counting).complete(view, early.signal), (e: Error) => e.name === 'AbortError');
  assert.equal(calls, 0);
  await assert.rejects(new MirrorDetailCompleter(counting).complete(view, controller.signal), (e: Error) => e.name === 'AbortError');
  assert.equal(calls, 1);
});

test('with InpaintCompleter inside, the fill gains texture from a textured photo-like view', async () => {
  // Noise texture on the left 2/3, hole on the right third (a turn): the inpainter's fill is smooth,
  // the decorated fill's mean |horizontal gradient| approaches the known texture's.
  const W = 96, H = 48;
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const noise = Array.from({ length: W * H }, () => 0.4 + 0.2 * random()); // fine texture, within maxDetail
  const view = makeView(W, H, (x, y) => noise[y * W + x], (x) => x >= 64);
  const plain = await new InpaintCompleter().complete(view);
  const detailed = await new MirrorDetailCompleter(new InpaintCompleter(), { radius: 2 }).complete(view);
  const gradient = (o: CompletedView, x0: number, x1: number) => {
    let s = 0, k = 0;
    for (let y = 0; y < H; y++) for (let x = x0; x < x1 - 1; x++, k++) s += Math.abs(at(o, W, x + 1, y) - at(o, W, x, y));
    return s / k;
  };
  const truth = gradient(plain, 0, 64); // known part (the same in both)
  assert.ok(gradient(plain, 64, W) < 0.3 * truth, `inpaint alone ${gradient(plain, 64, W)} vs ${truth}`);
  assert.ok(gradient(detailed, 64, W) > 0.7 * truth, `with detail ${gradient(detailed, 64, W)} vs ${truth}`);
});

test('where no detail can come (only sources of the other class), the inner fill comes back unchanged', async () => {
  // Known: textured ground (depth 5) on the left; the inner completer calls the whole hole sky.
  const W = 48, H = 16;
  const view = makeView(W, H, (x, y) => 0.3 + 0.2 * (((x + y) & 1) ? 1 : -1), (x) => x >= 24);
  const skyFill: Completer = {
    name: 'sky',
    complete: async (v) => {
      const rgb = v.rgb.slice(), depth = v.depth.slice();
      for (let i = 0; i < v.mask.length; i++) if (v.mask[i]) { rgb.fill(0.6 + 0.01 * (i % W), 3 * i, 3 * i + 3); depth[i] = 0; }
      return { rgb, depth };
    },
  };
  const inner = await skyFill.complete(view);
  const out = await new MirrorDetailCompleter(skyFill, { radius: 2 }).complete(view);
  assert.deepEqual(out.rgb, inner.rgb);
});

test('ramp: the inner fill fades into the detailed fill away from the known part, so the top and bottom of a row-filled hole step less', async () => {
  const W = 64, H = 40;
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const noise = Array.from({ length: W * H }, () => 0.4 + 0.2 * random());
  const hole = (x: number, y: number) => x >= 16 && x < 56 && y >= 10 && y < 30;
  const view = makeView(W, H, (x, y) => noise[y * W + x], hole);
  const borderStep = (o: CompletedView) => {
    let s = 0, k = 0;
    for (let x = 16; x < 56; x++) {
      s += Math.abs(at(o, W, x, 10) - at(o, W, x, 9)) + Math.abs(at(o, W, x, 29) - at(o, W, x, 30));
      k += 2;
    }
    return s / k;
  };
  const sharp = await new MirrorDetailCompleter(new InpaintCompleter(), { radius: 2 }).complete(view);
  const ramped = await new MirrorDetailCompleter(new InpaintCompleter(), { radius: 2, ramp: 4 }).complete(view);
  assert.ok(borderStep(ramped) < 0.8 * borderStep(sharp), `ramped ${borderStep(ramped)} vs ${borderStep(sharp)}`);
});

test('texturedInpainter: texture synthesis by default, the mirrored detail on request, both named as the textured inpainter always was', async () => {
  const { texturedInpainter } = await import('./mirror-detail.ts');
  const { TextureSynthesisCompleter } = await import('./texture-synthesis.ts');
  assert.ok(texturedInpainter() instanceof TextureSynthesisCompleter);
  assert.ok(texturedInpainter('mirror') instanceof MirrorDetailCompleter);
  assert.equal(texturedInpainter().name, 'inpaint+detail');
  assert.equal(texturedInpainter('mirror').name, 'inpaint+detail');
});
