/**
 * `worldsplat generate --prompt` as a user runs it (a child process): the world file, the ignored
 * words and timing on stderr, and one-line errors for bad prompts and seeds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBundle } from '../../io/bundle/bundle-reader.ts';

const BIN = join(import.meta.dirname, '../../../bin/worldsplat.mjs');
const dir = mkdtempSync(join(tmpdir(), 'worldsplat-prompt-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a prompt becomes a .worldsplat whose first frame keeps the prompt and seed; ignored words are listed', () => {
  const out = join(dir, 'forest.worldsplat');
  const r = run('generate', '--prompt', 'a snowy pine forest at dusk near a cathedral', '--seed', '5', '--max-size', '64', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^ignored: cathedral$/m);
  assert.match(r.stderr, /3072 splats from "a snowy pine forest at dusk near a cathedral \[seed 5\]" \(forest, dusk, clear; \d+ things\) in [\d.]+ s/);
  const bundle = readBundle(new Uint8Array(readFileSync(out)));
  assert.equal(bundle.splats.count, 64 * 48);
  assert.equal(bundle.frames.length, 1);
  assert.equal(bundle.frames[0].prompt, 'a snowy pine forest at dusk near a cathedral [seed 5]');
});

test('a prompt becomes an INRIA .ply', () => {
  const out = join(dir, 'room.ply');
  const r = run('generate', '--prompt', 'a cosy library', '--max-size', '32', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^ignored: none$/m);
  const head = readFileSync(out).subarray(0, 200).toString('latin1');
  assert.match(head, /^ply\nformat binary_little_endian 1.0\nelement vertex 768\n/);
});

test('bad prompts and seeds get one line and exit code 1, and write nothing', () => {
  const out = join(dir, 'bad.ply');
  const cases: [string[], RegExp][] = [
    [['--prompt', '   '], /^worldsplat generate: prompt: expected some words describing a world, found an empty prompt\n$/],
    [['--prompt', 'x'.repeat(10000)], /^worldsplat generate: prompt: expected at most 1000 characters, found 10000\n$/],
    [['--prompt', 'a forest', '--seed=-3'], /^worldsplat generate: --seed: expected an integer from 0 to 4294967295, found "-3"\n$/],
    [['--prompt', 'a forest', '--seed', '1.5'], /^worldsplat generate: --seed: expected an integer/],
  ];
  for (const [args, message] of cases) {
    const r = run('generate', ...args, '-o', out);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(existsSync(out), false);
  }
  const both = run('generate', 'photo.jpg', '--prompt', 'a forest', '-o', out);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /expected a photo or --prompt, found both/);
});
