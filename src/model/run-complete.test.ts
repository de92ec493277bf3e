/**
 * runComplete's plumbing with a stand-in model whose outputs are written-down functions of what it is
 * fed: the truth is computed here from the partial view itself, so resampling, masks, the FoV and the
 * unit conversions are checked without a trained network.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest } from './manifest.ts';
import { runComplete, runCompleteDepth } from './run-complete.ts';
import type { Model, TensorData } from './session.ts';

const entry = parseManifest({
  version: 1,
  models: [{
    id: 'complete', name: 'stand-in', file: 'x.onnx', bytes: 1, sha256: '0'.repeat(64), licence: { id: 'MIT', nonCommercial: false }, task: 'complete',
    inputs: [
      { name: 'image', kind: 'image', layout: 'NCHW', channels: 'RGB', valueRange: [0, 1], mean: [0, 0, 0], std: [1, 1, 1], resize: { mode: 'stretch', longSide: 48, multipleOf: 16 } },
      { name: 'log_depth', kind: 'map', layout: 'NCHW', meaning: 'log-depth' },
      { name: 'hole', kind: 'map', layout: 'NCHW', meaning: 'hole' },
      { name: 'sky', kind: 'map', layout: 'NCHW', meaning: 'sky' },
      { name: 'fov_deg', kind: 'vertical-fov-degrees', default: 60 },
    ],
    outputs: [
      { name: 'rgb', layout: 'NCHW', meaning: 'rgb' },
      { name: 'log_depth_out', layout: 'NCHW', meaning: 'log-depth' },
      { name: 'sky_out', layout: 'NCHW', meaning: 'sky' },
    ],
  }],
}).models[0];

/** Echoes known colour and log-depth; fills holes with colour 0.25 and 2 m; sky where sky was fed. */
function standIn(seen: Record<string, TensorData>[]): Model {
  return {
    entry, executionProvider: 'wasm', skippedProviders: [],
    async run(feeds) {
      seen.push(feeds);
      const [, , h, w] = feeds.image.dims;
      const n = h * w;
      const rgb = new Float32Array(3 * n), logD = new Float32Array(n), sky = new Float32Array(n);
      for (let p = 0; p < n; p++) {
        const hole = feeds.hole.data[p] === 1;
        for (let c = 0; c < 3; c++) rgb[c * n + p] = hole ? 0.25 : feeds.image.data[c * n + p];
        logD[p] = hole ? Math.log(2) : feeds.log_depth.data[p];
        sky[p] = feeds.sky.data[p];
      }
      return { rgb: { data: rgb, dims: [1, 3, h, w] }, log_depth_out: { data: logD, dims: [1, 1, h, w] }, sky_out: { data: sky, dims: [1, 1, h, w] } };
    },
    async release() {},
  };
}

// 64 x 48 view: a wall at 3 m of colour (0.6, 0.3, 0.2) below row 16, sky (0.5, 0.7, 0.9) above;
// a 16 x 16 hole whose pixels hold garbage that must not leak into the known ones.
const width = 64, height = 48;
function partial() {
  const rgb = new Float32Array(3 * width * height), depth = new Float32Array(width * height), hole = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x >= 24 && x < 40 && y >= 24 && y < 40) { hole[i] = 1; rgb.fill(9, 3 * i, 3 * i + 3); depth[i] = 1e6; continue; }
      if (y < 16) rgb.set([0.5, 0.7, 0.9], 3 * i);
      else { rgb.set([0.6, 0.3, 0.2], 3 * i); depth[i] = 3; }
    }
  }
  return { width, height, rgb, depth, hole, verticalFovDegrees: 50 };
}

test('runComplete: known colour and depth reach the model unmixed with hole pixels; holes come back filled', async () => {
  const seen: Record<string, TensorData>[] = [];
  const out = await runComplete(standIn(seen), partial());
  const f = seen[0];
  assert.deepEqual(f.image.dims, [1, 3, 32, 48]); // stretch: long side 48, 48 x 36 -> 48 x 32 (nearest multiple of 16)
  const [, , h, w] = f.image.dims;
  // the model grid is 48 x 32: each model pixel covers 4/3 x 1.5 view pixels
  for (let p = 0; p < h * w; p++) {
    if (f.hole.data[p]) continue;
    if (f.sky.data[p]) continue;
    assert.ok(Math.abs(f.log_depth.data[p] - Math.log(3)) < 1e-5, `model pixel ${p}: log-depth ${f.log_depth.data[p]}`);
    assert.ok(Math.abs(f.image.data[p] - 0.6) < 1e-5 || f.image.data[p] < 0.6, `model pixel ${p}: red ${f.image.data[p]}`);
  }
  // the hole's centre is a hole on the model grid, the far corners are known
  const at = (x: number, y: number) => Math.floor((y + 0.5) * (h / height)) * w + Math.floor((x + 0.5) * (w / width));
  assert.equal(f.hole.data[at(32, 32)], 1);
  assert.equal(f.hole.data[at(2, 46)], 0);
  assert.equal(f.sky.data[at(2, 2)], 1);
  // FoV of the stretched grid: the vertical FoV is unchanged by a uniform-ish vertical scale
  assert.ok(Math.abs(f.fov_deg.data[0] - 50) < 1e-4, `fov ${f.fov_deg.data[0]}`);
  // back at 64 x 48: the hole's middle is the stand-in's fill, the wall its colour and depth, sky depth 0
  const i = 32 * width + 32;
  assert.deepEqual([...out.rgb.subarray(3 * i, 3 * i + 3)].map((v) => +v.toFixed(5)), [0.25, 0.25, 0.25]);
  assert.ok(Math.abs(out.depth[i] - 2) < 1e-4, `hole depth ${out.depth[i]}`);
  const wall = 44 * width + 4;
  assert.ok(Math.abs(out.depth[wall] - 3) < 1e-4 && Math.abs(out.rgb[3 * wall] - 0.6) < 1e-5, `wall ${out.depth[wall]} ${out.rgb[3 * wall]}`);
  assert.equal(out.depth[2 * width + 2], 0);
});

test('runCompleteDepth: the hole filled at the stand-in\'s 2 m, the wall at 3 m, sky 0, the same values as runComplete and no colour', async () => {
  const out = await runCompleteDepth(standIn([]), partial());
  assert.ok(!('rgb' in out), 'no colour brought back');
  assert.ok(Math.abs(out.depth[32 * width + 32] - 2) < 1e-4, `hole depth ${out.depth[32 * width + 32]}`);
  assert.ok(Math.abs(out.depth[44 * width + 4] - 3) < 1e-4, `wall depth ${out.depth[44 * width + 4]}`);
  assert.equal(out.depth[2 * width + 2], 0);
  const full = await runComplete(standIn([]), partial());
  assert.deepEqual(out.depth, full.depth);
  assert.deepEqual(out.sky, full.sky);
});

test('runComplete: a bad view gets one line and the model is not run', async () => {
  const seen: Record<string, TensorData>[] = [];
  const bad = { ...partial(), hole: new Uint8Array(5) };
  await assert.rejects(runComplete(standIn(seen), bad), /^Error: complete: expected rgb 9216, depth and hole 3072 values for 64x48, found 9216, 3072, 5$/);
  await assert.rejects(runComplete(standIn(seen), { ...partial(), verticalFovDegrees: 0 }), /expected a vertical field of view between 0 and 180 degrees, found 0/);
  assert.equal(seen.length, 0);
});
