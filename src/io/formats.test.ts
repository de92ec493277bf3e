import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SplatCloud } from '../core/splat-cloud.ts';
import { formatForFileName, readSplatFile, writeSplatFile } from './formats.ts';

const cloud = () => {
  const c = SplatCloud.create(1);
  c.positions.set([1, 2, 3]);
  return c;
};

test('the format of a name is its extension, in any case; other names are refused', () => {
  assert.equal(formatForFileName('out/Scene.PLY'), 'ply');
  assert.equal(formatForFileName('c:\\x\\a.b.splat'), 'splat');
  assert.throws(() => formatForFileName('scene.obj'), /^Error: expected a file name ending in \.ply or \.splat, found "scene\.obj"$/);
  assert.throws(() => formatForFileName('.ply'), /found "\.ply"/);
});

test('reading trusts the ply magic over the name, then the .ply / .splat extension', () => {
  const ply = writeSplatFile('a.ply', cloud());
  assert.equal(new TextDecoder().decode(ply.subarray(0, 4)), 'ply\n');
  assert.equal(readSplatFile('renamed.splat', ply).positions[1], 2);
  const splat = writeSplatFile('a.splat', cloud());
  assert.equal(splat.length, 32);
  assert.equal(readSplatFile('a.splat', splat).positions[2], 3);
  // A .ply name without the magic gets the PLY reader's precise complaint.
  assert.throws(() => readSplatFile('a.ply', splat), /^Error: PLY: expected a PLY file starting with 'ply', found/);
  assert.throws(() => readSplatFile('mesh.obj', new TextEncoder().encode('# obj')), /^Error: expected a \.ply or \.splat splat file, found "mesh\.obj" starting with bytes 23 20 6f 62$/);
  assert.throws(() => readSplatFile('x', new Uint8Array(0)), /starting with bytes \(none: empty file\)/);
  assert.throws(() => writeSplatFile('a.spz', cloud()), /expected a file name ending in \.ply or \.splat/);
});
