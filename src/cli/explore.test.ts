/**
 * `worldsplat explore` as a user runs it: through bin/worldsplat.mjs, in a child process, on a world
 * made from the synthetic courtyard (src/world/expand/synthetic-scene.ts) at a small size.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { intrinsicsFromFov } from '../core/camera.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { readBundle } from '../io/bundle/bundle-reader.ts';
import { writePly } from '../io/ply-writer.ts';
import { courtyardScene, worldFromView, yawPose } from '../world/expand/synthetic-scene.ts';
import { saveWorld } from './files.ts';

const BIN = join(import.meta.dirname, '../../bin/worldsplat.mjs');
const dir = mkdtempSync(join(tmpdir(), 'worldsplat-explore-'));
const bundle = join(dir, 'court.worldsplat'), ply = join(dir, 'court.ply'), fine = join(dir, 'court-192.worldsplat');

function run(...args: string[]) {
  return runWith({}, ...args);
}
function runWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'explore', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const stepLine = /^step +(\d+)\/(\d+) +unknown +([\d.]+)% -> +([\d.]+)% +\+(\d+) splats +[\d.]+ s$/;

before(async () => {
  const k = intrinsicsFromFov(96, 72, 60);
  await saveWorld(bundle, worldFromView(courtyardScene(), yawPose([0, 1.6, 0], 0), k));
  await saveWorld(fine, worldFromView(courtyardScene(), yawPose([0, 1.6, 0], 0), intrinsicsFromFov(192, 144, 60)));
  // A .ply has no memory: explore puts its camera at the origin, as generate does. So this one is
  // made with the eye at the origin (the whole scene lowered by 1.6 m).
  const lowered = worldFromView(courtyardScene(), yawPose([0, 1.6, 0], 0), k);
  for (let i = 0; i < lowered.splats.count; i++) lowered.splats.positions[3 * i + 1] -= 1.6;
  await saveWorld(ply, lowered);
});

test('explore: a full turn in 12 stops leaves at most 1% unknown at each, and keeps the input splats and frame as they were', () => {
  const out = join(dir, 'turned.worldsplat');
  const r = run(bundle, '--path', 'turn', '--steps', '12', '--size', '96x72', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 12, r.stdout);
  for (const line of lines) {
    const m = stepLine.exec(line);
    assert.ok(m, `line "${line}"`);
    assert.ok(Number(m[4]) <= 1, `after expansion: ${line}`);
  }
  // The turn needs new views: the first stops are mostly unknown before, the last one (back at the start) is not.
  assert.ok(Number(stepLine.exec(lines[0])![3]) > 20 && Number(stepLine.exec(lines[11])![3]) < 1, r.stdout);
  const input = readBundle(new Uint8Array(readFileSync(bundle)));
  const output = readBundle(new Uint8Array(readFileSync(out)));
  assert.ok(output.frames.length > 10, `${output.frames.length} frames`);
  assert.deepEqual(output.frames[0].pose, input.frames[0].pose);
  const n = input.splats.count;
  assert.ok(output.splats.count > 3 * n);
  assert.deepEqual(output.splats.positions.subarray(0, 3 * n), input.splats.positions.subarray(0, 3 * n));
  assert.deepEqual(output.splats.colors.subarray(0, 3 * n), input.splats.colors.subarray(0, 3 * n));
});

test('explore: a .ply is a view from the origin; walking forward from it adds splats and writes a .ply', () => {
  const out = join(dir, 'walked.ply');
  const r = run(ply, '--path', 'walk', '--steps', '2', '--size', '96x72', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => stepLine.exec(l));
  assert.equal(lines.length, 2);
  // Seen from its own camera the .ply is complete; a step forward sees mostly the same things (were
  // the camera not put at the origin, the first stop would be mostly unknown).
  assert.ok(lines.every((m) => m && Number(m[3]) < 40 && Number(m[4]) < 2), r.stdout);
  // The .ply input's start view and the two stops' views are not in a .ply.
  assert.match(r.stderr, /walked\.ply: splats only; the world's 3 remembered views are not written \(a \.worldsplat keeps them\)\n$/);
  assert.ok(statSync(out).size > statSync(ply).size);
});

test('explore: bad paths, sizes and missing completers are one line and write nothing', () => {
  const out = join(dir, 'never.worldsplat');
  const expectOne = (args: string[], pattern: RegExp, code = 1) => {
    const r = run(...args);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr.split('\n')[0], pattern);
    if (code === 1) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  };
  expectOne([bundle, '--path', 'spiral', '-o', out], /^worldsplat explore: --path: expected turn, orbit, walk or a poses .json file, found "spiral"$/);
  expectOne([bundle, '--path', 'turn', '--steps', '0', '-o', out], /^worldsplat explore: --steps: expected a whole number from 1 to 360, found "0"$/);
  // the tour takes the bundle's own field of view: --fov was ignored without a word
  expectOne([bundle, '--path', 'turn', '--steps', '1', '--size', '64x48', '--completer', 'inpaint', '--fov', '50', '-o', out], /^worldsplat explore: --fov: expected only for a world without remembered views \(a \.ply or \.splat\), found .*court\.worldsplat with 1 \(the tour uses the first one's \d+\.\d degrees\)$/);
  expectOne([bundle, '--path', 'turn'], /^worldsplat explore: expected an output file \(-o bigger\.worldsplat\), found none$/, 2);
  const poses = join(dir, 'poses.json');
  writeFileSync(poses, '[{"eye":[0,1.6,0]}]');
  expectOne([bundle, '--path', poses, '-o', out], /^worldsplat explore: .*poses.json: expected camera 0 "target" as 3 finite numbers, found none$/);
  expectOne([bundle, '--path', 'turn', '--completer', 'procedural', '-o', out], /^worldsplat explore: --completer procedural: expected a world made from a prompt \(generate --prompt\), found one without a prompt$/);
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../models/manifest.json'), 'utf8'));
  if (!manifest.models.some((m: { task: string }) => m.task === 'complete')) {
    expectOne([bundle, '--path', 'turn', '--completer', 'model', '-o', out], /^worldsplat explore: --completer model: expected a completion model \(task 'complete'\) in models\/manifest.json, found none/);
  }
  assert.throws(() => statSync(out), 'nothing written');
});

test('explore: a folder, an empty world, an output with nowhere to go and a loose --steps are one line before any stop; a failure after the input was read leaves it and an old output as they were', () => {
  const here = mkdtempSync(join(dir, 'bad-'));
  const out = join(here, 'out.worldsplat');
  const refused = (args: string[], message: string) => {
    const r = run(...args, '--size', '64x48');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, `worldsplat explore: ${message}\n`);
    assert.equal(r.stdout, '', 'no stop was walked');
  };
  const folder = join(here, 'folder.worldsplat');
  mkdirSync(folder);
  refused([folder, '--path', 'turn', '-o', out], `${folder}: expected a world file, found a folder`);
  // A valid PLY of no splats: there is nothing to grow (it made 6144 splats out of nothing).
  const empty = join(here, 'empty.ply');
  writeFileSync(empty, writePly(SplatCloud.create(0)));
  refused([empty, '--path', 'turn', '--steps', '1', '-o', out], `${empty}: expected a world with splats to explore, found 0 splats`);
  refused([bundle, '--path', 'turn', '--steps', '1', '-o', join(here, 'missing', 'o.ply')], `${join(here, 'missing', 'o.ply')}: expected an existing folder for the output, found no folder '${join(here, 'missing')}'`);
  refused([bundle, '--path', 'turn', '--steps', '1', '-o', folder], `${folder}: expected a file name for the output, found a folder`);
  for (const steps of ['0x2', '1e1']) refused([bundle, '--path', 'turn', '--steps', steps, '-o', out], `--steps: expected a whole number from 1 to 360, found "${steps}"`);
  // (a size render takes; a stop at that size would need about 11 GB)
  const big = spawnSync(process.execPath, [BIN, 'explore', bundle, '--path', 'turn', '--steps', '1', '--size', '8192x4096', '-o', out], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(big.status, 1, big.stderr);
  assert.equal(big.stderr, 'worldsplat explore: --size: expected at most 16777216 pixels (4096x4096) for explore\'s view, found 8192x4096 (33554432)\n');
  assert.deepEqual(readdirSync(here).sort(), ['empty.ply', 'folder.worldsplat']);
  // The input named as the output is refused before any work, as render, convert and generate do
  // (it was replaced by the explored world); a failure once the world is read (it has no prompt)
  // leaves an existing output's every byte.
  const copy = join(here, 'copy.worldsplat'), old = join(here, 'old.ply');
  copyFileSync(bundle, copy);
  copyFileSync(ply, old);
  refused([copy, '--path', 'turn', '--steps', '1', '-o', `${here}/./copy.worldsplat`], `--output: expected a file other than the input, found the same file '${here}/./copy.worldsplat'`);
  refused([copy, '--path', 'turn', '--steps', '1', '--completer', 'procedural', '-o', old], '--completer procedural: expected a world made from a prompt (generate --prompt), found one without a prompt');
  assert.ok(readFileSync(copy).equals(readFileSync(bundle)) && readFileSync(old).equals(readFileSync(ply)));
  assert.deepEqual(readdirSync(here).sort(), ['copy.worldsplat', 'empty.ply', 'folder.worldsplat', 'old.ply']);
});

test('convert: a world with remembered views written as .ply says, once, that they are left out', () => {
  const out = join(dir, 'views-dropped.ply');
  const r = spawnSync(process.execPath, [BIN, 'convert', bundle, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const notes = r.stderr.split('\n').filter((line) => line.includes('remembered view'));
  assert.deepEqual(notes, [`${out}: splats only; the world's 1 remembered view is not written (a .worldsplat keeps them)`]);
});

test('explore: the world grown with the render thread is the one grown without it, array for array', () => {
  const grown = (thread: string) => {
    const out = join(dir, `thread-${thread}.worldsplat`);
    const r = runWith({ WORLDSPLAT_RENDER_THREAD: thread, WORLDSPLAT_TIMINGS: '1' }, bundle, '--path', 'orbit', '--steps', '5', '--size', '96x72', '-o', out);
    assert.equal(r.code, 0, r.stderr);
    // With the thread, every stop's picture was shared (explore prints where it was cut); without, none.
    assert.equal((r.stderr.match(/^render thread: rows 0-\d+ here/gm) ?? []).length, thread === '1' ? 5 : 0, r.stderr);
    return readBundle(new Uint8Array(readFileSync(out)));
  };
  const one = grown('0'), two = grown('1');
  assert.ok(one.splats.count > 0 && one.frames.length === two.frames.length && one.frames.length > 2, `${one.frames.length} frames`);
  for (const key of ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const) {
    assert.ok(Buffer.from(one.splats[key].buffer, one.splats[key].byteOffset, one.splats[key].byteLength).equals(Buffer.from(two.splats[key].buffer, two.splats[key].byteOffset, two.splats[key].byteLength)), key);
  }
  // (every field of every frame but when it was made)
  const untimed = (frames: typeof one.frames) => frames.map(({ timestamp: _, ...rest }) => rest);
  assert.deepEqual(untimed(two.frames), untimed(one.frames));
});

test('explore: a world lifted at twice the stops\' size is rendered merged, on one thread or two alike, and the turn still leaves nothing unknown', () => {
  const grown = (env: Record<string, string>, name: string) => {
    const out = join(dir, `${name}.worldsplat`);
    const r = runWith({ WORLDSPLAT_TIMINGS: '1', ...env }, fine, '--path', 'turn', '--steps', '6', '--size', '96x72', '-o', out);
    assert.equal(r.code, 0, r.stderr);
    for (const line of r.stdout.trim().split('\n')) assert.ok(Number(stepLine.exec(line)?.[4]) <= 1, `after expansion: ${line}`);
    return { stderr: r.stderr, world: readBundle(new Uint8Array(readFileSync(out))) };
  };
  const merged = grown({ WORLDSPLAT_RENDER_THREAD: '1' }, 'merged-2'), mergedOne = grown({ WORLDSPLAT_RENDER_THREAD: '0' }, 'merged-1');
  const plain = grown({ WORLDSPLAT_MERGED_RENDER: '0' }, 'plain');
  // 192 x 144 splats, about a quarter of them after merging (blocks across a depth jump keep their four).
  const m = /^stops render 27648 splats merged into (\d+)$/m.exec(merged.stderr);
  assert.ok(m && Number(m[1]) < 0.35 * 27648, merged.stderr);
  assert.doesNotMatch(plain.stderr, /merged into/);
  for (const key of ['positions', 'colors'] as const) {
    const bytes = (w: typeof merged.world) => Buffer.from(w.splats[key].buffer, w.splats[key].byteOffset, w.splats[key].byteLength);
    assert.ok(bytes(merged.world).equals(bytes(mergedOne.world)), key);
  }
  // The world's own splats are never the merged ones: the input's come through unchanged.
  const input = readBundle(new Uint8Array(readFileSync(fine)));
  const n = input.splats.count;
  assert.deepEqual(merged.world.splats.positions.subarray(0, 3 * n), input.splats.positions);
  assert.ok(merged.world.splats.count > n + 5000 && plain.world.splats.count > n + 5000, `${merged.world.splats.count}, ${plain.world.splats.count} splats`);
});
