/**
 * A lift given what prepareLift computed from its photo ahead of time gives the plain lift's splats,
 * every column bit for bit: odd sizes, a tiny picture, a photo shrunk to the working size, the
 * colour stage split over two "threads", a depth grid guessed wrong. And the prepared parts are
 * really used (a spoiled low-resolution guide changes the splats) unless made for another photo.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ColourBand, bandColours } from './input-view-colours-bands.ts';
import { liftToSplats, liftToSplatsAsync } from './lift.ts';
import { cloudBytes as bits, sphereBeforeWall as scene } from './lift-test-scene.ts';
import { prepareLift } from './lift-prepared.ts';

const elsewhere = (band: ColourBand) => new Promise<Float32Array>((resolve) => setImmediate(() => resolve(bandColours(band))));

test('a prepared lift is the plain lift, bit for bit (odd sizes, tiny, shrunk, split colour stage)', async () => {
  // [photo width, height, the lift's maxLongSide]: the last two are shrunk to 128 and 64 first.
  for (const [width, height, maxLongSide] of [[160, 121, 1024], [97, 64, 1024], [7, 5, 1024], [301, 203, 128], [90, 150, 64]]) {
    const input = scene(width, height);
    const options = { colourIterations: 3, maxLongSide };
    const plain = liftToSplats(input, options);
    const grid = { width: input.depth.width, height: input.depth.height };
    const name = `${width}x${height} at ${maxLongSide}`;
    const prepared = prepareLift(input.image, input.intrinsics, { maxLongSide, depthGrid: grid });
    assert.ok(prepared.lowGuide, `${name}: a guide was made`);
    assert.deepEqual(bits(liftToSplats(input, { ...options, prepared })), bits(plain), name);
    // Its cloud is taken by the first lift; a second lift with it makes its own.
    assert.deepEqual(bits(liftToSplats(input, { ...options, prepared })), bits(plain), `${name}, again`);
    const fresh = prepareLift(input.image, input.intrinsics, { maxLongSide, depthGrid: grid });
    assert.deepEqual(bits(await liftToSplatsAsync(input, { ...options, prepared: fresh }, elsewhere)), bits(plain), `${name}, split`);
    const wrongGrid = prepareLift(input.image, input.intrinsics, { maxLongSide, depthGrid: { width: grid.width + 1, height: grid.height } });
    assert.deepEqual(bits(liftToSplats(input, { ...options, prepared: wrongGrid })), bits(plain), `${name}, grid guessed wrong`);
  }
});

test('the prepared guide is what the lift reads, unless it was prepared for another photo', () => {
  const input = scene(160, 121);
  const grid = { width: input.depth.width, height: input.depth.height };
  const plain = liftToSplats(input, { colourIterations: 3 });
  const spoiled = prepareLift(input.image, input.intrinsics, { depthGrid: grid });
  spoiled.lowGuide!.data.fill(0); // every colour unlike the photo's: the range weights change
  assert.notDeepEqual(bits(liftToSplats(input, { colourIterations: 3, prepared: spoiled })), bits(plain));
  // The same pixels in another object: not this lift's photo, so it is ignored.
  const other = prepareLift({ ...input.image, data: input.image.data.slice() }, input.intrinsics, { depthGrid: grid });
  other.lowGuide!.data.fill(0);
  assert.deepEqual(bits(liftToSplats(input, { colourIterations: 3, prepared: other })), bits(plain));
});
