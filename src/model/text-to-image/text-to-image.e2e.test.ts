/**
 * textToImage in a browser, on WebGPU: headless Chromium with its SwiftShader WebGPU adapter (no GPU
 * needed), the browser build of onnxruntime-web through Vite, the default Cache Storage model cache.
 * The SD-Turbo-shaped fixture files are fetched from the Vite server through the same download -> verify
 * -> cache path; the picture is checked against fixture-truth.ts (the fixture's formulas, recomputed).
 *
 * SwiftShader's adapter has no 'shader-f16', so the real fp16 SD-Turbo could not start there (checked:
 * an entry that asks for it is unavailable before any download); the fixture is float32 throughout,
 * which is what this checks: our sessions and int64/int32 inputs on onnxruntime-web's WebGPU backend,
 * and caching in Cache Storage.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { type BrowserContext, chromium } from 'playwright-core';
import { type ViteDevServer, createServer } from 'vite';
import { comparePictures, expectedFixturePicture } from './fixture-truth.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
let server: ViteDevServer;
let context: BrowserContext;
let profile: string;
let base = '';

before(async () => {
  server = await createServer({
    configFile: join(ROOT, 'vite.config.ts'),
    root: ROOT,
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  base = `http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), 'worldsplat-t2i-'));
  context = await chromium.launchPersistentContext(profile, {
    headless: false,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-vulkan-surface',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
});
after(async () => {
  await context?.close().catch(() => undefined);
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('WebGPU in a browser: the fixture picture, then the same picture again from Cache Storage with no download', { timeout: 300_000 }, async () => {
  const page = await context.newPage();
  // tsx (esbuild keepNames) wraps named functions in __name(...), which the page does not have.
  await page.addInitScript('globalThis.__name = (f) => f;');
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  // Any page of the Vite server's origin will do (a secure context: localhost).
  await page.goto(`${base}/src/model/fixtures/text-to-image/pipeline.json`);
  const result = await page.evaluate(async () => {
    const t2i = await import('/src/model/text-to-image/index.ts' as string);
    const spec = await import('/src/model/text-to-image/spec.ts' as string);
    const json = await (await fetch('/src/model/fixtures/text-to-image/pipeline.json')).json();
    const pipeline = spec.parseTextToImagePipelines(json.pipelines, 'fixture')[0];
    const fetched: string[] = [];
    const local = (url: string, init?: { signal?: AbortSignal }) => {
      fetched.push(url);
      return fetch(url.replace(/^https:\/\/models\.example\.invalid\/sd-turbo-like\/resolve\/[0-9a-f]{40}\//, '/src/model/fixtures/text-to-image/'), init);
    };
    const availability = t2i.textToImageAvailability({ pipeline });
    const toBase64 = (bytes: Uint8Array) => {
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    };
    // SwiftShader has no 'shader-f16': a model that needs it is unavailable before any download.
    let f16 = '';
    await t2i.textToImage('a red cat', { pipeline: { ...pipeline, webgpuFeatures: ['shader-f16'] }, fetch: local }).catch((e: Error) => {
      f16 = `${e.name}: ${e.message}`;
    });
    const fetchesAfterF16 = fetched.length;
    const started = performance.now();
    const first = await t2i.textToImage('A red cat', { pipeline, fetch: local, seed: 5 });
    const firstMs = performance.now() - started;
    const fetchesAfterFirst = fetched.length;
    await t2i.releaseTextToImage();
    const second = await t2i.textToImage('A red cat', { pipeline, fetch: local, seed: 5 });
    const cached = (await (await caches.open('worldsplat-models')).keys()).length;
    return {
      provider: availability.available ? availability.provider : availability.reason,
      f16,
      fetchesAfterF16,
      width: first.width,
      height: first.height,
      first: toBase64(first.data),
      same: toBase64(second.data) === toBase64(first.data),
      fetchesAfterFirst,
      fetchesAfterSecond: fetched.length,
      cached,
      firstMs,
    };
  });
  assert.equal(result.provider, 'webgpu');
  assert.equal(result.f16, "TextToImageUnavailable: unavailable: SD-Turbo-shaped fixture needs the WebGPU feature 'shader-f16', which this browser's WebGPU does not offer");
  assert.equal(result.fetchesAfterF16, 0);
  assert.equal(result.width, 512);
  assert.equal(result.height, 512);
  const { worst } = comparePictures(new Uint8Array(Buffer.from(result.first, 'base64')), expectedFixturePicture([49406, 320, 736, 2368, 49407]));
  assert.ok(worst <= 1, `largest difference ${worst} levels`);
  assert.equal(result.fetchesAfterFirst, 5, 'five files downloaded');
  assert.equal(result.fetchesAfterSecond, 5, 'the second load came from Cache Storage');
  assert.equal(result.cached, 5);
  assert.ok(result.same);
  console.log(`first picture on SwiftShader WebGPU, downloads and session starts included: ${result.firstMs.toFixed(0)} ms`);
});
