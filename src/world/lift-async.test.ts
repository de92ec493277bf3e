/**
 * liftToSplatsAsync with the top rows of its colour stage computed elsewhere gives liftToSplats's
 * splats, every column bit for bit (sky, a sphere before a tilted wall: depth edges, both sigma classes;
 * with and without a confidence map).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ColourBand, bandColours } from './input-view-colours-bands.ts';
import { liftToSplats, liftToSplatsAsync } from './lift.ts';
import { cloudBytes as bits, sphereBeforeWall as scene } from './lift-test-scene.ts';

test('a lift whose top colour rows are computed elsewhere is the plain lift, bit for bit', async () => {
  for (const [width, height, withConfidence] of [[160, 121, false], [97, 64, false], [96, 80, true]] as const) {
    const base = scene(width, height);
    // Low confidence fades opacities (and so the colour stage's weights) in a band across the picture.
    const confidence = { width: base.depth.width, height: base.depth.height, data: Float32Array.from({ length: base.depth.data.length }, (_, i) => (i % 7) / 8) };
    const input = withConfidence ? { ...base, confidence } : base;
    const plain = liftToSplats(input, { colourIterations: 3 });
    let bands = 0;
    const elsewhere = (band: ColourBand) => {
      bands++;
      return new Promise<Float32Array>((resolve) => setImmediate(() => resolve(bandColours(band))));
    };
    const stages: string[] = [];
    const split = await liftToSplatsAsync(input, { colourIterations: 3, onProgress: (_, s) => stages.push(s) }, elsewhere);
    assert.equal(bands, 1, `${width}x${height}: the top band went elsewhere`);
    assert.deepEqual(bits(split), bits(plain), `${width}x${height}`);
    assert.deepEqual([...new Set(stages)], ['resize', 'upsample', 'analyse', 'splats', 'colours']);
    // And the colour steps did change the colours (else the comparison would prove little).
    const photoColours = liftToSplats(input).colors;
    assert.ok(plain.colors.some((c, i) => Math.abs(c - photoColours[i]) > 0.05));
  }
});
