import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { test } from 'node:test';
import sharp from 'sharp';
import { orientPixels } from './exif-orientation.ts';
import { NodePhotoDecoder } from './node-decoder.ts';
import { readPhotoHeader, withStoredOrientation } from './photo-header.ts';
import type { DecodedPhoto } from './photo.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const decoder = new NodePhotoDecoder();

// The fixtures' stored picture (see fixtures/make-fixtures.sh): 48x32, 3x2 blocks of 16x16.
const STORED_W = 48, STORED_H = 32, BLOCK = 16;
const GRID = [
  [[255, 0, 0], [0, 255, 0], [0, 0, 255]],
  [[255, 255, 0], [255, 0, 255], [0, 255, 255]],
];

/**
 * Where upright pixel (x, y) comes from in the stored image, per the EXIF 2.32 table (tag 0x0112):
 * which stored row/column is the upright image's top/left. Written out here, independently of the code.
 */
function storedPixel(n: number, x: number, y: number): [number, number] {
  const w = STORED_W, h = STORED_H;
  switch (n) {
    case 1: return [x, y];                 // 0th row top, 0th column left
    case 2: return [w - 1 - x, y];         // 0th row top, 0th column right
    case 3: return [w - 1 - x, h - 1 - y]; // 0th row bottom, 0th column right
    case 4: return [x, h - 1 - y];         // 0th row bottom, 0th column left
    case 5: return [y, x];                 // 0th row left, 0th column top
    case 6: return [y, h - 1 - x];         // 0th row right, 0th column top
    case 7: return [w - 1 - y, h - 1 - x]; // 0th row right, 0th column bottom
    case 8: return [w - 1 - y, x];         // 0th row left, 0th column bottom
    default: throw new Error(`no orientation ${n}`);
  }
}

const pixel = (p: DecodedPhoto, x: number, y: number) => Array.from(p.data.subarray(3 * (y * p.width + x), 3 * (y * p.width + x) + 3));

function assertUpright(photo: DecodedPhoto, n: number, what: string): void {
  const swapped = n >= 5;
  assert.deepEqual([photo.width, photo.height], swapped ? [STORED_H, STORED_W] : [STORED_W, STORED_H], `${what}: size`);
  for (let y = BLOCK / 2; y < photo.height; y += BLOCK) {
    for (let x = BLOCK / 2; x < photo.width; x += BLOCK) {
      const [sx, sy] = storedPixel(n, x, y);
      const want = GRID[Math.floor(sy / BLOCK)][Math.floor(sx / BLOCK)];
      const got = pixel(photo, x, y);
      assert.ok(got.every((v, c) => Math.abs(v - want[c]) <= 24), `${what}: upright (${x}, ${y}) is ${got}, expected ${want}`);
    }
  }
}

test('node decoder: all 8 EXIF orientations come out upright (JPEG)', async () => {
  for (let n = 1; n <= 8; n++) assertUpright(await decoder.decode(fixture(`orient-${n}.jpg`)), n, `orient-${n}.jpg`);
});

test('node decoder: PNG (palette, eXIf) and WebP (lossless, EXIF) with orientation 6', async () => {
  assertUpright(await decoder.decode(fixture('orient-6.png')), 6, 'orient-6.png');
  assertUpright(await decoder.decode(fixture('orient-6.webp')), 6, 'orient-6.webp');
});

test('node decoder: maxLongSide bounds the upright long side', async () => {
  const p = await decoder.decode(fixture('orient-6.jpg'), { maxLongSide: 24 });
  assert.deepEqual([p.width, p.height], [16, 24]);
  assert.equal(p.data.length, 16 * 24 * 3);
});

test('node decoder: grey, 16-bit and transparent inputs become 8-bit RGB (transparent over white)', async () => {
  const grey = await sharp({ create: { width: 4, height: 2, channels: 3, background: { r: 90, g: 90, b: 90 } } }).greyscale().jpeg().toBuffer();
  const g = await decoder.decode(new Uint8Array(grey));
  assert.deepEqual([g.width, g.height, g.data.length], [4, 2, 24]);
  assert.ok(Math.abs(g.data[0] - 90) <= 2 && g.data[0] === g.data[1] && g.data[1] === g.data[2]);
  const sixteen = await sharp({ create: { width: 3, height: 3, channels: 3, background: { r: 0, g: 128, b: 255 } } }).toColourspace('rgb16').png().toBuffer();
  const s = await decoder.decode(new Uint8Array(sixteen));
  assert.deepEqual(pixel(s, 1, 1), [0, 128, 255]);
  const clear = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0 } } }).webp({ lossless: true }).toBuffer();
  assert.deepEqual(pixel(await decoder.decode(new Uint8Array(clear)), 0, 0), [255, 255, 255]);
});

test('node decoder: non-images and damaged files get one line that says what was expected and found', async () => {
  const oneLine = (re: RegExp) => (e: unknown) => e instanceof Error && !e.message.includes('\n') && re.test(e.message);
  await assert.rejects(decoder.decode(new TextEncoder().encode('name,x,y\n1,2,3\n')), oneLine(/^photo: expected a JPEG, PNG or WebP image, found text starting "name,x,y"$/));
  await assert.rejects(decoder.decode(new TextEncoder().encode('GIF89a\x01\x00\x01\x00')), oneLine(/found a GIF image$/));
  await assert.rejects(decoder.decode(new Uint8Array(0)), oneLine(/found an empty file$/));
  const jpeg = fixture('orient-1.jpg');
  await assert.rejects(decoder.decode(jpeg.subarray(0, jpeg.length - 120)), oneLine(/^photo: expected a JPEG, PNG or WebP image, found a damaged JPEG \(.+\)$/));
  const png = fixture('orient-6.png');
  const idat = Buffer.from(png).indexOf('IDAT');
  const flipped = Uint8Array.from(png); flipped[idat + 8] ^= 0xff; // the first byte of the compressed pixels
  await assert.rejects(decoder.decode(flipped), oneLine(/found a damaged PNG \(.+\)$/));
  await assert.rejects(decoder.decode(fixture('orient-6.webp').subarray(0, 60)), oneLine(/found a damaged WEBP \(.+\)$/));
});

test('node decoder: a CMYK JPEG comes out as the RGB it was made from', async () => {
  // a colour inside the CMYK gamut (libvips' fallback profile clips a saturated orange 200,60,30 to 201,49,0)
  const rgb = { r: 150, g: 120, b: 100 };
  const cmyk = await sharp({ create: { width: 8, height: 8, channels: 3, background: rgb } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer();
  assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
  const got = pixel(await decoder.decode(new Uint8Array(cmyk)), 4, 4);
  for (const [c, want] of [rgb.r, rgb.g, rgb.b].entries()) assert.ok(Math.abs(got[c] - want) <= 10, `${got} vs ${Object.values(rgb)}`);
});

test('node decoder: a PNG whose header claims 60000x60000 is refused as too big, in one line, without decoding it', async () => {
  const chunk = (type: string, body: Uint8Array) => {
    const b = Buffer.alloc(12 + body.length);
    b.writeUInt32BE(body.length, 0);
    b.write(type, 4, 'latin1');
    b.set(body, 8);
    b.writeUInt32BE(crc32(b.subarray(4, 8 + body.length)), 8 + body.length);
    return b;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60000, 0);
  ihdr.writeUInt32BE(60000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  // four rows of zeros: all it takes to claim 10.8 GB of pixels
  const bomb = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(4 * 180001))), chunk('IEND', new Uint8Array())]);
  const before = process.memoryUsage().rss;
  await assert.rejects(decoder.decode(new Uint8Array(bomb)), {
    message: 'photo: expected at most 268402689 pixels (16383x16383), found a 60000x60000 PNG (3600000000 pixels)',
  });
  assert.ok(process.memoryUsage().rss - before < 200e6);
});

test('node decoder: a 12000x9000 JPEG becomes 1024x768 without the full-size raster in memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'photo-'));
  try {
    const path = join(dir, 'huge.jpg');
    // A gradient (not one flat colour) so the decoder has real coefficients to work through.
    const tile = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 140, b: 220 } } })
      .composite([{ input: Buffer.from('<svg width="64" height="48"><circle cx="32" cy="24" r="20" fill="#e04020"/></svg>') }]).png().toBuffer();
    await sharp(tile).resize(12000, 9000, { kernel: 'nearest' }).jpeg({ quality: 85 }).toFile(path);
    // Decode in a child process and compare its peak RSS with one that only loads the same modules,
    // so this process's own allocations (the encode above) do not count.
    const script = (decode: boolean) => `
      import { readFileSync } from 'node:fs';
      import { NodePhotoDecoder } from ${JSON.stringify(new URL('./node-decoder.ts', import.meta.url).href)};
      const bytes = new Uint8Array(readFileSync(${JSON.stringify(path)}));
      const before = process.resourceUsage().maxRSS;
      const out = ${decode} ? await new NodePhotoDecoder().decode(bytes) : { width: 0, height: 0, data: [] };
      console.log(JSON.stringify({ width: out.width, height: out.height, centre: Array.from(out.data.slice?.(3 * (384 * 1024 + 512), 3 * (384 * 1024 + 512) + 3) ?? []), rss: process.resourceUsage().maxRSS }));`;
    const run = (decode: boolean) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(decode)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    };
    const base = run(false);
    const out = run(true);
    assert.deepEqual([out.width, out.height], [1024, 768]);
    assert.ok(out.centre[0] > 180 && out.centre[2] < 90, `centre of the circle is ${out.centre}`);
    const deltaMb = (out.rss - base.rss) / 1024;
    console.log(`12000x9000 JPEG -> 1024x768: peak RSS delta ${deltaMb.toFixed(0)} MB (the full-size RGB raster would be 324 MB)`);
    assert.ok(deltaMb < 120, `decoding took ${deltaMb.toFixed(0)} MB more peak RSS than loading the modules`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('withStoredOrientation + orientPixels (the browser path) give what libvips gives, for every fixture', async () => {
  const names = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `orient-${n}.jpg`).concat('orient-6.png', 'orient-6.webp');
  for (const name of names) {
    const bytes = fixture(name);
    const header = readPhotoHeader(bytes);
    const neutral = withStoredOrientation(bytes, header);
    assert.equal(readPhotoHeader(neutral).orientation, 1, `${name}: rewritten tag`);
    const stored = await decoder.decode(neutral); // libvips now leaves the pixels as stored (PNG CRC must be right)
    assert.deepEqual([stored.width, stored.height], [STORED_W, STORED_H]);
    assertUpright({ ...stored, ...orientPixels(stored.data, stored.width, stored.height, header.orientation) }, header.orientation, `${name} turned by orientPixels`);
  }
});
