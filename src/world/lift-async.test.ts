/**
 * liftToSplatsAsync with the top rows of its colour stage computed elsewhere gives liftToSplats's
 * splats, every column bit for bit (sky, a sphere before a tilted wall: depth edges, both sigma classes).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { planeDepth, rayAt, sampleDepth, sphereDepth, texturedPicture } from './analytic-scenes.ts';
import { type ColourBand, bandColours } from './input-view-colours-bands.ts';
import { liftToSplats, liftToSplatsAsync } from './lift.ts';

function scene(width: number, height: number) {
  const k = intrinsicsFromFov(width, height, 60);
  const depth = sampleDepth(k, Math.ceil(width / 4), Math.ceil(height / 4), (u, v) => {
    const r = rayAt(k, u, v);
    if (v < 0.15 * height) return Infinity;
    return Math.min(sphereDepth([-0.6, 0, -4], 1.2, r), planeDepth([-0.25, 0.1, Math.sqrt(1 - 0.0725)], 7, r));
  });
  return { image: texturedPicture(width, height), depth, intrinsics: k, pose: Pose.lookAt([0, 1.6, 0], [0, 1.5, -1]) };
}

const bits = (c: SplatCloud) => [c.positions, c.scales, c.rotations, c.opacities, c.colors].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

test('a lift whose top colour rows are computed elsewhere is the plain lift, bit for bit', async () => {
  for (const [width, height] of [[160, 121], [97, 64]]) {
    const input = scene(width, height);
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
