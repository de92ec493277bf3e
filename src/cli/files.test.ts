/**
 * saveWorld's PLY path writes chunk i while it encodes chunk i + 1 into a ring of two buffers: the file
 * must still be exactly writePly's bytes (checked across several turns of the ring), and a failure
 * (while a write is in flight, or opening the file) must leave neither the file nor its .partial.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { randomCloud } from '../core/random.ts';
import { readPly } from '../io/ply-reader.ts';
import { writePly } from '../io/ply-writer.ts';
import { World } from '../world/world.ts';
import { saveWorld } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'worldsplat-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a PLY of several chunks is byte for byte writePly, and reads back', async () => {
  const cloud = randomCloud(70_000, 5, 1); // > 4 chunks of 16384 splats: the ring of two buffers turns twice
  const path = join(dir, 'big.ply');
  const seen: number[] = [];
  await saveWorld(path, World.restore(cloud, []), (f) => seen.push(f));
  const bytes = new Uint8Array(readFileSync(path));
  assert.deepEqual(bytes, writePly(cloud));
  assert.equal(readPly(bytes).count, 70_000);
  assert.ok(seen.length >= 5 && seen.at(-1)! > 0.99, `progress ${seen.join(', ')}`);
  assert.ok(!existsSync(`${path}.partial`));
});

test('a splat no reader accepts, met while an earlier chunk is being written, leaves no file', async () => {
  const cloud = randomCloud(40_000, 6);
  cloud.positions[3 * 35_000 + 1] = NaN; // in the third chunk
  const path = join(dir, 'bad.ply');
  await assert.rejects(saveWorld(path, World.restore(cloud, [])), /^Error: PLY: cannot write splat 35000: expected finite values/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('bad')), []);
});

test('a folder that does not exist is one "could not write" error and nothing is written', async () => {
  const path = join(dir, 'missing', 'world.ply');
  await assert.rejects(saveWorld(path, World.restore(randomCloud(10, 1), [])), /^Error: .*missing\/world\.ply: could not write: ENOENT/);
  assert.ok(!existsSync(join(dir, 'missing')));
});
