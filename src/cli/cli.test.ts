/**
 * The `worldsplat` command as a user runs it: through bin/worldsplat.mjs, in a child process.
 * Input files are built byte by byte here from the INRIA layout, independent of our writer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';

const BIN = join(import.meta.dirname, '../../bin/worldsplat.mjs');
const dir = mkdtempSync(join(tmpdir(), 'worldsplat-cli-'));

function run(...args: string[]) {
  return runWith({}, ...args);
}

function runWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface FileSplat {
  xyz: [number, number, number]; // OpenCV axes, as stored in the file
  rgb: [number, number, number];
  opacity: number;
  scale: number; // isotropic std dev, metres
}

/** An INRIA 3DGS PLY, written by hand: 62 little-endian floats per vertex. */
function handMadePly(splats: FileSplat[]): Uint8Array {
  const props = ['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2'];
  for (let i = 0; i < 45; i++) props.push(`f_rest_${i}`);
  props.push('opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3');
  const header = `ply\nformat binary_little_endian 1.0\nelement vertex ${splats.length}\n${props.map((p) => `property float ${p}\n`).join('')}end_header\n`;
  const body = new Float32Array(splats.length * 62);
  splats.forEach((s, i) => {
    const r = body.subarray(i * 62, i * 62 + 62);
    r.set(s.xyz, 0);
    r.set(s.rgb.map((c) => (c - 0.5) / 0.28209479177387814), 6);
    r[54] = Math.log(s.opacity / (1 - s.opacity));
    r.set([Math.log(s.scale), Math.log(s.scale), Math.log(s.scale)], 55);
    r.set([1, 0, 0, 0], 58);
  });
  const out = new Uint8Array(header.length + body.byteLength);
  out.set(new TextEncoder().encode(header));
  out.set(new Uint8Array(body.buffer), header.length);
  return out;
}

/** Decodes an 8-bit RGBA PNG with zlib and the five PNG row filters: a reader independent of our encoder's library. */
function readPngRgba(path: string): { width: number; height: number; data: Uint8Array } {
  const png = readFileSync(path);
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  assert.equal(png[24], 8);
  assert.equal(png[25], 6, 'RGBA');
  const idat: Buffer[] = [];
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    if (png.toString('latin1', o + 4, o + 8) === 'IDAT') idat.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? data[y * stride + x - 4] : 0;
      const b = y > 0 ? data[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? data[(y - 1) * stride + x - 4] : 0;
      const paeth = () => {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const pred = [0, a, b, (a + b) >> 1, paeth()][filter];
      data[y * stride + x] = (v + pred) & 255;
    }
  }
  return { width, height, data };
}

const brightest = (img: { width: number; height: number; data: Uint8Array }) => {
  let best = -1, bx = 0, by = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const i = (y * img.width + x) * 4;
    const v = img.data[i] + img.data[i + 1] + img.data[i + 2];
    if (v > best) [best, bx, by] = [v, x, y];
  }
  return { x: bx, y: by, value: best };
};

test('render: a splat stored at OpenCV (1,0,5) appears right of centre seen from the origin looking at (0,0,-5)', () => {
  const ply = join(dir, 'right.ply');
  writeFileSync(ply, handMadePly([{ xyz: [1, 0, 5], rgb: [1, 1, 1], opacity: 0.9, scale: 0.05 }]));
  const png = join(dir, 'right.png');
  const r = run('render', ply, '--eye', '0,0,0', '--target', '0,0,-5', '--fov', '60', '--size', '64x48', '-o', png);
  assert.equal(r.code, 0, r.stderr);
  const spot = brightest(readPngRgba(png));
  // f = 24 / tan(30 deg) = 41.57 px; u = 32 + 41.57 * 1/5 = 40.3 -> pixel column 40.
  assert.equal(spot.x, 40);
  assert.ok(spot.y === 23 || spot.y === 24, `row ${spot.y}`);
});

test('render: a splat stored at OpenCV (0,-1,5) appears above centre, and depth is written in millimetres', () => {
  const ply = join(dir, 'up.ply');
  writeFileSync(ply, handMadePly([{ xyz: [0, -1, 5], rgb: [1, 0.5, 0], opacity: 0.99, scale: 0.2 }]));
  const png = join(dir, 'up.png');
  const depth = join(dir, 'up-depth.png');
  const r = run('render', ply, '--eye', '0,0,0', '--target', '0,0,-5', '--size', '64x48', '-o', png, '--depth', depth);
  assert.equal(r.code, 0, r.stderr);
  const spot = brightest(readPngRgba(png));
  assert.equal(spot.x === 31 || spot.x === 32, true, `column ${spot.x}`);
  // v = 24 - 41.57 / 5 = 15.7 -> row 15.
  assert.equal(spot.y, 15);
  assert.ok(existsSync(depth));
});

test('inspect --json reports count, bounds and SH degree of a hand-made file', () => {
  const ply = join(dir, 'two.ply');
  writeFileSync(ply, handMadePly([
    { xyz: [1, 2, 3], rgb: [0.5, 0.5, 0.5], opacity: 0.5, scale: 0.1 },
    { xyz: [-1, 0, 7], rgb: [0.5, 0.5, 0.5], opacity: 0.25, scale: 0.3 },
  ]));
  const r = run('inspect', ply, '--json');
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.count, 2);
  // OpenCV (x, y, z) is (x, -y, -z) in the program's axes.
  assert.deepEqual(info.bounds.min.map((v: number) => +v.toFixed(5)), [-1, -2, -7]);
  assert.deepEqual(info.bounds.max.map((v: number) => +v.toFixed(5)), [1, 0, -3]);
  assert.ok(info.shDegree >= 0 && info.shDegree <= 3);
  assert.ok(Math.abs(info.opacity.max - 0.5) < 1e-5);
  assert.ok(Math.abs(info.scale.max - 0.3) < 1e-5);

  // The same command through tsx (the fallback when the start-up bundle cannot be built) says the same.
  const viaTsx = runWith({ WORLDSPLAT_TSX: '1' }, 'inspect', ply, '--json');
  assert.equal(viaTsx.code, 0, viaTsx.stderr);
  assert.equal(viaTsx.stdout, r.stdout);
});

test('inspect prints a file name with control characters in it as \\u escapes, in text and in JSON', () => {
  // ESC[2J cleared the terminal, U+009B (a one-character CSI) too on terminals that read C1, BEL rang and
  // the newline split the name over two lines: inspect printed the name as it was.
  const name = join(dir, 'a\u001b[2J\u009b2J\u0007\nb.ply');
  writeFileSync(name, handMadePly([{ xyz: [0, 0, 1], rgb: [0.5, 0.5, 0.5], opacity: 0.5, scale: 0.1 }]));
  const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  const text = run('inspect', name);
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, controls);
  assert.equal(text.stdout.split('\n')[0], join(dir, 'a\\u001b[2J\\u009b2J\\u0007\\u000ab.ply'));
  assert.match(text.stdout.split('\n')[1], /^ {2}splats {5}1$/);
  const json = run('inspect', name, '--json');
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, controls);
  assert.equal(JSON.parse(json.stdout).file, name, 'the JSON still holds the name itself');
});

test('convert ply -> splat -> ply keeps positions exactly and colours within 8-bit steps', () => {
  const ply = join(dir, 'c.ply');
  writeFileSync(ply, handMadePly([{ xyz: [0.25, -1.5, 4], rgb: [0.2, 0.4, 0.8], opacity: 0.7, scale: 0.05 }]));
  assert.equal(run('convert', ply, join(dir, 'c.splat')).code, 0);
  const splat = readFileSync(join(dir, 'c.splat'));
  assert.equal(splat.length, 32);
  assert.deepEqual([splat.readFloatLE(0), splat.readFloatLE(4), splat.readFloatLE(8)], [0.25, -1.5, 4]);
  const expected = [51, 102, 204, 178.5]; // rgb 0.2/0.4/0.8 and opacity 0.7, times 255
  [...splat.subarray(24, 28)].forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1, `byte ${24 + i}: ${v}`));
  assert.equal(run('convert', join(dir, 'c.splat'), join(dir, 'c2.ply')).code, 0);
  const info = JSON.parse(run('inspect', join(dir, 'c2.ply'), '--json').stdout);
  assert.deepEqual(info.bounds.min.map((v: number) => +v.toFixed(5)), [0.25, 1.5, -4]);
});

test('convert ply -> worldsplat -> ply keeps the splats; inspect counts the bundle frames', () => {
  const ply = join(dir, 'b.ply');
  writeFileSync(ply, handMadePly([
    { xyz: [1, 2, 3], rgb: [0.1, 0.2, 0.3], opacity: 0.5, scale: 0.1 },
    { xyz: [-1, 0, 7], rgb: [0.9, 0.8, 0.7], opacity: 0.25, scale: 0.3 },
  ]));
  const bundle = join(dir, 'b.worldsplat');
  assert.equal(run('convert', ply, bundle).code, 0);
  const info = JSON.parse(run('inspect', bundle, '--json').stdout);
  assert.equal(info.count, 2);
  assert.equal(info.frames, 0);
  assert.deepEqual(info.bounds.min.map((v: number) => +v.toFixed(5)), [-1, -2, -7]);
  assert.equal(run('convert', bundle, join(dir, 'b2.ply')).code, 0);
  const back = readFileSync(join(dir, 'b2.ply'));
  const original = readFileSync(ply);
  // The same 62-float records (headers may differ); logit/log encodings round-trip to float precision.
  const records = (b: Buffer) => new Float32Array(Uint8Array.from(b.subarray(b.indexOf('end_header\n') + 11)).buffer);
  const [a, b] = [records(original), records(back)];
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-5 * Math.max(1, Math.abs(v)), `float ${i}: ${v} vs ${b[i]}`));
  const wrong = run('convert', ply, join(dir, 'b.obj'));
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /expected an output ending in .ply, .splat or .worldsplat, found 'b.obj'/);
});

test('bad usage exits 2, bad input exits 1 with one line saying what was expected and found', () => {
  assert.equal(run('frobnicate').code, 2);
  assert.equal(run('render').code, 2);
  assert.equal(run('inspect', '--bogus', 'x').code, 2);
  const missing = run('inspect', join(dir, 'nope.ply'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /expected a readable file, found none/);
  const junk = join(dir, 'junk.ply');
  writeFileSync(junk, 'hello world, not a splat file');
  const bad = run('inspect', junk);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  const size = run('render', join(dir, 'two.ply'), '--eye', '0,0,0', '--target', '0,0,-1', '--size', '10by10', '-o', join(dir, 'x.png'));
  assert.equal(size.code, 1);
  assert.match(size.stderr, /--size: expected WIDTHxHEIGHT/);
});
