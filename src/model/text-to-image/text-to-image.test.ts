/**
 * textToImage end to end, offline: the SD-Turbo-shaped fixture files (fixtures/make_text_to_image_fixtures.py)
 * are served by a local HTTP server and fetched with Node's real fetch through the shared download ->
 * verify -> cache path, then run with onnxruntime-web (WebAssembly). The fixture UNet cancels the noise
 * exactly, so the picture is known in closed form: it is recomputed here from the fixture's formulas and
 * the hand-worked token ids, independently of the pipeline code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MemoryModelCache, modelCacheKey } from '../cache.ts';
import type { FetchFn } from '../download.ts';
import { PRETRAINED_PIPELINES } from '../pretrained.ts';
import { comparePictures as compare, expectedFixturePicture as expectedPicture } from './fixture-truth.ts';
import { TextToImageUnavailable, releaseTextToImage, textToImage, textToImageAvailability } from './index.ts';
import { type TextToImagePipeline, parseTextToImagePipelines } from './spec.ts';

const DIR = fileURLToPath(new URL('../fixtures/text-to-image/', import.meta.url));
const FIXTURE: TextToImagePipeline = parseTextToImagePipelines(JSON.parse(readFileSync(join(DIR, 'pipeline.json'), 'utf8')).pipelines, 'fixture')[0];
const FIXTURE_FP16: TextToImagePipeline = parseTextToImagePipelines(JSON.parse(readFileSync(join(DIR, 'pipeline-fp16.json'), 'utf8')).pipelines, 'fixture')[0];
const NODE = { node: true, webgpu: false };

// --- a local server for the fixture files, able to serve a damaged file ------------------------------
let server: Server;
let origin = '';
const requests: string[] = [];
let damaged: string | null = null;

before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = (req.url ?? '').split('/').pop() ?? '';
    let body: Buffer;
    try {
      body = readFileSync(join(DIR, name));
    } catch {
      res.writeHead(404).end();
      return;
    }
    if (name === damaged) body[body.length >> 1] ^= 0x01;
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    // Several chunks, so progress is reported along the way.
    const step = Math.max(64, body.length >> 2);
    for (let i = 0; i < body.length; i += step) res.write(body.subarray(i, i + step));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await releaseTextToImage();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  await releaseTextToImage();
  damaged = null;
  requests.length = 0;
});

/** Node's fetch, with the fixture's made-up https host pointed at the local server. */
const localFetch: FetchFn = (url, init) => fetch(url.replace('https://models.example.invalid', origin), init);

// --- tests --------------------------------------------------------------------------------------------

test('SD-Turbo is listed as non-commercial, and refused while its files are not pinned (nothing fetched)', async () => {
  const sdTurbo = PRETRAINED_PIPELINES.find((p) => p.id === 'sd-turbo');
  assert.ok(sdTurbo);
  assert.equal(sdTurbo.licence.nonCommercial, true);
  const a = textToImageAvailability({ runtime: { node: false, webgpu: true } });
  assert.equal(a.available, false);
  assert.match(a.licenceNotice ?? '', /^SD-Turbo is under LicenseRef-StabilityAI-NonCommercial-Research-Community: non-commercial use only \(https:/);
  if (!a.available) assert.match(a.reason, /^sd-turbo tokenizer\/vocab.json has no pinned SHA-256 \(.*\); refusing to use it unverified \(and 4 more files\)$/);
  const calls: string[] = [];
  const fetchSpy: FetchFn = async (url) => {
    calls.push(url);
    throw new Error('no network in this test');
  };
  await assert.rejects(textToImage('a red cat', { runtime: { node: false, webgpu: true }, fetch: fetchSpy }), (error: Error) => {
    assert.ok(error instanceof TextToImageUnavailable);
    assert.match(error.message, /^unavailable: sd-turbo tokenizer\/vocab.json has no pinned SHA-256/);
    assert.ok(!error.message.includes('\n'));
    return true;
  });
  assert.deepEqual(calls, []);
});

test('where it may run: WebGPU in a browser; Node only with the explicit CPU opt-in; never a browser CPU', () => {
  const browserGpu = textToImageAvailability({ pipeline: FIXTURE, runtime: { node: false, webgpu: true } });
  assert.ok(browserGpu.available && browserGpu.provider === 'webgpu');
  assert.equal(browserGpu.available && browserGpu.downloadBytes, Object.values(FIXTURE.files).reduce((s, f) => s + (f.bytes ?? 0), 0));

  const browserCpu = textToImageAvailability({ pipeline: FIXTURE, runtime: { node: false, webgpu: false }, allowWasm: true });
  assert.ok(!browserCpu.available);
  assert.match(browserCpu.reason, /needs WebGPU, which this browser does not offer/);

  const nodeNoOptIn = textToImageAvailability({ pipeline: FIXTURE, runtime: NODE });
  assert.ok(!nodeNoOptIn.available);
  assert.match(nodeNoOptIn.reason, /needs WebGPU, which Node lacks; opt in to the CPU \(allowWasm/);

  const nodeOptIn = textToImageAvailability({ pipeline: FIXTURE, runtime: NODE, allowWasm: true });
  assert.ok(nodeOptIn.available && nodeOptIn.provider === 'wasm');
});

test('a prompt becomes the picture the fixture formulas predict; downloaded once with progress, then cached', async () => {
  const cache = new MemoryModelCache();
  const progress: number[] = [];
  const stages = new Set<string>();
  const image = await textToImage('A  red CAT', {
    pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache, seed: 5,
    onProgress: (f, stage) => {
      progress.push(f);
      stages.add(stage.split(' ')[0]);
    },
  });
  assert.equal(image.width, 512);
  assert.equal(image.height, 512);
  // "a red cat" -> begin, a</w> 320, red</w> 736, cat</w> 2368, end (clip-tokenizer.test.ts works these out).
  const { worst, clampedLow, clampedHigh } = compare(image.data, expectedPicture([49406, 320, 736, 2368, 49407]));
  assert.ok(worst <= 1, `largest difference ${worst} levels`);
  assert.ok(clampedLow > 1000 && clampedHigh > 1000, `both clamps exercised (${clampedLow} at 0, ${clampedHigh} at 255)`);

  assert.equal(requests.length, 5, 'each of the five files fetched once');
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only goes forward');
  assert.equal(progress.at(-1), 1);
  assert.ok(progress.filter((f) => f > 0 && f < 0.9).length >= 5, 'download progress along the way');
  assert.deepEqual([...stages].sort(), ['decode', 'denoise', 'done', 'download', 'encode', 'loaded', 'start']);
  for (const role of ['vocab', 'merges', 'textEncoder', 'unet', 'vaeDecoder'] as const) {
    assert.ok(cache.entries.has(modelCacheKey({ id: `sd-turbo-like.${role}`, sha256: FIXTURE.files[role].sha256! } as never)), `${role} cached`);
  }

  // The sessions stay loaded: another prompt fetches nothing and gets its own picture.
  const other = await textToImage('the mat!', { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache, seed: 6 });
  assert.equal(requests.length, 5);
  // the 83, h 71, e</w> 324, m 76, at</w> 780, !</w> 256
  assert.ok(compare(other.data, expectedPicture([49406, 83, 71, 324, 76, 780, 256, 49407])).worst <= 1);
  assert.notDeepEqual(other.data, image.data);

  // After a release, a new load comes from the cache alone.
  await releaseTextToImage();
  const again = await textToImage('A  red CAT', { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache, seed: 5 });
  assert.equal(requests.length, 5);
  assert.deepEqual(again.data, image.data);
});

test('an export with float16 inputs and outputs gives the same picture, within half-precision error', async () => {
  const image = await textToImage('A red cat', { pipeline: FIXTURE_FP16, runtime: NODE, allowWasm: true, fetch: localFetch, cache: new MemoryModelCache(), seed: 5 });
  const expected = expectedPicture([49406, 320, 736, 2368, 49407]);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) sum += Math.abs(image.data[i] - expected[i]);
  // The UNet sees the latent rounded to float16 (relative 2^-11) and its noise comes back rounded, and
  // x0 divides their difference by sqrt(abar) = 0.068 and the VAE factor 0.18215: measured 6 levels at
  // worst, 0.45 on average (float32: 1 at worst).
  const { worst } = compare(image.data, expected);
  assert.ok(worst <= 10 && sum / expected.length < 1, `largest difference ${worst}, mean ${sum / expected.length} levels`);
});

test('a checksum mismatch is one line, "unavailable: ...", and the damaged file is not cached', async () => {
  damaged = 'unet.onnx';
  const cache = new MemoryModelCache();
  await assert.rejects(textToImage('a red cat', { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache }), (error: Error) => {
    assert.ok(error instanceof TextToImageUnavailable, String(error));
    assert.match(error.message, /^unavailable: sd-turbo-like\.unet: expected SHA-256 [0-9a-f]{64}, found [0-9a-f]{64} in the download$/);
    return true;
  });
  assert.ok(!cache.entries.has(modelCacheKey({ id: 'sd-turbo-like.unet', sha256: FIXTURE.files.unet.sha256! } as never)));
  // The files before it were good and are kept for next time.
  assert.ok(cache.entries.has(modelCacheKey({ id: 'sd-turbo-like.textEncoder', sha256: FIXTURE.files.textEncoder.sha256! } as never)));

  // A damaged cached copy is dropped and downloaded again.
  damaged = null;
  cache.entries.set(modelCacheKey({ id: 'sd-turbo-like.vocab', sha256: FIXTURE.files.vocab.sha256! } as never), new Uint8Array([1, 2, 3]));
  const warnings: string[] = [];
  await textToImage(new Array(80).fill('a').join(' '), { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache, onWarning: (w) => warnings.push(w) });
  assert.deepEqual(warnings, [
    `sd-turbo-like.vocab: expected ${FIXTURE.files.vocab.bytes} bytes, found 3 in the cache; downloading it again`,
    'prompt: the text encoder reads 75 tokens; the last 5 were left out',
  ]);
});

test('offline: "unavailable: ... download failed (offline?)"; an abort is the abort, not unavailability', async () => {
  const offline: FetchFn = async () => {
    throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND models.example.invalid') });
  };
  await assert.rejects(textToImage('a red cat', { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: offline, cache: new MemoryModelCache() }), (error: Error) => {
    assert.ok(error instanceof TextToImageUnavailable);
    assert.equal(error.message, 'unavailable: sd-turbo-like.vocab: download failed (offline?): fetch failed (getaddrinfo ENOTFOUND models.example.invalid)');
    return true;
  });
  const controller = new AbortController();
  controller.abort(new Error('user cancelled'));
  await assert.rejects(
    textToImage('a red cat', { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache: new MemoryModelCache(), signal: controller.signal }),
    /^Error: user cancelled$/,
  );
});

test('bad input is a one-line error; an entry that disagrees with the ONNX file makes the model unavailable', async () => {
  const opts = { pipeline: FIXTURE, runtime: NODE, allowWasm: true, fetch: localFetch, cache: new MemoryModelCache() };
  await assert.rejects(textToImage('  ', opts), /^Error: prompt: expected some words, found an empty prompt$/);
  await assert.rejects(textToImage('x'.repeat(10_001), opts), /^Error: prompt: expected at most 10000 characters, found 10001$/);
  await assert.rejects(textToImage('a cat', { ...opts, seed: 1.5 }), /^Error: seed: expected an integer from 0 to 4294967295, found 1.5$/);

  const wrongType = structuredClone(FIXTURE);
  wrongType.files.unet.inputs.timestep.dtype = 'float32';
  await assert.rejects(textToImage('a cat', { ...opts, pipeline: wrongType }), /^TextToImageUnavailable: unavailable: sd-turbo-like unet: expected input 'timestep' to be float32 as the pipeline entry says, found int64 in the ONNX file$/);
  const wrongName = structuredClone(FIXTURE);
  wrongName.files.vaeDecoder.outputs.image.name = 'image';
  await assert.rejects(textToImage('a cat', { ...opts, pipeline: wrongName }), /^TextToImageUnavailable: unavailable: sd-turbo-like vaeDecoder: the pipeline entry names output 'image' but the ONNX file's outputs are 'sample'$/);
});
