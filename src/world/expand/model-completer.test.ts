/**
 * ModelCompleter with the shipped completion model (models/worldsplat-complete.onnx) on views whose
 * answer is known without the model: a wall of one colour at one depth with a small hole must be
 * filled with that colour and depth; known pixels come back exactly as given.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { findModel, parseManifest } from '../../model/manifest.ts';
import { type Model, loadModel } from '../../model/session.ts';
import { verifyModelBytes } from '../../model/verify.ts';
import type { PartialView } from './completer.ts';
import { ModelCompleter } from './model-completer.ts';

const modelsDir = join(import.meta.dirname, '..', '..', '..', 'models');
let model: Model | undefined;
async function completer(): Promise<ModelCompleter> {
  if (!model) {
    const entry = findModel(parseManifest(JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8'))), 'complete');
    if (entry.url !== undefined) throw new Error('expected the completion model to ship in models/');
    const bytes = readFileSync(join(modelsDir, entry.file));
    await verifyModelBytes(entry, bytes); // the manifest's size and sha256 are those of the shipped file
    model = await loadModel(entry, bytes);
  }
  return new ModelCompleter(model);
}
after(() => model?.release());

/** width x height, a fronto-parallel wall of `colour` at `depth` metres, hole where inHole. */
function wall(width: number, height: number, colour: number[], depth: number, inHole: (x: number, y: number) => boolean): PartialView {
  const n = width * height;
  const rgb = new Float32Array(3 * n), d = new Float32Array(n), mask = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (inHole(x, y)) { mask[i] = 1; rgb.fill(0.9, 3 * i, 3 * i + 3); continue; }
      rgb.set(colour, 3 * i);
      d[i] = depth;
    }
  }
  return { pose: Pose.identity(), intrinsics: intrinsicsFromFov(width, height, 60), width, height, rgb, depth: d, mask, prompt: null };
}

for (const [colour, depth] of [[[0.6, 0.35, 0.2], 3], [[0.2, 0.45, 0.7], 12]] as const) {
  test(`model completer: a small hole in a wall of colour ${colour} at ${depth} m is filled with that colour and depth`, async () => {
    const width = 256, height = 192;
    const partial = wall(width, height, [...colour], depth, (x, y) => (x - 140) ** 2 + (y - 90) ** 2 < 20 ** 2);
    const before = { rgb: partial.rgb.slice(), depth: partial.depth.slice() };
    const done = await (await completer()).complete(partial);
    assert.deepEqual({ rgb: partial.rgb, depth: partial.depth }, before, 'the partial view is not mutated');
    let worstColour = 0, worstDepth = 0;
    for (let i = 0; i < width * height; i++) {
      if (!partial.mask[i]) {
        assert.equal(done.depth[i], depth);
        for (let c = 0; c < 3; c++) assert.equal(done.rgb[3 * i + c], partial.rgb[3 * i + c]);
        continue;
      }
      for (let c = 0; c < 3; c++) worstColour = Math.max(worstColour, Math.abs(done.rgb[3 * i + c] - colour[c]));
      worstDepth = Math.max(worstDepth, Math.abs(done.depth[i] / depth - 1));
    }
    assert.ok(worstColour < 0.08, `largest colour error in the hole ${worstColour.toFixed(3)}`);
    assert.ok(worstDepth < 0.1, `largest relative depth error in the hole ${worstDepth.toFixed(3)}`);
  });
}

test('model completer: completeDepth fills a hole in a wall at 3 m with that depth, keeps the known depth, and is complete()\'s depth', async () => {
  const width = 256, height = 192;
  const partial = wall(width, height, [0.6, 0.35, 0.2], 3, (x, y) => (x - 140) ** 2 + (y - 90) ** 2 < 20 ** 2);
  const c = await completer();
  const depth = await c.completeDepth(partial);
  let worst = 0;
  for (let i = 0; i < width * height; i++) {
    if (!partial.mask[i]) assert.equal(depth[i], 3);
    else worst = Math.max(worst, Math.abs(depth[i] / 3 - 1));
  }
  assert.ok(worst < 0.1, `largest relative depth error in the hole ${worst.toFixed(3)}`);
  assert.deepEqual(depth, (await c.complete(partial)).depth);
});

test('model completer: refuses a model that is not a completion model', () => {
  const fake = { entry: { id: 'builtin', task: 'depth' } } as unknown as Model;
  assert.throws(() => new ModelCompleter(fake), /^Error: model completer: expected a model with task 'complete', found 'depth' \(builtin\)$/);
});
