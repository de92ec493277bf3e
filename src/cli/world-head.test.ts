import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notAWorld, shownBytes } from './world-head.ts';

const bytes = (...b: (number | string)[]) => new Uint8Array(b.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF');
const PNG = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'IHDR');

test('a photo or a known document named as a world is named as what it is', () => {
  assert.equal(notAWorld('a.ply', JPEG, 1000, 'ply')?.message, 'a.ply: expected a world file (.ply, .splat or .worldsplat), found a JPEG photo (worldsplat generate makes a world from a photo)');
  assert.match(notAWorld('a.worldsplat', PNG, 1000, 'bundle')?.message ?? '', /found a PNG photo/);
  assert.match(notAWorld('a.splat', PNG, 1024, 'splat')?.message ?? '', /found a PNG photo/, 'an 8-byte magic, even where the size could be splats');
  assert.match(notAWorld('a.ply', bytes('GIF89a', 0, 0), 100, 'ply')?.message ?? '', /found a GIF image$/);
});

test('a .splat of whole records is not refused for a short magic its first float may start with', () => {
  // ff d8 ff is the low three bytes of a float (x = -1.88e38 here); 'BM' the low two of another
  assert.equal(notAWorld('a.splat', JPEG, 64, 'splat'), undefined);
  assert.equal(notAWorld('a.splat', bytes('BM', 1, 2, 3, 4), 64, 'splat'), undefined);
  assert.match(notAWorld('a.splat', JPEG, 65, 'splat')?.message ?? '', /found a JPEG photo/);
  assert.match(notAWorld('a.splat', bytes('BM', 1, 2, 3, 4), 66, 'splat')?.message ?? '', /found a BMP image/);
});

test('bytes that are not a PLY are shown as hex or as quoted text, never raw', () => {
  assert.equal(notAWorld('a.ply', bytes('hello', 0x1b, '[31m', 7), 11, 'ply')?.message, "a.ply: expected a PLY file starting with 'ply', found bytes 68 65 6c 6c 6f 1b 5b 33");
  assert.equal(shownBytes(bytes('# obj "x"\nv 1 2 3\n')), 'text starting "# obj \\"x\\""');
  assert.equal(shownBytes(new Uint8Array(0)), 'an empty file');
  // text named .splat: a .splat is binary (its colour bytes and float exponents are not all printable)
  const text = bytes('{"splats": "not really, this is JSON text"}');
  assert.match(notAWorld('a.splat', text, text.length, 'splat')?.message ?? '', /^a\.splat: expected a \.splat file of 32-byte binary splats, found text starting "\{\\"splats\\": \\"not really, this is "$/);
  assert.equal(notAWorld('a.splat', new Uint8Array(32).fill(0x41).fill(0, 3, 4), 32, 'splat'), undefined);
  assert.equal(notAWorld('mesh.obj', bytes('# obj'), 5, 'other'), undefined, 'left to the reader, which names the extension');
});
