/**
 * Colours computed in bands (input-view-colours-bands.ts) against the colours of one pass over the
 * whole picture, compared bit for bit: random depths with ties, translucent splats, both sigma
 * classes, pictures of one row or column, bands of one row, cuts next to the picture's edges, both
 * ways of stepping. And the margin is shown to be needed: one row less changes the colours.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type InputViewSplats, inputViewColours } from './input-view-colours.ts';
import { bandColours, bandMargin, bandRowsReady, colourBand, inputViewColoursSplit, MIN_SPLIT_ROWS } from './input-view-colours-bands.ts';
import { random, randomInputView } from './random-input-view.ts';

/** Index of the first value whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

/** The picture's colours put together from bands cut at `cuts` (rows), each computed on its own. */
function inBands(splats: InputViewSplats, target: Float32Array, cuts: number[], iterations: number, simd: boolean, margin?: number): Float32Array {
  const out = new Float32Array(target.length);
  const edges = [0, ...cuts, splats.height];
  for (let b = 0; b + 1 < edges.length; b++) {
    out.set(bandColours(colourBand(splats, target, edges[b], edges[b + 1], { iterations, simd }, margin)), 3 * edges[b] * splats.width);
  }
  return out;
}

const CASES: Array<[width: number, height: number, iterations: number, cuts: number[]]> = [
  [37, 29, 4, [14]], [16, 70, 3, [1, 35, 69]], [5, 40, 2, [3, 4, 5, 20, 37]], [1, 80, 4, [40]], [23, 65, 1, [10, 11, 64]],
  [64, 66, 3, [33]], [9, 2, 3, [1]], [12, 1, 3, []], [31, 50, 3, [12, 24, 36, 48]], [8, 30, 0, [15]],
];

for (const simd of [true, false]) test(`colours computed in bands are bit for bit the whole picture's (${simd ? 'WebAssembly SIMD' : 'JavaScript'} steps)`, () => {
  for (const [width, height, iterations, cuts] of CASES) {
    const { splats, target } = randomInputView(width, height, width * 977 + height);
    const whole = inputViewColours(splats, target, { iterations, simd });
    const banded = inBands(splats, target, cuts, iterations, simd);
    const at = firstDifference(banded, whole);
    assert.equal(at, -1, `${width}x${height}, ${iterations} steps, cuts ${cuts}: value ${at} is ${banded[at]}, whole picture ${whole[at]}`);
    if (iterations > 0) assert.ok(whole.some((v, i) => Math.abs(v - target[i]) > 0.05), `${width}x${height}: the steps hardly moved the colours`);
  }
});

/**
 * Depth stripes that carry a change 2 rows per half step, the farthest it can go: rows 1, 2 (mod 4)
 * near, rows 0, 3 far. A far pixel's row of W holds the near splats 2 rows above and below it (only
 * splats in front of a pixel's own are in its row), so the near splats of rows 2, 6, 10, ... are
 * chained through the far pixels between them, and those of rows 1, 5, 9, ... likewise.
 */
function stripes(width: number, height: number, seed: number): { splats: InputViewSplats; target: Float32Array } {
  const { splats, target } = randomInputView(width, height, seed);
  const rnd = random(seed + 1);
  for (let i = 0; i < width * height; i++) {
    const m = Math.floor(i / width) % 4;
    splats.sortKey[i] = (m === 1 || m === 2 ? 2 : 3) + 0.1 * rnd();
    splats.opacity[i] = 1;
    splats.sigmaClass[i] = 0; // the wider splats, reaching the farthest
  }
  return { splats, target };
}

// Up to 3 steps (generate's count). Each 4-row hop scales a change by about 0.06^2 x the step (a
// splat 2 rows away weighs at most 0.063), so at 4 steps what reaches the 16th row is below float32
// rounding: there 15 rows happen to be enough, and 16 stay.
test('one row of margin less than 4 per step changes the colours next to the cut', () => {
  for (const iterations of [1, 2, 3]) {
    for (const simd of [true, false]) {
      const { splats, target } = stripes(40, 60, 5 + iterations);
      const whole = inputViewColours(splats, target, { iterations, simd });
      assert.equal(firstDifference(inBands(splats, target, [30], iterations, simd, bandMargin(iterations)), whole), -1);
      const short = inBands(splats, target, [30], iterations, simd, bandMargin(iterations) - 1);
      const at = firstDifference(short, whole);
      assert.ok(at >= 0, `${iterations} steps: a margin of ${bandMargin(iterations) - 1} rows gave the same colours`);
      const row = Math.floor(at / 3 / 40);
      assert.ok(row === 29 || row === 30, `${iterations} steps: first difference at row ${row}, expected next to the cut (29 or 30)`);
    }
  }
});

test('inputViewColoursSplit gives the whole picture\'s colours with the top band computed elsewhere, and where that fails', async () => {
  const { splats, target } = randomInputView(45, 131, 3);
  assert.ok(splats.height >= MIN_SPLIT_ROWS);
  const whole = inputViewColours(splats, target, { iterations: 3 });
  let posted = 0, views = 0;
  // As a thread would: the band kept (the runner's own copies), the answer later. A failure here
  // would only send the band back to this thread, so views are counted and checked below.
  const thread = (band: Parameters<typeof bandColours>[0]) => {
    posted++;
    if (band.target.buffer.byteLength !== band.target.byteLength) views++;
    return new Promise<Float32Array>((resolve) => setTimeout(() => resolve(bandColours(band).slice()), 5));
  };
  for (const share of [0.5, 0.3, 0.9, undefined]) {
    const split = await inputViewColoursSplit(splats, target, { iterations: 3 }, thread, { share });
    assert.equal(firstDifference(split, whole), -1, `share ${share}`);
  }
  assert.equal(posted, 4, 'the top band went to the other thread each time');
  assert.equal(views, 0, 'the runner gets a band holding only its own rows');
  // Written over the target itself, as lift.ts does.
  const inPlace = Float32Array.from(target);
  assert.equal(await inputViewColoursSplit(splats, inPlace, { iterations: 3, out: inPlace }, thread), inPlace);
  assert.equal(firstDifference(inPlace, whole), -1, 'out = target');
  // Rows past bandRowsReady filled only in `meanwhile` (lift.ts places them there): the same colours.
  for (const runner of [thread, () => Promise.reject(new Error('thread died'))]) {
    const ready = bandRowsReady(splats.height, 3);
    assert.ok(ready < splats.height, 'the top band does not need every row');
    const late = { ...splats, sortKey: Float32Array.from(splats.sortKey), opacity: Float32Array.from(splats.opacity) };
    const lateTarget = Float32Array.from(target);
    late.sortKey.fill(NaN, ready * splats.width);
    late.opacity.fill(NaN, ready * splats.width);
    lateTarget.fill(NaN, 3 * ready * splats.width);
    let calls = 0;
    const meanwhile = () => {
      calls++;
      late.sortKey.set(splats.sortKey.subarray(ready * splats.width), ready * splats.width);
      late.opacity.set(splats.opacity.subarray(ready * splats.width), ready * splats.width);
      lateTarget.set(target.subarray(3 * ready * splats.width), 3 * ready * splats.width);
    };
    const colours = await inputViewColoursSplit(late, lateTarget, { iterations: 3, out: lateTarget }, runner, { meanwhile });
    assert.equal(calls, 1);
    assert.equal(firstDifference(colours, whole), -1, 'rows placed meanwhile');
  }
  // The other thread fails (rejects, throws, or answers the wrong size): the band is computed here.
  const failing = [
    () => Promise.reject(new Error('thread died')),
    () => { throw new Error('no thread'); },
    () => Promise.resolve(new Float32Array(7)),
  ];
  for (const [i, runner] of failing.entries()) {
    const out = Float32Array.from(target);
    await inputViewColoursSplit(splats, out, { iterations: 3, out }, runner);
    assert.equal(firstDifference(out, whole), -1, `failing runner ${i}`);
  }
  // Too few rows to split: computed here, the runner never called.
  const small = randomInputView(30, MIN_SPLIT_ROWS - 1, 9);
  const never = () => Promise.reject(new Error('called'));
  posted = 0;
  let before = false;
  const result = await inputViewColoursSplit(small.splats, small.target, { iterations: 3 }, () => { posted++; return never(); }, {
    meanwhile: () => { before = true; },
  });
  assert.equal(posted, 0);
  assert.ok(before, 'meanwhile ran');
  assert.equal(bandRowsReady(small.splats.height, 3), small.splats.height, 'not split: every row is read');
  assert.equal(firstDifference(result, inputViewColours(small.splats, small.target, { iterations: 3 })), -1);
});

test('a band outside the picture is refused in one line', () => {
  const { splats, target } = randomInputView(10, 10, 1);
  assert.throws(() => colourBand(splats, target, 5, 11, { iterations: 3 }), /^Error: colour band: expected rows 0 <= from < to <= 10, found 5 \.\. 11$/);
  assert.throws(() => colourBand(splats, target, 4, 4, { iterations: 3 }), /found 4 \.\. 4$/);
});
