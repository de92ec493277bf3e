/**
 * generateFromPhoto end to end (onnxruntime-web in Node) on the built-in-like fixture network, whose
 * depth is a written-down function of the pixel colour (src/model/fixtures/make_fixtures.py):
 * log depth = 0.5 x0 + 0.25 x1 with x = 2 * colour - 1, at the 60-degree field of view used here.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Pose } from '../core/camera.ts';
import { fixtureModel } from '../model/fixtures/fixtures.ts';
import { type Model, loadModel } from '../model/index.ts';
import { renderSplats } from '../render/rasterizer.ts';
import { texturedPicture } from './analytic-scenes.ts';
import { generateFromPhoto } from './generate.ts';
import { psnr } from './metrics.ts';

const models: Model[] = [];
async function load(id: string): Promise<Model> {
  const { entry, bytes } = fixtureModel(id);
  const model = await loadModel(entry, bytes);
  models.push(model);
  return model;
}
after(() => Promise.all(models.map((m) => m.release())));

function uniformPhoto(width: number, height: number, rgb: [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, data };
}

test('a uniform photo becomes a wall at the depth the model predicts, seen from the origin down -Z', async () => {
  const model = await load('builtin');
  const photo = uniformPhoto(160, 120, [204, 153, 51]);
  const view = await generateFromPhoto(photo, model, { verticalFovDegrees: 60 });
  const [x0, x1] = [204, 153].map((v) => (2 * v) / 255 - 1);
  const expected = Math.exp(0.5 * x0 + 0.25 * x1);
  assert.equal(view.splats.count, 160 * 120);
  const z = Array.from({ length: view.splats.count }, (_, i) => view.splats.positions[3 * i + 2]).sort((a, b) => a - b);
  const median = z[z.length >> 1];
  assert.ok(Math.abs(-median - expected) / expected < 0.01, `wall at ${-median} m, expected ${expected} m`);
  // The centre pixel's splat lies on the optical axis.
  const centre = 60 * 160 + 80;
  assert.ok(Math.abs(view.splats.positions[3 * centre]) < 0.02 * expected);
  assert.deepEqual(view.pose.position, [0, 0, 0]);
});

test('the photo comes back when its world is rendered from the photo camera (PSNR >= 30 dB)', async () => {
  const model = await load('builtin');
  const photo = texturedPicture(160, 120, 3);
  const pose = Pose.lookAt([1, 0.5, 2], [0, 0, -3]);
  const view = await generateFromPhoto(photo, model, { verticalFovDegrees: 60, pose });
  const render = renderSplats(view.splats, pose, view.intrinsics);
  const truth = Float32Array.from(photo.data, (v) => v / 255);
  const score = psnr(render.color, truth);
  assert.ok(score >= 30, `PSNR ${score.toFixed(2)} dB`);
});

test('a relative-depth model needs a metric reference; an aborted signal leaves nothing half-made', async () => {
  const relative = await load('depth-anything-like');
  const photo = uniformPhoto(56, 42, [100, 100, 100]);
  await assert.rejects(generateFromPhoto(photo, relative), /expected a metric reference model to scale its relative depth, found none/);
  const controller = new AbortController();
  controller.abort(new Error('cancelled by the user'));
  await assert.rejects(generateFromPhoto(photo, await load('builtin'), { signal: controller.signal }), /cancelled by the user/);
});
