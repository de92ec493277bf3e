import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { orientationFromTiff, uprightSize } from './exif-orientation.ts';
import { readPhotoHeader } from './photo-header.ts';
import { describeBytes, sniffPhotoFormat, workingSize } from './photo.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

test('header: EXIF orientation written by ExifTool is read back for all 8 values, both byte orders', () => {
  for (let n = 1; n <= 8; n++) {
    const { format, width, height, orientation, orientationTag } = readPhotoHeader(fixture(`orient-${n}.jpg`));
    assert.deepEqual({ format, width, height, orientation }, { format: 'jpeg', width: 48, height: 32, orientation: n }, `orient-${n}.jpg`);
    assert.equal(orientationTag?.littleEndian, n % 2 === 1, `orient-${n}.jpg byte order`);
  }
});

test('header: PNG eXIf and WebP EXIF chunks', () => {
  for (const [name, format] of [['orient-6.png', 'png'], ['orient-6.webp', 'webp']]) {
    const h = readPhotoHeader(fixture(name));
    assert.deepEqual([h.format, h.width, h.height, h.orientation], [format, 48, 32, 6], name);
  }
  const plain = readPhotoHeader(fixture('plain.png'));
  assert.deepEqual([plain.width, plain.height, plain.orientation, plain.orientationTag], [5, 3, 1, null]);
});

test('orientationFromTiff: hand-built TIFF blocks, and junk means 1', () => {
  // II, 42, IFD0 at 8, one entry: tag 0x0112 SHORT count 1 value 8.
  const le = Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0]);
  assert.equal(orientationFromTiff(le), 8);
  const be = Uint8Array.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0]);
  assert.equal(orientationFromTiff(be), 3);
  const outOfRange = Uint8Array.from(le); outOfRange[18] = 9;
  assert.equal(orientationFromTiff(outOfRange), 1);
  assert.equal(orientationFromTiff(le.subarray(0, 12)), 1); // IFD cut short
  assert.equal(orientationFromTiff(new TextEncoder().encode('not a tiff at all')), 1);
});

test('uprightSize swaps for 5..8 only', () => {
  assert.deepEqual(uprightSize(48, 32, 4), { width: 48, height: 32 });
  assert.deepEqual(uprightSize(48, 32, 5), { width: 32, height: 48 });
});

test('workingSize: long side capped, aspect kept, never enlarged', () => {
  assert.deepEqual(workingSize(12000, 9000), { width: 1024, height: 768 });
  assert.deepEqual(workingSize(9000, 12000), { width: 768, height: 1024 });
  assert.deepEqual(workingSize(640, 480), { width: 640, height: 480 });
  assert.deepEqual(workingSize(5000, 5000, 100), { width: 100, height: 100 });
  assert.deepEqual(workingSize(100000, 10, 1000), { width: 1000, height: 1 });
  assert.throws(() => workingSize(10, 10, 0), /expected maxLongSide as a positive integer, found 0/);
});

test('sniff and describe: the three formats, and what else was found', () => {
  assert.equal(sniffPhotoFormat(fixture('orient-1.jpg')), 'jpeg');
  assert.equal(sniffPhotoFormat(new TextEncoder().encode('GIF89a....')), null);
  assert.equal(describeBytes(new TextEncoder().encode('GIF89a....')), 'a GIF image');
  assert.equal(describeBytes(new TextEncoder().encode('%PDF-1.7\n...')), 'a PDF document');
  assert.equal(describeBytes(new TextEncoder().encode('hello world\nsecond line')), 'text starting "hello world"');
  assert.equal(describeBytes(new Uint8Array(0)), 'an empty file');
  assert.equal(describeBytes(Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 253, 254])), '9 bytes starting 00 01 02 03 fa fb fc fd');
});

test('readPhotoHeader: one-line errors for non-images and cut headers', () => {
  assert.throws(() => readPhotoHeader(new TextEncoder().encode('{"not": "an image"}')), /^Error: photo: expected a JPEG, PNG or WebP image, found text starting "\{\\"not\\": \\"an image\\"\}"$/);
  assert.throws(() => readPhotoHeader(fixture('orient-1.jpg').subarray(0, 30)), /photo: expected a JPEG, PNG or WebP image, found a damaged JPEG \(no image size/);
});
