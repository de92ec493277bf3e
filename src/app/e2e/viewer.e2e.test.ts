/**
 * The viewer in real headless Chromium (WebGL2 on SwiftShader), checked against independent truths:
 * the CPU reference rasterizer (src/render), the camera projection of src/core, and our own PLY
 * reader in Node. Worlds are small (a few hundred splats): SwiftShader is slow.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Pose, intrinsicsFromFov, projectCameraPoint } from '../../core/camera.ts';
import { randomCloud } from '../../core/random.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import { readPly } from '../../io/ply-reader.ts';
import { writePly } from '../../io/ply-writer.ts';
import { decodePng, encodeRgbaPng } from '../../io/png.ts';
import { readSplat } from '../../io/splat-format.ts';
import { renderSplats, toRgba8 } from '../../render/rasterizer.ts';
import type { PoseJson } from '../test-hook.ts';
import { type Harness, startHarness } from './harness.ts';
import { type Rgba8Image, canvasPixels, hideOverlays, meanAbsoluteError, openViewer, serveFile, setPose, settle } from './page-helpers.ts';

const W = 320, H = 240; // the harness viewport; device pixel ratio 1
const SHOTS = '/tmp/worldsplat-e2e'; // screenshots kept for a human to look at

let harness: Harness;
let page: Page;

before(async () => {
  harness = await startHarness();
  page = await harness.newPage();
});
after(async () => harness?.close());

const poseJson = (pose: Pose, fovDeg: number): PoseJson => ({ position: pose.position, rotation: pose.rotation, fovDeg });

async function openWorld(cloud: SplatCloud, name = 'world.ply'): Promise<Uint8Array> {
  const bytes = writePly(cloud);
  await serveFile(page, `/fixtures/${name}`, bytes);
  await openViewer(page, harness.baseUrl, `/?url=/fixtures/${name}`);
  return bytes;
}

function savePng(path: string, img: { width: number; height: number; data: ArrayLike<number> }): void {
  import('node:fs').then(({ mkdirSync, writeFileSync }) => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(path, encodeRgbaPng(img.width, img.height, Uint8Array.from(img.data)));
  });
}

/** A copy of `img` with a per-pixel change, to show what a wrong convention would cost in MAE. */
function variant(img: Rgba8Image, f: (x: number, y: number, c: number) => number): Rgba8Image {
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) for (let c = 0; c < 4; c++) data[4 * (y * img.width + x) + c] = f(x, y, c);
  return { ...img, data };
}

describe('viewer in headless Chromium', () => {
  test('a PLY opened with ?url= renders like the CPU reference from the same pose', async (t) => {
    // Varied splats (random rotations, anisotropic scales 1-10% of the box, all opacities, SH degree 3)
    // filling the middle of the view, on a coloured background so background handling counts too.
    const cloud = randomCloud(400, 11, 3, 1.5).transform({ translation: [0, 0, -4] });
    const bytes = await openWorld(cloud);
    const truth = readPly(bytes); // what the page was given, as our reader sees it
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), truth.count);

    const pose = Pose.lookAt([0.4, 0.5, 0.6], [0.1, 0, -4]);
    const fov = 50;
    await page.evaluate(() => window.__worldsplat!.setSetting('background', '#336699'));
    const show = await hideOverlays(page);
    await setPose(page, poseJson(pose, fov));
    const gpu = await canvasPixels(page, `${SHOTS}/reference-match-gpu.png`);
    await show();

    const background: [number, number, number] = [0x33 / 255, 0x66 / 255, 0x99 / 255];
    const cpu: Rgba8Image = { width: W, height: H, data: Uint8Array.from(toRgba8(renderSplats(truth, pose, intrinsicsFromFov(W, H, fov), { background }))) };
    savePng(`${SHOTS}/reference-match-cpu.png`, cpu);
    const mae = meanAbsoluteError(gpu, cpu);

    // Threshold 1 level (of 255). What may legitimately differ: Spark stores colour, opacity and
    // log-scale as float16 and SH with 8-bit mantissas, and draws each splat as a quad cut at 3 sigma
    // where the reference cuts its own way and caps alpha at 0.99; all of that moves colours by
    // fractions of a level (measured 0.26). Every convention error we could make costs far more:
    // the references below (mirrored, flipped, colour-encoded twice, no SH, turned by 1 degree)
    // are all at least 7 levels away, so the threshold sits well between the two.
    const THRESHOLD = 1;
    t.diagnostic(`GPU vs CPU reference: MAE ${mae.toFixed(3)} levels (threshold ${THRESHOLD})`);
    assert.ok(mae < THRESHOLD, `GPU vs CPU reference: mean absolute error ${mae.toFixed(3)} levels`);
    const wrong = {
      'mirrored left-right (handedness)': variant(cpu, (x, y, c) => cpu.data[4 * (y * W + W - 1 - x) + c]),
      'upside down (image v axis)': variant(cpu, (x, y, c) => cpu.data[4 * ((H - 1 - y) * W + x) + c]),
      'sRGB-encoded once more (colour space)': variant(cpu, (x, y, c) => (c === 3 ? 255 : Math.round(255 * Math.pow(cpu.data[4 * (y * W + x) + c] / 255, 1 / 2.2)))),
      'without view-dependent colour (SH)': { width: W, height: H, data: Uint8Array.from(toRgba8(renderSplats(truth, pose, intrinsicsFromFov(W, H, fov), { background, shDegree: 0 }))) },
      'camera turned by 1 degree (pose)': { width: W, height: H, data: Uint8Array.from(toRgba8(renderSplats(truth, Pose.lookAt([0.4, 0.5, 0.6], [0.1 + 0.0785, 0, -4]), intrinsicsFromFov(W, H, fov), { background }))) },
    };
    for (const [what, img] of Object.entries(wrong)) {
      const e = meanAbsoluteError(gpu, img);
      t.diagnostic(`GPU vs a reference ${what}: MAE ${e.toFixed(3)}`);
      assert.ok(e > 2 * THRESHOLD, `a reference ${what} should differ clearly from the GPU image, MAE ${e.toFixed(3)}`);
    }
  });

  test('holding W moves the camera forward; the splat shifts and grows as the projection predicts', async (t) => {
    // One round white Gaussian off-axis, on black: its image is a blob whose centroid and spread
    // are measurable. Spread = sqrt((f sigma / depth)^2 + 0.3 px^2 low-pass), centroid = projection.
    const cloud = SplatCloud.create(1);
    const centre: [number, number, number] = [0.35, 0.25, -5];
    cloud.positions.set(centre);
    cloud.scales.fill(0.12);
    cloud.colors.fill(1);
    cloud.opacities[0] = 0.9;
    await openWorld(cloud, 'one-splat.ply');
    await page.evaluate(() => window.__worldsplat!.setSetting('background', '#000000'));
    const hide = await hideOverlays(page);
    const fov = 50;
    await setPose(page, poseJson(Pose.identity(), fov));
    const before = blobStats(await canvasPixels(page, `${SHOTS}/move-before.png`));

    await page.keyboard.down('KeyW');
    await page.waitForTimeout(400);
    await page.keyboard.up('KeyW');
    await settle(page);
    const after = blobStats(await canvasPixels(page, `${SHOTS}/move-after.png`));
    await hide();

    const moved = await page.evaluate(() => window.__worldsplat!.getPose());
    assert.ok(moved.position[2] < -0.2, `W moved the camera down -Z, to z = ${moved.position[2]}`);
    assert.ok(Math.abs(moved.position[0]) < 1e-9 && Math.abs(moved.position[1]) < 1e-9, `and only along the view axis: ${moved.position}`);

    const k = intrinsicsFromFov(W, H, fov);
    const predicted = [Pose.identity(), new Pose(moved.position, moved.rotation)].map((pose) => {
      const p = projectCameraPoint(k, pose.worldToCamera(centre));
      return { ...p, sigma: Math.sqrt((k.fy * 0.12 / p.depth) ** 2 + 0.3) };
    });
    for (const [i, blob] of [before, after].entries()) {
      const p = predicted[i];
      const label = i === 0 ? 'before' : 'after';
      t.diagnostic(`${label}: depth ${p.depth.toFixed(3)} m, blob (${blob.u.toFixed(2)}, ${blob.v.toFixed(2)}) sigma ${blob.sigma.toFixed(3)} px; predicted (${p.u.toFixed(2)}, ${p.v.toFixed(2)}) sigma ${p.sigma.toFixed(3)} px`);
      assert.ok(Math.hypot(blob.u - p.u, blob.v - p.v) < 0.5, `${label}: blob centre (${blob.u.toFixed(2)}, ${blob.v.toFixed(2)}) vs projection (${p.u.toFixed(2)}, ${p.v.toFixed(2)})`);
      // Absolute spread: the blob is cut at 1/255 and 3 sigma and 8-bit dark edges round to zero,
      // which shrinks the measured spread by 2-3%.
      assert.ok(Math.abs(blob.sigma / p.sigma - 1) < 0.05, `${label}: blob spread ${blob.sigma.toFixed(2)} px vs predicted ${p.sigma.toFixed(2)} px`);
    }
    // The growth ratio cancels those biases (same splat, same cut): it must follow 1/depth closely.
    const grew = after.sigma / before.sigma, expected = predicted[1].sigma / predicted[0].sigma;
    assert.ok(Math.abs(grew / expected - 1) < 0.02, `the splat grew by ${grew.toFixed(4)}, the projection predicts ${expected.toFixed(4)}`);
  });

  test('Export .ply / .splat / .png download the shown world and view, as our readers see them', async () => {
    const cloud = randomCloud(150, 21, 3, 1).transform({ translation: [0, 0, -3] });
    const truth = readPly(await openWorld(cloud, 'to-export.ply'));
    const plyFile = await download(page, 'Export .ply');
    assert.equal(plyFile.name, 'world.ply');
    const exported = readPly(plyFile.bytes);
    assert.equal(exported.count, truth.count);
    assert.equal(exported.shDegree, truth.shDegree);
    // File encodings (log scale, logit opacity, SH DC) round-trip through float32 math: ~1e-6.
    for (const key of ['positions', 'scales', 'rotations', 'opacities', 'colors', 'sh'] as const) {
      const a = exported[key]!, b = truth[key]!;
      for (let i = 0; i < b.length; i++) {
        assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])), `${key}[${i}]: exported ${a[i]} vs shown ${b[i]}`);
      }
    }

    // .splat keeps float32 centres; the rest is 8-bit, so only positions are compared exactly.
    const splatFile = await download(page, 'Export .splat');
    assert.equal(splatFile.name, 'world.splat');
    const asSplat = readSplat(splatFile.bytes);
    assert.equal(asSplat.count, truth.count);
    const sortedRows = (c: SplatCloud) => Array.from({ length: c.count }, (_, i) => Array.from(c.positions.subarray(3 * i, 3 * i + 3)).join(',')).sort();
    assert.deepEqual(sortedRows(asSplat), sortedRows(truth), 'same centres (the .splat writer may reorder)');

    // The screenshot is the picture on the canvas.
    const show = await hideOverlays(page);
    const onCanvas = await canvasPixels(page);
    await show(); // the button must be visible to be clicked; the PNG holds the canvas only anyway
    const shot = await download(page, 'Screenshot .png');
    const png = decodePng(shot.bytes);
    const shotImage = { width: png.width, height: png.height, data: Uint8Array.from({ length: png.width * png.height * 4 }, (_, j) => (j % 4 === 3 ? 255 : png.data[png.channels * (j >> 2) + (j % 4)])) };
    assert.ok(meanAbsoluteError(onCanvas, shotImage) < 0.5, 'the PNG shows what the canvas shows');
  });

  test('a corrupt file shows its one-line error and leaves the shown world exactly as it was', async () => {
    const good = randomCloud(120, 31, 0, 1).transform({ translation: [0, 0, -3] });
    await openWorld(good, 'good.ply');
    const hide = await hideOverlays(page);
    const before = await canvasPixels(page);
    const bytes = writePly(randomCloud(100, 32, 0, 1));
    const corrupt = bytes.subarray(0, bytes.length - 100); // the header promises 100 splats, the body is short
    let expected = '';
    try {
      readPly(corrupt);
    } catch (e) {
      expected = (e as Error).message;
    }
    assert.ok(expected, 'our reader rejects the truncated file');

    await page.locator('input[type=file]').setInputFiles({ name: 'broken.ply', mimeType: 'application/octet-stream', buffer: Buffer.from(corrupt) });
    await page.waitForFunction(() => window.__worldsplat!.lastError() !== null);
    const shown = await page.evaluate(() => window.__worldsplat!.lastError());
    assert.equal(shown, `broken.ply: ${expected}`);
    assert.ok(!shown!.includes('\n'), 'one line');
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), good.count);
    await settle(page);
    const afterShot = await canvasPixels(page);
    assert.equal(meanAbsoluteError(afterShot, before), 0, 'the picture did not change');
    await hide();
    assert.ok(await page.locator('.status-line', { hasText: expected }).isVisible(), 'the error is on screen');
  });

  test('the camera pose survives a reload through the URL hash', async () => {
    await openWorld(randomCloud(50, 41, 0, 1), 'hash.ply');
    const pose = Pose.lookAt([1.25, 0.5, 2], [0, 0.2, -1]);
    await setPose(page, poseJson(pose, 65));
    await page.waitForFunction(() => location.hash.includes('cam='));
    await page.waitForTimeout(300); // the hash follows the camera at most every 250 ms
    const url = page.url();
    await openViewer(page, harness.baseUrl, url.slice(harness.baseUrl.length));
    const back = await page.evaluate(() => window.__worldsplat!.getPose());
    back.position.forEach((v, i) => assert.ok(Math.abs(v - pose.position[i]) < 1e-3, `position ${back.position} vs ${pose.position}`));
    const dot = Math.abs(back.rotation.reduce((s, v, i) => s + v * pose.rotation[i], 0));
    assert.ok(dot > Math.cos(0.01 * Math.PI / 180), `orientation within 0.01 degree (|q.q'| = ${dot})`);
    assert.equal(back.fovDeg, 65);
  });
});

/** Clicks a panel button and returns the file the browser downloads. */
async function download(page: Page, button: string): Promise<{ name: string; bytes: Uint8Array }> {
  // The export is built on the page's main thread, which a loaded machine slows by seconds; the
  // default 30 s wait for the download event has run out under load (the file itself is still checked).
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 180_000 }), page.locator('.lil-gui button', { hasText: button }).click()]);
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync((await d.path())!)) };
}

/** Brightness-weighted centroid and isotropic spread (px) of the image, pixel centres at +0.5. */
function blobStats(img: Rgba8Image): { u: number; v: number; sigma: number } {
  let sum = 0, su = 0, sv = 0;
  const weight = (i: number) => (img.data[4 * i] + img.data[4 * i + 1] + img.data[4 * i + 2]) / 765;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const w = weight(y * img.width + x);
    sum += w; su += w * (x + 0.5); sv += w * (y + 0.5);
  }
  const u = su / sum, v = sv / sum;
  let m2 = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const w = weight(y * img.width + x);
    m2 += w * ((x + 0.5 - u) ** 2 + (y + 0.5 - v) ** 2);
  }
  return { u, v, sigma: Math.sqrt(m2 / sum / 2) };
}
