import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResizePolicy } from './manifest.ts';
import { expInPlace, invertInPlace, normalsToCameraFrame, outputPlaneToImage, sigmoidInPlace } from './postprocess.ts';
import { imageToInputMaps, planInput } from './preprocess.ts';
import { resample } from './resample.ts';

/**
 * Image -> model input grid -> (a model that returns its input at `outScale` of the input resolution)
 * -> image grid must give back the image, wherever the model saw it. A linear ramp survives resampling
 * exactly, so any misplaced offset or scale shows as a difference.
 */
function roundTrip(width: number, height: number, policy: ResizePolicy, outScale: number) {
  const f = (x: number, y: number) => 1 + 0.02 * x + 0.035 * y;
  const image = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image[y * width + x] = f(x + 0.5, y + 0.5);
  const plan = planInput(width, height, policy);
  const inMaps = imageToInputMaps(plan, width, height);
  const input = resample(image, 1, inMaps.x, inMaps.y);
  const outW = plan.inputWidth * outScale;
  const outH = plan.inputHeight * outScale;
  const output = resample(input, 1, { srcSize: plan.inputWidth, dstSize: outW, step: 1 / outScale, origin: 0 }, { srcSize: plan.inputHeight, dstSize: outH, step: 1 / outScale, origin: 0 });
  return { back: outputPlaneToImage(output, plan, outW, outH, width, height), f, plan };
}

test('model grid -> image grid undoes the input placement (pad, crop, stretch, fixed; output at 1x and 1/2x)', () => {
  const policies: ResizePolicy[] = [
    { mode: 'pad', longSide: 64, multipleOf: 16 },
    { mode: 'crop', longSide: 64, multipleOf: 16 },
    { mode: 'stretch', longSide: 70, multipleOf: 14 },
    { mode: 'pad', width: 48, height: 64 },
  ];
  for (const policy of policies) {
    for (const outScale of [1, 0.5]) {
      const [width, height] = [150, 97];
      const { back, f, plan } = roundTrip(width, height, policy, outScale);
      // Away from the borders (and, for crop, away from what the model did not see), the ramp comes back.
      // Border pixels repeat outward, which bends the ramp within a filter's reach of the border:
      // two input pixels and two output pixels, here counted in image pixels.
      const reach = (scale: number) => 1 + 2 / scale + 2 / (scale * outScale);
      const marginX = reach(plan.scaleX) + Math.max(0, -plan.offsetX / plan.scaleX);
      const marginY = reach(plan.scaleY) + Math.max(0, -plan.offsetY / plan.scaleY);
      let worst = 0;
      for (let y = Math.ceil(marginY); y < height - marginY; y++) {
        for (let x = Math.ceil(marginX); x < width - marginX; x++) worst = Math.max(worst, Math.abs(back[y * width + x] - f(x + 0.5, y + 0.5)));
      }
      assert.ok(worst < 1e-4, `${JSON.stringify(policy)} at ${outScale}: worst error ${worst}`);
    }
  }
});

test('unit conversions: exp of log depth, 1/x with infinity for x <= 0, sigmoid', () => {
  assert.deepEqual([...expInPlace(Float32Array.from([0, Math.log(2.5)]))].map((v) => +v.toFixed(6)), [1, 2.5]);
  assert.deepEqual([...invertInPlace(Float32Array.from([4, 0, -1]))], [0.25, Infinity, Infinity]);
  assert.deepEqual([...sigmoidInPlace(Float32Array.from([0, 100]))], [0.5, 1]);
});

test('normals: OpenCV frame (y down, z forward) becomes the program frame (y up, z towards the viewer), unit length', () => {
  // A wall facing the camera: in OpenCV its normal points back at the camera, (0, 0, -1); for us (0, 0, +1).
  const plain = (v: Float32Array) => [...v].map((x) => x + 0); // -0 and 0 are the same direction
  const facing = normalsToCameraFrame(Float32Array.of(0), Float32Array.of(0), Float32Array.of(-2), 'opencv');
  assert.deepEqual(plain(facing), [0, 0, 1]);
  // A floor seen by a level camera: OpenCV normal is up = (0, -1, 0); ours (0, 1, 0).
  assert.deepEqual(plain(normalsToCameraFrame(Float32Array.of(0), Float32Array.of(-1), Float32Array.of(0), 'opencv')), [0, 1, 0]);
  const same = normalsToCameraFrame(Float32Array.of(3), Float32Array.of(4), Float32Array.of(0), 'opengl');
  assert.deepEqual([...same].map((v) => +v.toFixed(6)), [0.6, 0.8, 0]);
});
