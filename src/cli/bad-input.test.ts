/**
 * Bad input to `render`, `convert`, `generate` and `inspect`, as a user types it (a child process):
 * one line on stderr saying what was expected and what was found, exit 1 (2 for bad usage), and no
 * file created or changed, the input least of all. The cases are grouped per spawn's cost (~0.3 s
 * for a command that fails before its work, ~1.5 s for a generate that decodes its photo).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { SplatCloud } from '../core/splat-cloud.ts';
import { writePly } from '../io/ply-writer.ts';
import { renderSize } from './commands/render.ts';

const BIN = join(import.meta.dirname, '../../bin/worldsplat.mjs');
const dir = mkdtempSync(join(tmpdir(), 'worldsplat-bad-'));
const at = (name: string) => join(dir, name);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir with its hash: what a failing command must leave as it was. */
function files(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[join(d, e.name)] = createHash('sha256').update(readFileSync(join(d, e.name))).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** The command fails with exit `code`, `line` as its only line on stderr, and no file made or changed. */
function refuses(args: string[], line: string, code = 1) {
  const before = files();
  const r = run(...args);
  assert.equal(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(code === 1 ? lines.length : 1, 1, r.stderr);
  assert.equal(lines[0], line.replaceAll('$D', dir));
  assert.deepEqual(files(), before);
}

const ply = at('world.ply');
{
  const cloud = SplatCloud.create(3);
  cloud.positions.set([0, 0, -2, 0.3, 0, -2, 0, 0.3, -3]);
  cloud.scales.fill(0.05);
  for (let i = 0; i < 3; i++) cloud.rotations.set([1, 0, 0, 0], 4 * i);
  cloud.opacities.fill(0.9);
  cloud.colors.fill(0.6);
  writeFileSync(ply, writePly(cloud));
}
const view = ['--eye', '0,0,0', '--target', '0,0,-1', '--size', '32x24'];

test('render: outputs are checked before the work, never replace the input, and are written whole', () => {
  refuses(['render', ply, ...view, '-o', at('view.txt')], "worldsplat render: --output: expected a file name ending in .png, found 'view.txt'");
  refuses(['render', ply, ...view, '-o', at('view.png'), '--depth', at('depth.tif')], "worldsplat render: --depth: expected a file name ending in .png, found 'depth.tif'");
  // the colour picture was written, then the depth failed: half the output, and an ENOENT line
  refuses(['render', ply, ...view, '-o', at('view.png'), '--depth', at('no-folder/depth.png')],
    "worldsplat render: $D/no-folder/depth.png: expected an existing folder for the output, found no folder '$D/no-folder'");
  refuses(['render', ply, ...view, '-o', at('same.png'), '--depth', at('same.png')], "worldsplat render: --depth: expected a file other than --output, found the same file '$D/same.png'");
  // a world whose name ends in .png was replaced by its own picture
  const disguised = at('world-named.png');
  writeFileSync(disguised, readFileSync(ply));
  refuses(['render', disguised, ...view, '-o', disguised], "worldsplat render: --output: expected a file other than the input, found the same file '$D/world-named.png'");
});

test('render: the camera errors name the options; a negative coordinate is a value', () => {
  refuses(['render', ply, '--eye', '1,1,1', '--target', '1,1,1', '-o', at('v.png')], 'worldsplat render: --target: expected a point other than --eye, found the same point "1,1,1"');
  refuses(['render', ply, '--eye', '0,0,0', '--target', '0,5,0', '-o', at('v.png')], 'worldsplat render: --up: expected a direction not along the line from --eye to --target, found "0,1,0"');
  refuses(['render', ply, '--eye', '0,0,0', '--target', '0,0,-1', '--fov', '-5', '-o', at('v.png')], 'worldsplat render: --fov: expected a decimal number of degrees between 0 and 180, found "-5"');
  refuses(['render', ply, ...view, '--background', '128,128,128', '-o', at('v.png')], 'worldsplat render: --background: expected r,g,b each from 0 to 1, found "128,128,128"');
  // each rendered a background-only picture (exit 0): a camera 1e30 m out, where float32 positions are 8e22 m apart
  const huge = `1${'0'.repeat(30)}`;
  refuses(['render', ply, '--eye', `${huge},0,0`, '--target', `${huge},0,-1`, '--size', '8x6', '-o', at('v.png')], `worldsplat render: --eye: expected a point within 1000000 m of the origin on each axis, found "${huge},0,0"`);
  refuses(['render', ply, '--eye', '0,0,0', '--target', '0, -1000000.5, 0', '--size', '8x6', '-o', at('v.png')], 'worldsplat render: --target: expected a point within 1000000 m of the origin on each axis, found "0, -1000000.5, 0"');
  const r = run('render', ply, '--eye', '-0.5,0,0', '--target', '-0.5,0,-1', '--size', '32x24', '-o', at('left.png'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(at('left.png')).subarray(1, 4).toString(), 'PNG');
});

test('render --size: more than 8192x8192 pixels is refused (16384x16384 took 15 GB and minutes); each side still up to 16384', () => {
  assert.throws(() => renderSize('16384x16384'), { message: '--size: expected at most 67108864 pixels (8192x8192), found 16384x16384 (268435456)' });
  assert.throws(() => renderSize('8193x8192'), /expected at most 67108864 pixels/);
  assert.deepEqual(renderSize('8192x8192'), [8192, 8192]);
  assert.deepEqual(renderSize('16384x4096'), [16384, 4096]);
});

test('convert onto its own input is refused and the input kept; usage errors are one expected/found line', () => {
  refuses(['convert', ply, `${dir}/./world.ply`], "worldsplat convert: output: expected a file other than the input, found the same file '$D/./world.ply'");
  refuses(['inspect', ply, '--frobnicate'], "worldsplat inspect: expected one of the options --json, found '--frobnicate'", 2);
  refuses(['inspect', ply, '--json=yes'], 'worldsplat inspect: --json: expected no value (it is a switch), found one', 2);
});

test('generate: --model must name a depth model, --fov -5 is a bad value, and a failing generate leaves the world it would replace', async () => {
  const photo = at('photo.png');
  await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 150 } } }).png().toFile(photo);
  const world = at('world.worldsplat');
  writeFileSync(world, 'a world made before, to be kept as it is');
  refuses(['generate', photo, '-o', world, '--model', 'nope'], "worldsplat generate: --model: expected one of 'builtin', 'depth-anything-v2-small', found 'nope'");
  refuses(['generate', photo, '-o', world, '--model', 'complete'], "worldsplat generate: --model: expected one of 'builtin', 'depth-anything-v2-small', found 'complete'");
  refuses(['generate', photo, '-o', world, '--fov', '-5'], 'worldsplat generate: --fov: expected a decimal number of degrees between 0 and 180, found "-5"');
  refuses(['generate', photo, '-o', world, '--fov'], 'worldsplat generate: --fov: expected a value, found none', 2);
  refuses(['generate', photo, '-o', world, '--seed', '3'], 'worldsplat generate: --seed: expected only with --prompt, found it with a photo', 2);
});

test('numbers are plain decimals in every command; a missing option says what was expected', async () => {
  const photo = at('small.png');
  await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 150 } } }).png().toFile(photo);
  // each of these ran (exit 0): 0x10 as 16 degrees, 1e1 as 10, 0x1 as 1, 0x40 as 64 pixels
  refuses(['render', ply, ...view, '--fov', '0x10', '-o', at('v.png')], 'worldsplat render: --fov: expected a decimal number of degrees between 0 and 180, found "0x10"');
  refuses(['render', ply, '--eye', '0x1,0,0', '--target', '0,0,-1', '-o', at('v.png')], 'worldsplat render: --eye: expected three decimal numbers "x,y,z", found "0x1,0,0"');
  refuses(['explore', ply, '--path', 'turn', '--fov', '1e1', '-o', at('e.ply')], 'worldsplat explore: --fov: expected a decimal number of degrees between 0 and 180, found "1e1"');
  refuses(['generate', photo, '--max-size', '0x40', '-o', at('g.ply')], 'worldsplat generate: --max-size: expected an integer number of pixels from 16 to 4096, found "0x40"');
  // each was "missing --eye", "missing --output (-o)", "missing --path"
  refuses(['render', ply, '--target', '0,0,-1', '-o', at('v.png')], 'worldsplat render: expected a camera position (--eye x,y,z), found none', 2);
  refuses(['generate', '--prompt', 'a forest'], 'worldsplat generate: expected an output file (-o world.worldsplat), found none', 2);
  refuses(['explore', ply, '-o', at('e.ply')], 'worldsplat explore: expected a camera path (--path turn|orbit|walk|poses.json), found none', 2);
  // an escape sequence typed as a command was printed as it was (it cleared the terminal)
  refuses(['\u001b[2J'], 'worldsplat: expected a command (generate, inspect, convert, render, explore), found \'\\u001b[2J\'', 2);
});

test('a photo named as a world is named as a photo, even as a .splat of whole records', async () => {
  const jpeg = at('photo-named.ply');
  writeFileSync(jpeg, await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toBuffer());
  // was 'PLY: expected a PLY file starting with 'ply', found "\u00ff\u00d8\u00ff..."'
  refuses(['inspect', jpeg], `worldsplat inspect: ${jpeg}: expected a world file (.ply, .splat or .worldsplat), found a JPEG photo (worldsplat generate makes a world from a photo)`);
  // A PNG of whole 32-byte records named .splat was read as splats (exit 0, a picture of junk).
  let png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
  png = Buffer.concat([png, Buffer.alloc((32 - (png.length % 32)) % 32)]);
  const splat = at('photo-named.splat');
  writeFileSync(splat, png);
  refuses(['render', splat, ...view, '-o', at('junk.png')], `worldsplat render: ${splat}: expected a world file (.ply, .splat or .worldsplat), found a PNG photo (worldsplat generate makes a world from a photo)`);
});

test('a poses file that is not UTF-8 text says what it is (its syntax error quoted NULs and replacement characters)', async () => {
  const utf16 = at('utf16.json');
  writeFileSync(utf16, Buffer.from('\uFEFF[{"eye":[0,0,0],"target":[0,0,-1]}]', 'utf16le'));
  refuses(['explore', ply, '--path', utf16, '-o', at('e.ply')], `worldsplat explore: ${utf16}: expected UTF-8 JSON text, found UTF-16 text (save it as UTF-8)`);
  const jpeg = at('photo.json');
  writeFileSync(jpeg, await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toBuffer());
  refuses(['explore', ply, '--path', jpeg, '-o', at('e.ply')], `worldsplat explore: ${jpeg}: expected UTF-8 JSON text, found a JPEG photo`);
  // explore took this stop and added its view's splats at x = 1e30
  const far = at('far.json');
  writeFileSync(far, '[{"eye":[1e30,0,0],"target":[1e30,0,-1]}]');
  refuses(['explore', ply, '--path', far, '-o', at('e.ply')], `worldsplat explore: ${far}: expected camera 0 "eye" within 1000000 m of the origin on each axis, found [1e+30,0,0]`);
});

test('an empty world renders with a note (as does a camera that sees nothing), and is not written as an empty .splat', () => {
  const empty = at('empty.ply');
  writeFileSync(empty, writePly(SplatCloud.create(0)));
  // convert wrote a 0-byte .splat that inspect, render, convert and explore then refused
  refuses(['convert', empty, at('empty.splat')], `worldsplat convert: ${at('empty.splat')}: expected a world with splats for a .splat file (0 splats would be an empty file, which no reader takes), found 0 splats`);
  // render wrote a blank picture and said nothing
  for (const [world, eye, note] of [[empty, '0,0,0', 'the world holds 0 splats'], [ply, '0,0,-10', "none of the world's 3 splats is in view from --eye looking at --target"]]) {
    const r = run('render', world, '--eye', eye, '--target', '0,0,-20', '--size', '8x6', '-o', at('blank.png'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `${at('blank.png')}: background only: ${note}\n`);
    rmSync(at('blank.png'));
  }
  const seen = run('render', ply, ...view, '-o', at('seen.png'));
  assert.equal(seen.code, 0);
  assert.equal(seen.stderr, '', 'a picture that shows the world has no note');
});
