/**
 * The prompt box in the viewer (headless Chromium): words become a world with the built-in procedural
 * generator in the worker; the opt-in online path (SD-Turbo) shows its availability and its
 * non-commercial licence, and when it cannot run the built-in generator is used and that is said;
 * words not understood are named; a bad prompt is one line and changes nothing; the prompt travels
 * with the world into a saved .worldsplat.
 * Truths: the SD-Turbo entry's availability and licence computed here in Node from the same code the
 * page runs (textToImageAvailability with the browser's runtime: Chromium here has no WebGPU), the
 * vocabulary's verdict on the words (parsePrompt in Node), and our bundle reader in Node.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { readBundle } from '../../io/bundle/bundle-reader.ts';
import { textToImageAvailability } from '../../model/text-to-image/index.ts';
import { parsePrompt } from '../../world/text/parse-prompt.ts';
import { generateFromText, storedPrompt } from '../../world/text/text-world.ts';
import { describeOnline } from '../prompt/online-choice.ts';
import { type Harness, startHarness } from './harness.ts';
import { openViewer } from './page-helpers.ts';

let harness: Harness;
let page: Page;

before(async () => {
  harness = await startHarness();
  page = await harness.newPage();
  await openViewer(page, harness.baseUrl, '/?sample=none');
});
after(async () => harness?.close());

const PROMPT = 'a snowy pine forest at dusk with a cathedral';
const onlineBox = () => page.locator('.lil-gui .lil-controller', { hasText: 'Online: SD-Turbo (opt-in)' }).locator('input[type=checkbox]');
const statusText = () => page.locator('.status-line').innerText();

describe('the prompt box', () => {
  test('opting in to SD-Turbo shows its availability and its non-commercial licence', async () => {
    const gpu = await page.evaluate(() => 'gpu' in navigator);
    const truth = describeOnline(textToImageAvailability({ runtime: { node: false, webgpu: gpu } }));
    assert.equal(truth.available, false, 'SD-Turbo is not pinned yet: unavailable everywhere');
    await onlineBox().check();
    await page.locator('.online-availability', { hasText: 'unavailable:' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.online-availability').innerText(), truth.line);
    assert.equal(await page.locator('.online-licence').innerText(), truth.notice);
    assert.match(truth.notice!, /non-commercial/);
  });

  test('with SD-Turbo unavailable, words become a world with the built-in generator; both are said', { timeout: 600_000 }, async (t) => {
    const ignored = parsePrompt(PROMPT).ignored;
    assert.deepEqual(ignored, ['cathedral']);
    await page.locator('.lil-gui .lil-string input').fill(PROMPT);
    await page.locator('.lil-gui button', { hasText: 'Make a world from the words' }).click();
    await page.waitForFunction(() => window.__worldsplat!.lastGeneration() !== null || window.__worldsplat!.lastError() !== null, null, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), null);
    const gen = (await page.evaluate(() => window.__worldsplat!.lastGeneration()))!;
    t.diagnostic(`"${PROMPT}" -> ${gen.splats} splats in ${gen.totalMs.toFixed(0)} ms`);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), gen.splats);
    const status = await statusText();
    assert.match(status, /^SD-Turbo unavailable: .* -> built-in generator; words not used: cathedral$/);
    assert.ok(!status.includes('\n'));
  });

  test('the prompt is stored with the world and its frame in a saved .worldsplat', { timeout: 300_000 }, async () => {
    const [d] = await Promise.all([
      page.waitForEvent('download', { timeout: 180_000 }),
      page.locator('.lil-gui button', { hasText: 'Save .worldsplat' }).click(),
    ]);
    const bundle = readBundle(new Uint8Array(readFileSync((await d.path())!)));
    assert.equal(bundle.frames.length, 1);
    assert.equal(bundle.frames[0].prompt, PROMPT);
    assert.equal(bundle.splats.count, await page.evaluate(() => window.__worldsplat!.splatCount()));
  });

  test('the seed in the prompt box picks the world: the same words and seed give the world Node makes', { timeout: 300_000 }, async () => {
    await page.locator('.lil-gui .lil-controller', { hasText: 'Seed' }).locator('input').fill('7');
    await page.locator('.lil-gui .lil-controller', { hasText: 'Seed' }).locator('input').press('Enter');
    const previous = (await page.evaluate(() => window.__worldsplat!.lastGeneration()))!.totalMs;
    await page.locator('.lil-gui button', { hasText: 'Make a world from the words' }).click();
    await page.waitForFunction((ms) => window.__worldsplat!.lastGeneration()?.totalMs !== ms || window.__worldsplat!.lastError() !== null, previous, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), null);
    const [d] = await Promise.all([
      page.waitForEvent('download', { timeout: 180_000 }),
      page.locator('.lil-gui button', { hasText: 'Save .worldsplat' }).click(),
    ]);
    const bundle = readBundle(new Uint8Array(readFileSync((await d.path())!)));
    assert.equal(bundle.frames[0].prompt, storedPrompt(PROMPT, 7));
    const node = generateFromText(PROMPT, { seed: 7 });
    const other = generateFromText(PROMPT, { seed: 1 });
    assert.equal(bundle.splats.count, node.splats.count);
    const differs = (a: Float32Array, b: Float32Array) => a.some((v, i) => Math.abs(v - b[i]) > 1e-5);
    assert.ok(!differs(bundle.splats.positions.subarray(0, 3 * node.splats.count), node.splats.positions.subarray(0, 3 * node.splats.count)), 'same positions as Node with seed 7');
    assert.ok(differs(node.splats.positions.subarray(0, 3 * node.splats.count), other.splats.positions.subarray(0, 3 * other.splats.count)), 'seed 1 is another world');
  });

  test('an empty prompt is one line and the world stays as it was', { timeout: 300_000 }, async () => {
    let expected = '';
    try {
      parsePrompt('   ');
    } catch (e) {
      expected = (e as Error).message;
    }
    assert.ok(expected);
    const count = await page.evaluate(() => window.__worldsplat!.splatCount());
    await onlineBox().uncheck();
    assert.equal(await page.locator('.online-licence').count(), 0, 'opted out: only the off line');
    await page.locator('.lil-gui .lil-string input').fill('   ');
    await page.locator('.lil-gui button', { hasText: 'Make a world from the words' }).click();
    await page.waitForFunction(() => window.__worldsplat!.lastError() !== null, null, { timeout: 120_000 });
    const shown = (await page.evaluate(() => window.__worldsplat!.lastError()))!;
    assert.ok(shown.endsWith(expected), shown);
    assert.ok(!shown.includes('\n'));
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), count);
  });
});
