/**
 * reserveOutput fills a .partial with zeros before the world exists; saveWorld then writes over it.
 * The file must be writePly's bytes whatever the reservation's size (larger: cut back; smaller: grown;
 * exact), and a reservation given up (discard) or one that could not be made leaves no file behind.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { randomCloud } from '../core/random.ts';
import { writePly } from '../io/ply-writer.ts';
import { World } from '../world/world.ts';
import { reserveOutput, saveWorld } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'worldsplat-reserve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a PLY written into a reservation is writePly byte for byte, whatever the reservation size', async () => {
  const cloud = randomCloud(40_000, 3, 1); // several chunks of the writer's ring
  const want = writePly(cloud);
  for (const [name, bytes] of [['exact', want.length], ['larger', want.length + 5_000_000], ['smaller', 1000], ['empty', 0]] as const) {
    const path = join(dir, `${name}.ply`);
    const reservation = reserveOutput(path, bytes);
    await saveWorld(path, World.restore(cloud, []), undefined, reservation);
    assert.deepEqual(new Uint8Array(readFileSync(path)), want, name);
    assert.ok(!existsSync(`${path}.partial`), name);
  }
});

test('a .worldsplat written into a .ply-sized reservation is the bundle saveWorld writes without one', async () => {
  const cloud = randomCloud(5000, 4, 0);
  const plain = join(dir, 'plain.worldsplat'), reserved = join(dir, 'reserved.worldsplat');
  await saveWorld(plain, World.restore(cloud, []));
  await saveWorld(reserved, World.restore(cloud, []), undefined, reserveOutput(reserved, writePly(cloud).length));
  assert.deepEqual(readFileSync(reserved), readFileSync(plain));
});

test('a reservation for another path is not used (the file is written as without one)', async () => {
  const cloud = randomCloud(3000, 5, 0);
  const other = join(dir, 'other.ply'), path = join(dir, 'mine.ply');
  const reservation = reserveOutput(other, 10_000_000);
  await saveWorld(path, World.restore(cloud, []), undefined, reservation);
  assert.deepEqual(new Uint8Array(readFileSync(path)), writePly(cloud));
  await reservation.discard();
  assert.ok(!existsSync(`${other}.partial`));
});

test('a discarded reservation leaves nothing; one in a missing folder fails at saveWorld as without one', async () => {
  const path = join(dir, 'gone.ply');
  const reservation = reserveOutput(path, 3_000_000);
  assert.equal(await reservation.file.then((f) => f !== undefined), true);
  assert.ok(existsSync(`${path}.partial`));
  await reservation.discard();
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('gone')), []);

  const missing = join(dir, 'no-such-folder', 'world.ply');
  const failed = reserveOutput(missing, 1000);
  assert.equal(await failed.file, undefined);
  await assert.rejects(saveWorld(missing, World.restore(randomCloud(10, 6, 0), []), undefined, failed), /^Error: .*world\.ply: could not write: ENOENT/);
  await failed.discard(); // nothing to do, and no error
});

test('saveWorld over an existing file replaces it and leaves nothing beside it; a folder there still fails', async () => {
  const sub = mkdtempSync(join(dir, 'replace-'));
  const path = join(sub, 'world.ply');
  const first = randomCloud(2000, 7, 0), second = randomCloud(3000, 8, 0);
  await saveWorld(path, World.restore(first, []));
  await saveWorld(path, World.restore(second, []), undefined, reserveOutput(path, writePly(second).length));
  assert.deepEqual(new Uint8Array(readFileSync(path)), writePly(second));
  assert.deepEqual(readdirSync(sub), ['world.ply']);
  const folder = join(sub, 'folder.ply');
  mkdirSync(folder);
  await assert.rejects(saveWorld(folder, World.restore(first, [])), /could not write|EISDIR|ENOTEMPTY|EEXIST/);
  assert.ok(statSync(folder).isDirectory());
  assert.deepEqual(readdirSync(sub).sort(), ['folder.ply', 'world.ply']);
});
