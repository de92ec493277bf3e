/**
 * Photos become worlds in the viewer (headless Chromium, SwiftShader WebGL, the generator worker with
 * onnxruntime-web on WebAssembly): a dropped photo gives one splat per pixel, seen from the photo's
 * pose it looks like the photo, and a damaged photo changes nothing but the status line.
 * Truths: the photo's own size (lift makes one splat per pixel) and its own pixels, independent of the
 * viewer; the CPU reference render of the same photo generated in Node; our bundle reader in Node;
 * the error lines come from the shared readers run here in Node.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { encodeRgbaPng } from '../../io/png.ts';
import { readPhotoHeader } from '../../io/photo/photo-header.ts';
import { readBundle } from '../../io/bundle/bundle-reader.ts';
import { NodePhotoDecoder } from '../../io/photo/node-decoder.ts';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { BUILTIN_MODEL_ID } from '../../model/index.ts';
import { loadManifest, openModel } from '../../cli/models.ts';
import { renderSplats, toRgba8 } from '../../render/rasterizer.ts';
import { generateFromPhoto } from '../../world/generate.ts';
import { type Harness, REPO_ROOT, startHarness } from './harness.ts';
import { type Rgba8Image, canvasPixels, hideOverlays, meanAbsoluteError, openViewer, settle } from './page-helpers.ts';

const W = 320, H = 240; // the harness viewport
const PW = 160, PH = 120; // the test photo: same aspect as the viewport, small for SwiftShader
const SHOTS = '/tmp/worldsplat-e2e';

let harness: Harness;
let page: Page;
let photo: Uint8Array; // PNG, PW x PH
let truth: Rgba8Image; // the photo at the viewport's size

before(async () => {
  harness = await startHarness();
  page = await harness.newPage();
  // The sample photo (16:10), its middle 4:3 cut out and shrunk; PNG so that both sides see the same pixels.
  const sample = sharp(readFileSync(`${REPO_ROOT}/public/sample-photo.jpg`));
  const cut = sample.extract({ left: 85, top: 0, width: 854, height: 640 }).resize(PW, PH, { fit: 'fill', kernel: 'lanczos3' });
  photo = new Uint8Array(await cut.png().toBuffer());
  const big = await sharp(photo).resize(W, H, { fit: 'fill', kernel: 'cubic' }).ensureAlpha().raw().toBuffer();
  truth = { width: W, height: H, data: new Uint8Array(big) };
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/photo-truth.png`, encodeRgbaPng(W, H, truth.data));
});
after(async () => harness?.close());

/** Drops a file on the viewer the way a user's drag and drop arrives (a drop event with a DataTransfer). */
async function dropFile(name: string, bytes: Uint8Array, type: string): Promise<void> {
  await page.evaluate(([name, data, type]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(data as number[])], name as string, { type: type as string }));
    const target = document.getElementById('viewer')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, Array.from(bytes), type] as const);
}

function psnr(a: Rgba8Image, b: Rgba8Image): number {
  let se = 0;
  for (let i = 0; i < a.width * a.height; i++) for (let c = 0; c < 3; c++) se += (a.data[4 * i + c] - b.data[4 * i + c]) ** 2;
  return 10 * Math.log10((255 * 255) / (se / (a.width * a.height * 3)));
}

/** Colour and coverage of the splats from the same view drawn on black and on white. */
function unpremultiply(onBlack: Rgba8Image, onWhite: Rgba8Image): { colour: Rgba8Image; coverage: number } {
  const data = new Uint8Array(onBlack.data.length);
  let covered = 0;
  for (let i = 0; i < onBlack.width * onBlack.height; i++) {
    let diff = 0;
    for (let c = 0; c < 3; c++) diff += onWhite.data[4 * i + c] - onBlack.data[4 * i + c];
    const alpha = 1 - diff / 765;
    if (alpha >= 0.3) covered++;
    for (let c = 0; c < 3; c++) data[4 * i + c] = alpha > 0.02 ? Math.min(255, Math.round(onBlack.data[4 * i + c] / alpha)) : 0;
    data[4 * i + 3] = 255;
  }
  return { colour: { width: onBlack.width, height: onBlack.height, data }, coverage: covered / (onBlack.width * onBlack.height) };
}

function transformed(img: Rgba8Image, f: (x: number, y: number) => [number, number]): Rgba8Image {
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const [sx, sy] = f(x, y);
    const cx = Math.max(0, Math.min(img.width - 1, sx)), cy = Math.max(0, Math.min(img.height - 1, sy));
    for (let c = 0; c < 4; c++) data[4 * (y * img.width + x) + c] = img.data[4 * (cy * img.width + cx) + c];
  }
  return { ...img, data };
}

describe('photo to world in the viewer', () => {
  test('a dropped photo becomes a world around the camera that, from the photo pose, looks like the photo', { timeout: 600_000 }, async (t) => {
    await openViewer(page, harness.baseUrl, '/?sample=none');
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), 0);
    await dropFile('boats.png', photo, 'image/png');
    await page.waitForFunction(() => window.__worldsplat!.lastGeneration() !== null || window.__worldsplat!.lastError() !== null, null, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), null);
    const gen = (await page.evaluate(() => window.__worldsplat!.lastGeneration()))!;
    t.diagnostic(`generated ${gen.splats} splats from ${gen.width}x${gen.height} in ${gen.totalMs.toFixed(0)} ms (worker: ${JSON.stringify(Object.fromEntries(Object.entries(gen.timings).map(([k, v]) => [k, Math.round(v)])))})`);
    // lift makes exactly one splat per pixel of the (unshrunk, <= 1024 px) photo.
    assert.deepEqual([gen.width, gen.height], [PW, PH]);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), PW * PH);

    // The camera stands at the photo's pose: the origin, looking down -Z, with the photo's field of view.
    const pose = await page.evaluate(() => window.__worldsplat!.getPose());
    assert.deepEqual(pose.position, [0, 0, 0]);
    const [w, x, y, z] = pose.rotation;
    assert.ok(Math.abs(Math.abs(w) - 1) < 1e-9 && Math.abs(x) + Math.abs(y) + Math.abs(z) < 1e-9, `identity rotation, found ${pose.rotation}`);
    assert.equal(pose.fovDeg, gen.fovDeg);
    assert.equal(gen.fovDeg, 60);

    // The built-in model is unsure of much of this photo, and lift fades unsure splats (their opacity
    // follows the model's confidence), so on black the world looks darker than the photo. Drawing it
    // on black and on white separates the two: on black C_b = colour * alpha, on white
    // C_w = C_b + (1 - alpha); so alpha = 1 - (C_w - C_b) and the colour the splats show is C_b / alpha.
    const show = await hideOverlays(page);
    await settle(page);
    const onBlack = await canvasPixels(page, `${SHOTS}/photo-world.png`);
    await page.evaluate(() => window.__worldsplat!.setSetting('background', '#ffffff'));
    await settle(page);
    const onWhite = await canvasPixels(page, `${SHOTS}/photo-world-on-white.png`);
    await page.evaluate(() => window.__worldsplat!.setSetting('background', '#000000'));
    await settle(page);
    await show();
    const { colour, coverage } = unpremultiply(onBlack, onWhite);
    writeFileSync(`${SHOTS}/photo-world-colour.png`, encodeRgbaPng(W, H, colour.data));
    const score = psnr(colour, truth);
    // Measured 27.7 dB with the generator of 04:40 UTC (semi-transparent splats) and 23.5 dB with that
    // of 05:20 (opaque splats, softer): the figure belongs to the generator. Near misses: the photo
    // shifted by 2 of its pixels scored 21.4 / 20.5 dB, shifted down 17 / 16 dB, mirrored 13.5 dB. So:
    // above 21 dB, and at least 2 dB better than any near miss.
    const FLOOR = 21, MARGIN = 2;
    t.diagnostic(`alpha >= 0.3 on ${(100 * coverage).toFixed(1)}% of the view; as drawn on black: PSNR ${psnr(onBlack, truth).toFixed(2)} dB vs the photo`);
    t.diagnostic(`splat colour vs photo: PSNR ${score.toFixed(2)} dB (floor ${FLOOR}, margin ${MARGIN} over near misses)`);
    const wrong = {
      'shifted 2 photo pixels right': transformed(truth, (x, y) => [x - 4, y]),
      'shifted 2 photo pixels down': transformed(truth, (x, y) => [x, y - 4]),
      'mirrored': transformed(truth, (x, y) => [W - 1 - x, y]),
    };
    for (const [what, img] of Object.entries(wrong)) {
      const s = psnr(colour, img);
      t.diagnostic(`splat colour vs the photo ${what}: PSNR ${s.toFixed(2)} dB`);
      assert.ok(score > s + MARGIN, `the photo itself should beat the photo ${what} by ${MARGIN} dB: ${score.toFixed(2)} vs ${s.toFixed(2)}`);
    }
    assert.ok(coverage > 0.95, `the world should cover the photo's view, found ${(100 * coverage).toFixed(1)}%`);
    assert.ok(score > FLOOR, `the view from the photo's pose should show the photo: PSNR ${score.toFixed(2)} dB`);

    // The viewer against an independent renderer: the same photo through the same pipeline in Node
    // (sharp decodes the same PNG pixels, the same model on onnxruntime's WebAssembly), drawn by the
    // CPU reference rasterizer from the same pose. Measured 49-52 dB: the viewer shows the generated
    // world exactly (float16 on the GPU). A 1-degree turn of the reference falls far below 35 dB.
    const model = await openModel(BUILTIN_MODEL_ID, await loadManifest(), () => undefined);
    try {
      const view = await generateFromPhoto(await new NodePhotoDecoder().decode(photo), model, { verticalFovDegrees: 60 });
      const k = intrinsicsFromFov(W, H, 60);
      const cpu = (pose: Pose): Rgba8Image => ({ width: W, height: H, data: Uint8Array.from(toRgba8(renderSplats(view.splats, pose, k, { background: [0, 0, 0] }))) });
      const reference = cpu(Pose.identity());
      writeFileSync(`${SHOTS}/photo-world-cpu.png`, encodeRgbaPng(W, H, reference.data));
      const match = psnr(onBlack, reference), turned = psnr(onBlack, cpu(Pose.lookAt([0, 0, 0], [Math.tan(Math.PI / 180), 0, -1])));
      t.diagnostic(`GPU vs CPU reference of the same world: PSNR ${match.toFixed(2)} dB; vs the reference turned 1 degree: ${turned.toFixed(2)} dB`);
      assert.ok(turned < 35, `a turned reference should differ, found ${turned.toFixed(2)} dB`);
      assert.ok(match > 35, `the viewer should draw the generated world as the reference renderer does: ${match.toFixed(2)} dB`);
    } finally {
      await model.release();
    }
  });

  test('a damaged photo shows its one-line error and leaves the world exactly as it was', { timeout: 300_000 }, async () => {
    // Continues from the world made above.
    const count = await page.evaluate(() => window.__worldsplat!.splatCount());
    assert.equal(count, PW * PH, 'the world of the previous test is shown');
    const hide = await hideOverlays(page);
    await settle(page);
    const before = await canvasPixels(page);

    // A JPEG whose header ends before it says how big the picture is.
    const damaged = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
    let expected = '';
    try {
      readPhotoHeader(damaged);
    } catch (e) {
      expected = (e as Error).message;
    }
    assert.match(expected, /^photo: expected a JPEG, PNG or WebP image, found a damaged JPEG/);
    await page.locator('input[type=file]').setInputFiles({ name: 'damaged.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(damaged) });
    await page.waitForFunction(() => window.__worldsplat!.lastError() !== null, null, { timeout: 120_000 });
    const shown = await page.evaluate(() => window.__worldsplat!.lastError());
    assert.equal(shown, `damaged.jpg: ${expected}`);
    assert.ok(!shown!.includes('\n'), 'one line');

    // Text that claims to be a PNG: the decoder says what it really is.
    await dropFile('notes.png', new TextEncoder().encode('these are my notes, not a picture'), 'image/png');
    await page.waitForFunction(() => window.__worldsplat!.lastError()?.startsWith('notes.png') ?? false, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), 'notes.png: photo: expected a JPEG, PNG or WebP image, found text starting "these are my notes, not a pictur"...');

    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), count);
    await settle(page);
    assert.equal(meanAbsoluteError(await canvasPixels(page), before), 0, 'the picture did not change');
    await hide();
    assert.ok(await page.locator('.status-line', { hasText: 'notes.png: photo: expected' }).isVisible(), 'the error is on screen');
  });

  test('Save .worldsplat keeps the photo world and its view; opening the file brings both back', { timeout: 300_000 }, async () => {
    // Continues from the photo world above.
    const [d] = await Promise.all([
      page.waitForEvent('download', { timeout: 180_000 }),
      page.locator('.lil-gui button', { hasText: 'Save .worldsplat' }).click(),
    ]);
    assert.equal(d.suggestedFilename(), 'world.worldsplat');
    const bytes = new Uint8Array(readFileSync((await d.path())!));
    const bundle = readBundle(bytes); // our reader, in Node
    assert.equal(bundle.splats.count, PW * PH);
    assert.equal(bundle.frames.length, 1, 'the photo view is the world\'s first posed frame');
    const frame = bundle.frames[0];
    assert.deepEqual([frame.splatStart, frame.splatCount], [0, PW * PH]);
    assert.deepEqual([...frame.pose.position], [0, 0, 0]);
    assert.ok(Math.abs(frame.intrinsics.fy - (PH / 2) / Math.tan(Math.PI / 6)) < 1e-6, `fy for a 60 degree vertical FoV over ${PH} px, found ${frame.intrinsics.fy}`);

    // Somewhere else first, then open the saved file: the camera goes back to the frame's pose.
    await page.evaluate(() => window.__worldsplat!.setPose({ position: [1, 2, 3], rotation: [1, 0, 0, 0], fovDeg: 40 }));
    await page.locator('input[type=file]').setInputFiles({ name: 'saved.worldsplat', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
    await page.waitForFunction(() => window.__worldsplat!.getPose().fovDeg === 60, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), null);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), PW * PH);
    const pose = await page.evaluate(() => window.__worldsplat!.getPose());
    assert.deepEqual(pose.position, [0, 0, 0]);

    // A damaged bundle (one byte flipped: the checksum no longer matches) changes nothing.
    const damaged = bytes.slice();
    damaged[damaged.length >> 1] ^= 0xff;
    let expected = '';
    try {
      readBundle(damaged);
    } catch (e) {
      expected = (e as Error).message;
    }
    assert.ok(expected, 'our reader rejects it');
    await page.locator('input[type=file]').setInputFiles({ name: 'damaged.worldsplat', mimeType: 'application/octet-stream', buffer: Buffer.from(damaged) });
    await page.waitForFunction(() => window.__worldsplat!.lastError() !== null, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), `damaged.worldsplat: ${expected}`);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), PW * PH);
  });

  test('a world opened from a file grows too, its depth filled by the completion model', { timeout: 300_000 }, async (t) => {
    // Continues from the bundle reopened above: the worker was handed a copy of it to grow.
    const before = await page.evaluate(() => window.__worldsplat!.splatCount());
    const yaw = (70 * Math.PI) / 180;
    await page.evaluate((q) => window.__worldsplat!.setPose({ position: [0, 0, 0], rotation: q, fovDeg: 60 }), [Math.cos(yaw / 2), 0, Math.sin(yaw / 2), 0] as [number, number, number, number]);
    const added = await page.evaluate(() => window.__worldsplat!.fillView());
    const last = (await page.evaluate(() => window.__worldsplat!.grown())).at(-1)!;
    t.diagnostic(`grew ${added} splats with the '${last.completer}' completer (unknown before ${(100 * last.unknownFraction).toFixed(1)}%)`);
    assert.ok(added > 0);
    assert.equal(last.completer, 'inpaint+detail+model'); // the textured inpainter's colour, the model's depth (SplitCompleter)
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), before + added);
    const show = await hideOverlays(page);
    await settle(page);
    await canvasPixels(page, `${SHOTS}/photo-world-grown.png`);
    await show();
  });

  test('words become a world (built-in procedural text generator, in the worker)', { timeout: 600_000 }, async (t) => {
    await page.locator('.lil-gui .lil-string input').fill('a forest clearing with rocks');
    await page.locator('.lil-gui button', { hasText: 'Make a world from the words' }).click();
    await page.waitForFunction(() => window.__worldsplat!.lastGeneration()?.width === 512 || window.__worldsplat!.lastError() !== null, null, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), null);
    const gen = (await page.evaluate(() => window.__worldsplat!.lastGeneration()))!;
    t.diagnostic(`text world: ${gen.splats} splats from a ${gen.width}x${gen.height} first view in ${gen.totalMs.toFixed(0)} ms`);
    // One splat per pixel of the first view, minus nothing (text-world.ts lifts the whole view).
    assert.equal(gen.splats, 512 * 384);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), gen.splats);
    assert.deepEqual((await page.evaluate(() => window.__worldsplat!.getPose())).position, [0, 0, 0]);
  });

  test('the world grows where the camera turns and sees nothing, in the worker', { timeout: 600_000 }, async (t) => {
    // Continues from the text world: turn 100 degrees to the left, where the first view saw nothing.
    const before = await page.evaluate(() => window.__worldsplat!.splatCount());
    const yaw = (100 * Math.PI) / 180;
    await page.evaluate((q) => window.__worldsplat!.setPose({ position: [0, 0, 0], rotation: q, fovDeg: 60 }), [Math.cos(yaw / 2), 0, Math.sin(yaw / 2), 0] as [number, number, number, number]);
    await settle(page);
    // The main thread's animation-frame gaps and long tasks meanwhile: the worker does the work, the page
    // only receives the new splats and hands them to the renderer (a new chunk; nothing is rebuilt).
    // SwiftShader draws a frame of this 200k-splat world in seconds, so drawn-frame intervals say
    // nothing here; a stall of the main thread is what a user would feel.
    const result = await page.evaluate(async () => {
      const h = window.__worldsplat!;
      // A 5 ms timer loop: each gap beyond 5 ms is the main thread busy with something else (animation
      // frames are no probe here: SwiftShader holds them back while it draws).
      const gaps: Array<[number, number]> = [];
      let last = performance.now(), on = true;
      const tick = () => { const now = performance.now(); gaps.push([now, now - last - 5]); last = now; if (on) setTimeout(tick, 5); };
      setTimeout(tick, 5);
      const tasks: Array<[number, number]> = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push([e.startTime, e.duration])));
      observer.observe({ type: 'longtask' });
      await new Promise((r) => setTimeout(r, 1500));
      const t0 = performance.now();
      const added = await h.fillView();
      const t1 = performance.now();
      await new Promise((r) => setTimeout(r, 1000)); // the frame that uploads the new chunk
      on = false;
      observer.disconnect();
      const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
      const during = (list: Array<[number, number]>, from: number, to: number) => list.filter(([t]) => t > from && t <= to).map(([, d]) => d);
      return {
        added, ms: t1 - t0,
        baseRafMax: max(during(gaps, 0, t0)), rafMax: max(during(gaps, t0, t1 + 1000)),
        baseTaskMax: max(during(tasks, 0, t0)), taskMax: max(during(tasks, t0, t1 + 1000)),
        grown: h.grown(),
      };
    });
    const last = result.grown[result.grown.length - 1];
    t.diagnostic(`grew ${result.added} splats in ${result.ms.toFixed(0)} ms (${last?.completer}, unknown before ${((last?.unknownFraction ?? 0) * 100).toFixed(1)}%, worker ${JSON.stringify(Object.fromEntries(Object.entries(last?.timings ?? {}).map(([k, v]) => [k, Math.round(v)])))})`);
    t.diagnostic(`main thread: longest stall ${result.baseRafMax.toFixed(0)} ms before, ${result.rafMax.toFixed(0)} ms while growing (until 1 s after; the hand-over of the new chunk took ${last.appendMs.toFixed(0)} ms); longest task ${result.baseTaskMax.toFixed(0)} ms before, ${result.taskMax.toFixed(0)} ms while growing`);
    assert.ok(result.added > 0, 'splats were added');
    assert.equal(last.completer, 'procedural', 'a world from words is completed from its own scene');
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), before + result.added);
  });

  test('with "Grow as I look around" on, the world grows by itself once the camera rests', { timeout: 300_000 }, async () => {
    const grownBefore = (await page.evaluate(() => window.__worldsplat!.grown())).length;
    const before = await page.evaluate(() => window.__worldsplat!.splatCount());
    await page.evaluate(() => window.__worldsplat!.setSetting('grow', true));
    const yaw = (-100 * Math.PI) / 180; // the other side, still unseen
    await page.evaluate((q) => window.__worldsplat!.setPose({ position: [0, 0, 0], rotation: q, fovDeg: 60 }), [Math.cos(yaw / 2), 0, Math.sin(yaw / 2), 0] as [number, number, number, number]);
    await page.waitForFunction((n) => window.__worldsplat!.grown().length > n, grownBefore, { timeout: 240_000 });
    await page.evaluate(() => window.__worldsplat!.setSetting('grow', false));
    const added = (await page.evaluate(() => window.__worldsplat!.grown())).slice(grownBefore).reduce((n, g) => n + g.added, 0);
    assert.ok(added > 0);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), before + added);
  });

  test('with a photo on its way (?photo=), the worker opens the depth model before the photo has arrived', { timeout: 600_000 }, async () => {
    // The photo's response is held until the worker asks for the model file (or a minute has passed):
    // only a worker that opens the model early asks while the photo is still loading.
    let modelAsked!: () => void;
    const asked = new Promise<void>((resolve) => (modelAsked = resolve));
    const onRequest = (r: { url(): string }) => {
      if (/worldsplat-depth[^/]*\.onnx/.test(new URL(r.url()).pathname)) modelAsked();
    };
    harness.context.on('request', onRequest);
    let askedFirst = false;
    const held = await harness.newPage();
    try {
      await held.route((url) => url.pathname === '/held-photo.png', async (route) => {
        askedFirst = await Promise.race([asked.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 60_000))]);
        await route.fulfill({ status: 200, body: Buffer.from(photo), headers: { 'content-type': 'image/png' } });
      });
      await held.goto(harness.baseUrl + '/?photo=/held-photo.png');
      await held.waitForFunction(() => window.__worldsplat !== undefined);
      await held.evaluate(() => window.__worldsplat!.ready);
      assert.equal(await held.evaluate(() => window.__worldsplat!.lastError()), null);
      assert.equal(askedFirst, true, 'expected the worker to ask for the depth model while the photo was held back');
    } finally {
      harness.context.off('request', onRequest);
      await held.close();
    }
  });

  test('the viewer opens on a world made from the shipped sample photo, on the onnxruntime build that suits the browser', { timeout: 600_000 }, async (t) => {
    // The worker's fetches (context-wide: a worker's requests are not the page's) say which WebAssembly ran the model.
    const wasm: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const file = new URL(r.url()).pathname.split('/').pop()!;
      if (file.endsWith('.wasm')) wasm.push(file);
    };
    harness.context.on('request', onRequest);
    await page.goto(harness.baseUrl + '/');
    await page.waitForFunction(() => window.__worldsplat !== undefined);
    await page.evaluate(() => window.__worldsplat!.ready);
    harness.context.off('request', onRequest);
    assert.equal(await page.evaluate(() => window.__worldsplat!.lastError()), null);
    // Without a WebGPU adapter (SwiftShader here) the model runs on onnxruntime-web's build without
    // WebGPU: its 14 MB ort-wasm-simd-threaded.wasm, never the 28 MB .jsep.wasm (src/model/session.ts).
    const adapter = await page.evaluate(async () => ((navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu ? (await (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter()) != null : false));
    const jsep = wasm.filter((f) => f.includes('jsep'));
    t.diagnostic(`WebGPU adapter: ${adapter}; WebAssembly fetched: ${[...new Set(wasm)].join(', ')}`);
    if (adapter) assert.ok(jsep.length > 0, `expected the WebGPU build's .jsep.wasm, found ${wasm.join(', ')}`);
    else assert.deepEqual([jsep.length, wasm.some((f) => /^ort-wasm-simd-threaded[\w.-]*\.wasm$/.test(f))], [0, true], `expected only the build without WebGPU, found ${wasm.join(', ')}`);
    const gen = (await page.evaluate(() => window.__worldsplat!.lastGeneration()))!;
    const meta = await sharp(readFileSync(`${REPO_ROOT}/public/sample-photo.jpg`)).metadata();
    t.diagnostic(`sample world: ${gen.splats} splats from ${gen.width}x${gen.height} in ${gen.totalMs.toFixed(0)} ms`);
    assert.deepEqual([gen.width, gen.height], [meta.width, meta.height]);
    assert.equal(await page.evaluate(() => window.__worldsplat!.splatCount()), meta.width! * meta.height!);
    await page.goto('about:blank'); // do not wait for SwiftShader to draw 655k splats
  });
});
