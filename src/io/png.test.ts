import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { decodePng, encodeDepthPng } from './png.ts';

test('depth PNG holds millimetres as 16-bit big-endian grey (read back with zlib, not our decoder)', () => {
  const png = encodeDepthPng(3, 1, new Float32Array([1.2345, 0, 70]));
  // IHDR at byte 8: length(4) type(4) width(4) height(4) bitDepth(1) colourType(1)
  const view = new DataView(png.buffer, png.byteOffset);
  assert.equal(view.getUint32(16), 3);
  assert.equal(png[24], 16, 'bit depth 16');
  assert.equal(png[25], 0, 'greyscale');
  let offset = 8;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const len = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (type === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + len));
    offset += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw[0], 0, 'filter none');
  const values = [0, 1, 2].map((i) => raw.readUInt16BE(1 + 2 * i));
  assert.deepEqual(values, [1235, 0, 65535]);
});

test('a non-PNG gets one line saying so', () => {
  assert.throws(() => decodePng(new Uint8Array([1, 2, 3])), /^Error: PNG: expected a valid PNG image, found/);
});
