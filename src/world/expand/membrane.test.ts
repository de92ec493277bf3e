import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIXED, FREE, OUTSIDE, prolong, reduce, solveMembrane } from './membrane.ts';

test('membrane: an affine field fixed on the border of a ragged hole is reproduced inside (affine = harmonic)', () => {
  const w = 97, h = 61;
  const truth = (x: number, y: number) => 0.3 + 0.01 * x - 0.02 * y;
  const state = new Uint8Array(w * h).fill(FIXED);
  const values = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      values[y * w + x] = truth(x, y);
      // A blob-shaped hole touching nothing but fixed pixels, 40-odd pixels across.
      const r = Math.hypot(x - 48, (y - 30) * 1.3) + 6 * Math.sin(x * 0.3);
      if (r < 24) { state[y * w + x] = FREE; values[y * w + x] = 99; }
    }
  }
  const out = solveMembrane(values, 1, state, w, h);
  let worst = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) worst = Math.max(worst, Math.abs(out[y * w + x] - truth(x, y)));
  // The field changes by ~1 across the hole; the cascadic solve with 16 sweeps per level is within 0.2% of it.
  assert.ok(worst < 2e-3, `largest error ${worst}`);
});

test('membrane: with screening, a border value decays into the hole as the discrete exponential r^n', () => {
  const w = 300, h = 5, screening = 0.01;
  const state = new Uint8Array(w * h).fill(FREE);
  const values = new Float32Array(w * h);
  for (let y = 0; y < h; y++) { state[y * w] = FIXED; values[y * w] = 1; }
  const out = solveMembrane(values, 1, state, w, h, { screening, sweeps: 40 });
  // Columns are uniform, so x_{n-1} - (2 + s) x_n + x_{n+1} = 0: x_n = r^n with r + 1/r = 2 + s.
  const b = 2 + screening, r = (b - Math.sqrt(b * b - 4)) / 2;
  for (const n of [1, 5, 10, 20, 40]) {
    const expected = r ** n;
    assert.ok(Math.abs(out[2 * w + n] - expected) < 0.01, `column ${n}: ${out[2 * w + n]} vs ${expected}`);
  }
  assert.ok(out[2 * w + 200] < 1e-3, 'far from the border the correction is gone');
});

test('membrane: outside pixels are a free edge and come out 0; channels are independent', () => {
  const w = 40, h = 20;
  const state = new Uint8Array(w * h).fill(FREE);
  const values = new Float32Array(2 * w * h);
  for (let y = 0; y < h; y++) {
    state[y * w] = FIXED; values[2 * y * w] = 1; values[2 * y * w + 1] = -3;
    if (y >= 12) for (let x = 1; x < w; x++) state[y * w + x] = OUTSIDE;
  }
  const out = solveMembrane(values, 2, state, w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 1; x < w; x++) {
      const i = y * w + x;
      if (y >= 12) { assert.equal(out[2 * i], 0); continue; }
      assert.ok(Math.abs(out[2 * i] - 1) < 1e-3 && Math.abs(out[2 * i + 1] + 3) < 3e-3, `(${x}, ${y}): ${out[2 * i]}, ${out[2 * i + 1]}`);
    }
  }
});

test('membrane: a size mismatch is one line and no work', () => {
  assert.throws(() => solveMembrane(new Float32Array(5), 1, new Uint8Array(6), 3, 2), /^Error: membrane: expected 6 values and 6 states, found 5 and 6$/);
});

test('membrane: prolong starts each free pixel from the clamped bilinear mean of the in-domain coarse corners, bit for bit on the inner fast path and at the edges', () => {
  // Odd and even fine sizes (the last coarse column or row half covered), outside pixels scattered.
  for (const [fw, fh] of [[23, 17], [24, 18]]) {
    const cw = Math.ceil(fw / 2), ch = Math.ceil(fh / 2), channels = 4;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const coarseState = new Uint8Array(cw * ch).map(() => (random() < 0.15 ? OUTSIDE : random() < 0.5 ? FIXED : FREE));
    const coarseValues = new Float32Array(cw * ch * channels).map(() => random() * 2 - 0.5);
    const fineState = new Uint8Array(fw * fh).map(() => (random() < 0.8 ? FREE : FIXED));
    const free = Int32Array.from(Array.from(fineState).flatMap((s, i) => (s === FREE ? [i] : [])));
    const fineValues = new Float32Array(fw * fh * channels);
    prolong({ width: cw, height: ch, state: coarseState, values: coarseValues, free: new Int32Array(0) },
      { width: fw, height: fh, state: fineState, values: fineValues, free }, channels);
    let compared = 0;
    for (const i of free) {
      const x = i % fw, y = (i - x) / fw;
      // The fine pixel's centre in coarse coordinates; corners clamped to the grid; outside ones left out.
      const cx = (x + 0.5) / 2 - 0.5, cy = (y + 0.5) / 2 - 0.5, x0 = Math.floor(cx), y0 = Math.floor(cy);
      const fx = cx - x0, fy = cy - y0;
      const corners: [number, number][] = [];
      for (const [dy, wy] of [[0, 1 - fy], [1, fy]]) {
        for (const [dx, wx] of [[0, 1 - fx], [1, fx]]) {
          const j = Math.min(ch - 1, Math.max(0, y0 + dy)) * cw + Math.min(cw - 1, Math.max(0, x0 + dx));
          if (coarseState[j] !== OUTSIDE) corners.push([j, wy * wx]);
        }
      }
      const weight = corners.reduce((s, [, w]) => s + w, 0);
      for (let c = 0; c < channels; c++) {
        const sum = corners.reduce((s, [j, w]) => s + w * coarseValues[j * channels + c], 0);
        assert.equal(fineValues[i * channels + c], Math.fround(weight > 0 ? sum / weight : 0), `pixel ${x},${y} channel ${c} (${fw}x${fh})`);
        compared++;
      }
    }
    assert.ok(compared > channels * fw * fh / 2, `${compared} values compared`);
  }
});

test('membrane: reduce makes a coarse pixel fixed at the mean of its fixed children, else free if one is free, else outside, bit for bit at the edges too', () => {
  for (const [fw, fh] of [[23, 17], [24, 18]]) {
    const channels = 3;
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const state = new Uint8Array(fw * fh).map(() => (random() < 0.3 ? OUTSIDE : random() < 0.5 ? FIXED : FREE));
    const values = new Float32Array(fw * fh * channels).map(() => random() * 2 - 0.5);
    const coarse = reduce({ width: fw, height: fh, state, values, free: new Int32Array(0) }, channels);
    const cw = Math.ceil(fw / 2), ch = Math.ceil(fh / 2);
    assert.equal(coarse.width, cw);
    const kinds = new Set<number>();
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const children = [[0, 0], [1, 0], [0, 1], [1, 1]].filter(([dx, dy]) => 2 * x + dx < fw && 2 * y + dy < fh).map(([dx, dy]) => (2 * y + dy) * fw + 2 * x + dx);
        const fixed = children.filter((i) => state[i] === FIXED), o = y * cw + x;
        const expected = fixed.length ? FIXED : children.some((i) => state[i] === FREE) ? FREE : OUTSIDE;
        assert.equal(coarse.state[o], expected, `pixel ${x},${y} (${fw}x${fh})`);
        kinds.add(expected);
        for (let c = 0; c < channels && fixed.length; c++) {
          assert.equal(coarse.values[o * channels + c], Math.fround(fixed.reduce((s, i) => s + values[i * channels + c], 0) / fixed.length), `pixel ${x},${y} channel ${c}`);
        }
      }
    }
    assert.equal(kinds.size, 3);
    assert.deepEqual(Array.from(coarse.free), Array.from(coarse.state.keys()).filter((i) => coarse.state[i] === FREE));
  }
});
