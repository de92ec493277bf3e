import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageInputSpec } from './manifest.ts';
import { imageToTensor, inputVerticalFovDegrees, planInput } from './preprocess.ts';

test('input sizes follow the policy: long side to target, short side to a multiple (pad up, crop down, stretch nearest)', () => {
  // 640x480 with long side 518: the short side becomes 388.5 pixels = 27.75 blocks of 14.
  const s = 518 / 640;
  assert.deepEqual(planInput(640, 480, { mode: 'pad', longSide: 518, multipleOf: 14 }), {
    inputWidth: 518, inputHeight: 392, scaleX: s, scaleY: s, offsetX: 0, offsetY: (392 - 388.5) / 2,
  });
  assert.deepEqual(planInput(640, 480, { mode: 'crop', longSide: 518, multipleOf: 14 }), {
    inputWidth: 518, inputHeight: 378, scaleX: s, scaleY: s, offsetX: 0, offsetY: (378 - 388.5) / 2,
  });
  assert.deepEqual(planInput(640, 480, { mode: 'stretch', longSide: 518, multipleOf: 14 }), {
    inputWidth: 518, inputHeight: 392, scaleX: s, scaleY: 392 / 480, offsetX: 0, offsetY: 0,
  });
  // Portrait, and a sliver that would round to zero blocks.
  assert.equal(planInput(300, 600, { mode: 'pad', longSide: 256, multipleOf: 16 }).inputWidth, 128);
  assert.equal(planInput(1000, 10, { mode: 'crop', longSide: 256, multipleOf: 16 }).inputHeight, 16);
});

test('fixed input sizes: pad fits the image inside, crop covers the input', () => {
  assert.deepEqual(planInput(640, 480, { mode: 'pad', width: 256, height: 256 }), {
    inputWidth: 256, inputHeight: 256, scaleX: 0.4, scaleY: 0.4, offsetX: 0, offsetY: 32,
  });
  const crop = planInput(640, 480, { mode: 'crop', width: 256, height: 256 });
  assert.equal(crop.scaleX, 256 / 480);
  assert.equal(crop.offsetX, (256 - 640 * (256 / 480)) / 2);
  assert.equal(crop.offsetY, 0);
});

const spec = (overrides: Partial<ImageInputSpec>): ImageInputSpec => ({
  name: 'image',
  kind: 'image',
  layout: 'NCHW',
  channels: 'RGB',
  valueRange: [0, 1],
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  resize: { mode: 'pad', longSide: 32, multipleOf: 16 },
  ...overrides,
});

test('normalisation: (v - mean) / std per channel after mapping 0..1 onto the value range; BGR reverses channels', () => {
  // A constant colour stays constant through any resampling, so every tensor value is known exactly.
  const [r, g, b] = [200, 100, 30];
  const data = new Uint8Array(40 * 25 * 3);
  for (let i = 0; i < 40 * 25; i++) data.set([r, g, b], 3 * i);
  const image = { width: 40, height: 25, data };
  const plan = planInput(40, 25, spec({}).resize);
  const size = plan.inputWidth * plan.inputHeight;
  assert.deepEqual([plan.inputWidth, plan.inputHeight], [32, 32]);

  const imagenet = imageToTensor(image, plan, spec({}));
  const expectRgb = [(r / 255 - 0.485) / 0.229, (g / 255 - 0.456) / 0.224, (b / 255 - 0.406) / 0.225];
  for (let c = 0; c < 3; c++) for (const i of [0, 517, size - 1]) assert.ok(Math.abs(imagenet[c * size + i] - expectRgb[c]) < 1e-5);

  const caffe = imageToTensor(image, plan, spec({ channels: 'BGR', valueRange: [0, 255], mean: [104, 117, 123], std: [1, 1, 1] }));
  const expectBgr = [b - 104, g - 117, r - 123];
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(caffe[c * size + 100] - expectBgr[c]) < 1e-3);

  const floats = imageToTensor({ ...image, data: Float32Array.from(data, (v) => v / 255) }, plan, spec({}));
  for (let i = 0; i < floats.length; i++) assert.ok(Math.abs(floats[i] - imagenet[i]) < 1e-5);
});

test('the field of view of the input grid: unchanged by scaling alone, wider with padding, narrower with cropping', () => {
  const tanHalf = (deg: number) => Math.tan((deg * Math.PI) / 360);
  // 256x128 scaled to 128x64: no padding, the same view.
  const plain = planInput(256, 128, { mode: 'pad', longSide: 128, multipleOf: 16 });
  assert.ok(Math.abs(inputVerticalFovDegrees(60, 128, plain) - 60) < 1e-9);
  // 640x480 into 256x256: the photo spans 192 of the 256 rows, so tan(fov/2) grows by 256/192.
  const padded = planInput(640, 480, { mode: 'pad', width: 256, height: 256 });
  assert.ok(Math.abs(tanHalf(inputVerticalFovDegrees(50, 480, padded)) - (256 / 192) * tanHalf(50)) < 1e-12);
  // 480x640 (portrait) cropped into 256x256: 256 of 341.33 rows are seen.
  const cropped = planInput(480, 640, { mode: 'crop', width: 256, height: 256 });
  assert.ok(Math.abs(tanHalf(inputVerticalFovDegrees(70, 640, cropped)) - (256 / (640 * (256 / 480))) * tanHalf(70)) < 1e-12);
  assert.throws(() => inputVerticalFovDegrees(180, 480, padded), /depth: expected a vertical field of view between 0 and 180 degrees, found 180/);
});
