import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileKind } from './file-kind.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

test('photos are recognised by their magic bytes whatever their name', () => {
  assert.equal(fileKind('a.ply', bytes(0xff, 0xd8, 0xff, 0xe0)), 'photo');
  assert.equal(fileKind('a', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)), 'photo');
  assert.equal(fileKind('a.splat', text('RIFF\0\0\0\0WEBPVP8 ')), 'photo');
});

test('a PLY header is a world even when named like a photo', () => {
  assert.equal(fileKind('cloud.jpg', text('ply\nformat binary_little_endian 1.0\n')), 'world');
});

test('unknown bytes go by extension: a damaged photo still reaches the photo decoder', () => {
  assert.equal(fileKind('broken.JPG', bytes(0, 1, 2, 3)), 'photo');
  assert.equal(fileKind('broken.webp', text('hello')), 'photo');
  assert.equal(fileKind('world.splat', bytes(0, 1, 2, 3)), 'world');
  assert.equal(fileKind('noext', bytes()), 'world');
});

test('.worldsplat bundles by their magic, or by extension when the bytes are damaged', () => {
  assert.equal(fileKind('saved.bin', text('WSBUNDLE\x01\0\0\0')), 'bundle');
  assert.equal(fileKind('broken.WorldSplat', bytes(1, 2, 3)), 'bundle');
});
