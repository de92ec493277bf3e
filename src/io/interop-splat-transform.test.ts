/**
 * Interop with PlayCanvas splat-transform (the converter behind SuperSplat), an independent reader
 * and writer of the same files. Its CLI turns our files into CSV, which lists the raw file values
 * per splat (logit opacity, log scales, f_dc, f_rest_*, rot_0..3 as stored), so we can check every
 * number we wrote; and its own PLY output (properties in another order) must read back with ours.
 * splat-transform is lenient (it reads truncated files), so it is a witness here, not a validator.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { randomCloud } from '../core/random.ts';
import { SH_C0 } from '../core/sh.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { SH_REST_PARITY } from './opencv-axes.ts';
import { readPly } from './ply-reader.ts';
import { writePly } from './ply-writer.ts';
import { writeSplat } from './splat-format.ts';

const CLI = fileURLToPath(new URL('../../node_modules/@playcanvas/splat-transform/bin/cli.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'worldsplat-st-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function splatTransform(input: string, output: string): void {
  const r = spawnSync(process.execPath, [CLI, '-q', '-w', join(dir, input), join(dir, output)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `splat-transform failed: ${r.stderr}`);
}

function readCsv(name: string): Record<string, number[]> {
  const [head, ...rows] = readFileSync(join(dir, name), 'utf8').trim().split('\n');
  const names = head.split(',');
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const row of rows) row.split(',').forEach((v, i) => columns[names[i]].push(Number(v)));
  return columns;
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

/**
 * The file values the INRIA convention prescribes for splat i of a program-axes cloud, worked out
 * from the convention's definition (OpenCV axes, logit, log, f_dc, w-first quaternion turned by the
 * 180-degree X rotation, channel-major f_rest with parity signs).
 */
function expectedFileValues(c: SplatCloud, i: number): Record<string, number> {
  const [w, x, y, z] = c.rotations.subarray(i * 4, i * 4 + 4);
  const o = c.opacities[i];
  const v: Record<string, number> = {
    x: c.positions[i * 3], y: -c.positions[i * 3 + 1], z: -c.positions[i * 3 + 2],
    opacity: Math.log(o / (1 - o)),
    rot_0: -x, rot_1: w, rot_2: -z, rot_3: y,
  };
  for (let a = 0; a < 3; a++) {
    v[`scale_${a}`] = Math.log(c.scales[i * 3 + a]);
    v[`f_dc_${a}`] = (c.colors[i * 3 + a] - 0.5) / SH_C0;
  }
  const k = c.shCoefficients;
  for (let ch = 0; ch < 3; ch++) {
    for (let coef = 0; coef < 15; coef++) v[`f_rest_${ch * 15 + coef}`] = coef < k ? SH_REST_PARITY[coef] * c.sh![(i * k + coef) * 3 + ch] : 0;
  }
  return v;
}

test('splat-transform reads every value of our degree-3 PLY as the convention prescribes', () => {
  const cloud = randomCloud(64, 21, 3);
  writeFileSync(join(dir, 'ours.ply'), writePly(cloud));
  splatTransform('ours.ply', 'ours.csv');
  const csv = readCsv('ours.csv');
  assert.equal(csv.x.length, cloud.count);
  for (let i = 0; i < cloud.count; i++) {
    for (const [name, value] of Object.entries(expectedFileValues(cloud, i))) {
      assert.ok(csv[name], `splat-transform reports no column ${name}`);
      near(csv[name][i], value, 2e-6, `splat ${i} ${name}`);
    }
    for (const n of ['nx', 'ny', 'nz']) assert.equal(csv[n][i], 0);
  }
});

test('a degree-1 cloud is written with zero-padded 15-coefficient blocks that splat-transform indexes correctly', () => {
  const cloud = randomCloud(16, 22, 1);
  writeFileSync(join(dir, 'deg1.ply'), writePly(cloud));
  splatTransform('deg1.ply', 'deg1.csv');
  const csv = readCsv('deg1.csv');
  for (let i = 0; i < cloud.count; i++) {
    for (const [name, value] of Object.entries(expectedFileValues(cloud, i))) near(csv[name][i], value, 2e-6, `splat ${i} ${name}`);
  }
});

test("splat-transform's own PLY (other property order) reads back to our original cloud", () => {
  const cloud = randomCloud(64, 23, 3);
  writeFileSync(join(dir, 'in.ply'), writePly(cloud));
  splatTransform('in.ply', 'theirs.ply');
  const bytes = new Uint8Array(readFileSync(join(dir, 'theirs.ply')));
  const header = new TextDecoder().decode(bytes.subarray(0, 3000));
  assert.ok(header.indexOf('property float rot_0') < header.indexOf('property float f_dc_0'), 'their property order differs from ours');
  const back = readPly(bytes);
  assert.equal(back.shDegree, 3);
  for (const key of ['positions', 'scales', 'rotations', 'opacities', 'colors', 'sh'] as const) {
    const a = back[key]!, b = cloud[key]!;
    for (let i = 0; i < b.length; i++) near(a[i], b[i], 2e-6, `${key}[${i}]`);
  }
});

test('splat-transform reads our .splat with the same axes and byte encodings', () => {
  const cloud = randomCloud(64, 24, 0);
  writeFileSync(join(dir, 'ours.splat'), writeSplat(cloud));
  splatTransform('ours.splat', 'splat.csv');
  const csv = readCsv('splat.csv');
  for (let i = 0; i < cloud.count; i++) {
    const e = expectedFileValues(cloud, i);
    for (const n of ['x', 'y', 'z', 'scale_0', 'scale_1', 'scale_2']) near(csv[n][i], e[n], 1e-6, `splat ${i} ${n}`);
    // Colours and opacity are bytes: within half a step of 1/255 after undoing f_dc and logit.
    for (let a = 0; a < 3; a++) near(0.5 + SH_C0 * csv[`f_dc_${a}`][i], cloud.colors[i * 3 + a], 0.5 / 255 + 1e-6, `splat ${i} colour ${a}`);
    near(1 / (1 + Math.exp(-csv.opacity[i])), cloud.opacities[i], 0.5 / 255 + 1e-6, `splat ${i} opacity`);
    // Quaternion bytes: each component within 1/128 of the normalised file quaternion (up to sign).
    const q = [csv.rot_0[i], csv.rot_1[i], csv.rot_2[i], csv.rot_3[i]];
    const want = [e.rot_0, e.rot_1, e.rot_2, e.rot_3];
    const sign = Math.sign(q.reduce((s, v, j) => s + v * want[j], 0));
    q.forEach((v, j) => near(v, sign * want[j], 1.5 / 128, `splat ${i} rot_${j}`));
  }
});
