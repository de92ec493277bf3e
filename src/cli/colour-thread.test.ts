/**
 * The colour thread (colour-thread.ts, colour-worker.mjs) must give the colours this thread computes
 * for the same band, bit for bit; where it is off or closed the caller gets no runner or a failure
 * it can fall back from (inputViewColoursSplit then computes the band itself).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { bandColours, colourBand, inputViewColoursSplit } from '../world/input-view-colours-bands.ts';
import { inputViewColours } from '../world/input-view-colours.ts';
import { ColourThread } from './colour-thread.ts';

/** A picture with translucent splats, both sigma classes and depth ties (rows recede slowly). */
function picture(seed: number, width = 41, height = 70) {
  const rand = seededRandom(seed);
  const n = width * height;
  const splats = {
    width, height, sigmas: [0.65, 0.35],
    sortKey: Float32Array.from({ length: n }, (_, i) => 2 + 0.01 * Math.floor(i / width) + 0.5 * rand()),
    sigmaClass: Uint8Array.from({ length: n }, () => (rand() < 0.2 ? 1 : 0)),
    opacity: Float32Array.from({ length: n }, () => (rand() < 0.25 ? 0.3 + 0.6 * rand() : 1)),
  };
  return { splats, target: Float32Array.from({ length: 3 * n }, () => rand()) };
}

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

test('a band computed on the colour thread is the band computed here, bit for bit, band after band', async () => {
  const thread = ColourThread.start();
  const runner = thread.runner();
  assert.ok(runner, 'the thread is running, so it offers a runner');
  const { splats, target } = picture(5);
  for (const [from, to] of [[0, 35], [20, 70]]) {
    const band = colourBand(splats, target, from, to, { iterations: 3 });
    assert.deepEqual(bytes(await runner(band)), bytes(bandColours(band)), `rows ${from}..${to}`);
  }
  assert.match(thread.timesLine() ?? '', /^colour thread: started \d+(, ready \d+)?; band of 50 rows \(with margins 62\), sent \d+, answered \d+ \(ms since the process started\)(; its CPU: \d+ ms)?$/);
  assert.equal(target.length, 3 * splats.width * splats.height, 'the caller\'s arrays were copied, not moved away');
  // The whole split stage through the thread equals one pass over the whole picture.
  const whole = inputViewColours(splats, target, { iterations: 3 });
  assert.deepEqual(bytes(await inputViewColoursSplit(splats, target, { iterations: 3 }, runner)), bytes(whole));
  await thread.close();
  // A closed thread offers no runner; a band sent to it fails (the caller then computes it itself).
  assert.equal(thread.runner(), undefined);
  await assert.rejects(runner(colourBand(splats, target, 0, 35, { iterations: 3 })), /^Error: colour thread: closed$/);
});

test('a thread turned off starts nothing and offers no runner; its times line is empty', () => {
  const thread = ColourThread.start('no core free (load average 3.00 on 2 cores)');
  assert.equal(thread.runner(), undefined);
  assert.equal(thread.timesLine(), undefined);
});
