/**
 * `worldsplat generate photo` as a user runs it (a child process, the built-in model): one splat per
 * photo pixel in the written file, the timings line only when asked for, and a bad photo is one line
 * that writes nothing (the model, which starts opening before the photo is read, is let go cleanly).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { readBundle } from '../../io/bundle/bundle-reader.ts';
import { readPly } from '../../io/ply-reader.ts';
import { writePly } from '../../io/ply-writer.ts';

const BIN = join(import.meta.dirname, '../../../bin/worldsplat.mjs');
const dir = mkdtempSync(join(tmpdir(), 'worldsplat-photo-'));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a photo becomes a .ply with one splat per pixel; WORLDSPLAT_TIMINGS=1 adds one line naming the phases', async () => {
  // 80x60 with a left-right colour ramp and a bright top band, so the model sees some structure.
  const w = 80, h = 60;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set(y < 15 ? [200, 220, 255] : [40 + 2 * x, 120, 60 + y], 3 * (y * w + x));
  const photo = join(dir, 'ramp.jpg');
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 }).toFile(photo);

  const out = join(dir, 'ramp.ply');
  const quiet = run(['generate', photo, '-o', out]);
  assert.equal(quiet.code, 0, quiet.stderr);
  // (a progress bar may come first: the command can take over a second on a busy machine)
  assert.match(quiet.stderr, new RegExp(`(^|\\n)${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${w * h} splats from a ${w}x${h} photo \\(model builtin\\)\\n$`));
  assert.doesNotMatch(quiet.stderr, /timings/);
  assert.match(readFileSync(out).subarray(0, 80).toString('latin1'), new RegExp(`^ply\\nformat binary_little_endian 1.0\\nelement vertex ${w * h}\\n`));

  const timed = run(['generate', photo, '-o', join(dir, 'timed.ply')], { WORLDSPLAT_TIMINGS: '1', WORLDSPLAT_MODEL_THREAD: '1' });
  assert.equal(timed.code, 0, timed.stderr);
  assert.match(timed.stderr, /^timings: start \d+ ms, decode \d+, load code \d+, model open \d+, depth \d+, lift \d+, write \d+; total \d+ ms since the process started$/m);
  // the thread's CPU times only where the OS reports a thread's CPU time (Linux schedstat)
  assert.match(timed.stderr, /^model thread: started \d+, ready \d+, onnxruntime warmed up \d+, model received \d+, session open \d+, first inference done \d+ \(ms since the process started\)(; its CPU: \d+ ms to the session, \d+ to the first inference)?$/m);

  // The model on its own thread (forced above; by default only where a core is free) and in-process
  // write the same bytes.
  const inProcess = run(['generate', photo, '-o', join(dir, 'in-process.ply')], { WORLDSPLAT_MODEL_THREAD: '0', WORLDSPLAT_TIMINGS: '1' });
  assert.equal(inProcess.code, 0, inProcess.stderr);
  assert.doesNotMatch(inProcess.stderr, /model thread/);
  assert.deepEqual(readFileSync(join(dir, 'in-process.ply')), readFileSync(join(dir, 'timed.ply')));
});

test('run as a program (as npx runs it), the command has the memory settings of its first line, and they change no byte of the world', async () => {
  const w = 64, h = 48;
  const rgb = new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 251);
  const photo = join(dir, 'noise.png');
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toFile(photo);
  const { GLIBC_TUNABLES: _, ...env } = process.env; // the user's own settings would hide whether ours came from the first line
  const asProgram = spawnSync(BIN, ['generate', photo, '-o', join(dir, 'program.ply')], { encoding: 'utf8', env: { ...env, WORLDSPLAT_TIMINGS: '1' } });
  assert.equal(asProgram.status, 0, asProgram.stderr);
  assert.match(asProgram.stderr, /^process: \d+ minor page faults, glibc tunables glibc\.malloc\.hugetlb=1$/m);
  const throughNode = spawnSync(process.execPath, [BIN, 'generate', photo, '-o', join(dir, 'node.ply')], { encoding: 'utf8', env: { ...env, WORLDSPLAT_TIMINGS: '1' } });
  assert.equal(throughNode.status, 0, throughNode.stderr);
  assert.match(throughNode.stderr, /^process: \d+ minor page faults, glibc tunables none$/m);
  assert.deepEqual(readFileSync(join(dir, 'program.ply')), readFileSync(join(dir, 'node.ply')));
});

test('a file that is not a photo is one line, exit 1, and nothing is written', () => {
  const notPhoto = join(dir, 'notes.jpg');
  writeFileSync(notPhoto, 'shopping list: milk, eggs\n');
  const before = readdirSync(dir).length;
  const r = run(['generate', notPhoto, '-o', join(dir, 'never.ply')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^worldsplat generate: photo: expected a JPEG, PNG or WebP image, found text starting "shopping list/);
  assert.equal(existsSync(join(dir, 'never.ply')) || existsSync(join(dir, 'never.ply.partial')), false);
  assert.equal(readdirSync(dir).length, before);
});

test('a .worldsplat keeps the photo as its first posed frame; a .ply of the same photo holds the same splats', async () => {
  const w = 40, h = 30;
  const rgb = new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 256);
  const photo = join(dir, 'noise.png');
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toFile(photo);
  const bundlePath = join(dir, 'noise.worldsplat'), plyPath = join(dir, 'noise.ply');
  for (const out of [bundlePath, plyPath]) {
    const r = run(['generate', photo, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
  }
  const bundle = readBundle(new Uint8Array(readFileSync(bundlePath)));
  assert.equal(bundle.frames.length, 1);
  assert.deepEqual([bundle.frames[0].splatStart, bundle.frames[0].splatCount], [0, w * h]);
  // The .ply was written from the view's splats directly (no world in between): the same bytes as the
  // bundle's world written as a .ply, and it reads back as many splats.
  assert.deepEqual(new Uint8Array(readFileSync(plyPath)), writePly(bundle.splats));
  assert.equal(readPly(new Uint8Array(readFileSync(plyPath))).count, w * h);
});
