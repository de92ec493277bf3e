/**
 * Interop with @mkkellogg/gaussian-splats-3d 0.4.7 (a widely used three.js splat viewer), whose
 * loaders are an independent reader of our files. It runs in Node: its ES module only needs `three`;
 * the one browser dependency on the loading path is `window.setTimeout` (its delayedExecute), shimmed
 * here and nowhere else.
 *
 * What its loaders do, read from build/gaussian-splats-3d.module.js and checked below:
 *   PLY (INRIAV1PlyParser): positions as stored (no axis change: it renders in the file's OpenCV axes,
 *     its demos set camera up to (0, -1, 0)); scale = exp(scale_*); colour byte =
 *     floor((0.5 + SH_C0 * f_dc) * 255); alpha byte = floor(sigmoid(opacity) * 255); quaternion =
 *     normalise(rot_0..3), stored w first; SH read channel-major as f_rest_{c * (count / 3) + k}, and at
 *     most degree 2: degree-3 coefficients are ignored.
 *   .splat (SplatParser): position and scale float32 as stored, RGBA bytes as stored, quaternion
 *     (byte - 128) / 128 with byte 0 = w, normalised.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Quaternion, Vector3, Vector4 } from 'three';
import { randomCloud } from '../core/random.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { SH_REST_PARITY } from './opencv-axes.ts';
import { writePly } from './ply-writer.ts';
import { writeSplat } from './splat-format.ts';

// The package ships no type declarations; a module name held in a variable keeps tsc from looking.
const GS3D = '@mkkellogg/gaussian-splats-3d';
type Loader = { loadFromFileData(data: ArrayBuffer, minimumAlpha: number, compressionLevel: number, optimize: boolean, shDegree?: number): Promise<unknown> };
const { PlyLoader, SplatLoader } = (await import(GS3D)) as { PlyLoader: Loader; SplatLoader: Loader };

type Global = { window?: unknown };
let hadWindow = false;
before(() => {
  hadWindow = 'window' in globalThis;
  if (!hadWindow) (globalThis as Global).window = { setTimeout };
});
after(() => {
  if (!hadWindow) delete (globalThis as Global).window;
});

/** The loaders want an ArrayBuffer holding exactly the file. */
const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

interface SplatBufferLike {
  getSplatCount(): number;
  getSplatCenter(i: number, out: Vector3): void;
  getSplatScaleAndRotation(i: number, scale: Vector3, rotation: Quaternion): void;
  getSplatColor(i: number, out: Vector4): void;
  fillSphericalHarmonicsArray(out: Float32Array, degree: number, transform: undefined, from: number, to: number, dest: number, outLevel: number): void;
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);
}

/** Our program-axes quaternion in the file's axes, (w, x, y, z) -> (-x, w, -z, y), as (w, x, y, z). */
function fileQuaternion(c: SplatCloud, i: number): number[] {
  const [w, x, y, z] = c.rotations.subarray(i * 4, i * 4 + 4);
  return [-x, w, -z, y];
}

function assertSameRotation(theirs: Quaternion, wxyz: number[], tolerance: number, what: string): void {
  const q = [theirs.w, theirs.x, theirs.y, theirs.z];
  const sign = Math.sign(q.reduce((s, v, j) => s + v * wxyz[j], 0));
  q.forEach((v, j) => near(v, sign * wxyz[j], tolerance, `${what} component ${j}`));
}

test('its PLY loader reads our positions, scales, rotations, colour and opacity bytes, and SH up to degree 2', async () => {
  const cloud = randomCloud(100, 31, 2);
  const buffer = (await PlyLoader.loadFromFileData(arrayBufferOf(writePly(cloud)), 0, 0, false, 2)) as SplatBufferLike;
  assert.equal(buffer.getSplatCount(), cloud.count);
  const center = new Vector3(), scale = new Vector3(), rotation = new Quaternion(), color = new Vector4();
  const sh = new Float32Array(cloud.count * 24);
  buffer.fillSphericalHarmonicsArray(sh, 2, undefined, 0, cloud.count - 1, 0, 0);
  for (let i = 0; i < cloud.count; i++) {
    buffer.getSplatCenter(i, center);
    const [x, y, z] = cloud.positions.subarray(i * 3, i * 3 + 3);
    // Its axes are the file's: ours (x, y, z) is (x, -y, -z) there.
    near(center.x, x, 1e-6, `centre ${i} x`);
    near(center.y, -y, 1e-6, `centre ${i} y`);
    near(center.z, -z, 1e-6, `centre ${i} z`);
    buffer.getSplatScaleAndRotation(i, scale, rotation);
    [scale.x, scale.y, scale.z].forEach((s, a) => near(s, cloud.scales[i * 3 + a], 1e-6 * cloud.scales[i * 3 + a] + 1e-7, `scale ${i}.${a}`));
    assertSameRotation(rotation, fileQuaternion(cloud, i), 1e-6, `rotation ${i}`);
    buffer.getSplatColor(i, color);
    // It floors: the byte is floor(v * 255) of our value, give or take float rounding at a step.
    [color.x, color.y, color.z].forEach((b, a) => near(b, Math.floor(cloud.colors[i * 3 + a] * 255), 1, `colour ${i}.${a}`));
    near(color.w, Math.floor(cloud.opacities[i] * 255), 1, `alpha ${i}`);
    // Its SH output is [coefficient][rgb] in file axes: our coefficient times the parity sign.
    for (let j = 0; j < 24; j++) near(sh[i * 24 + j], SH_REST_PARITY[Math.floor(j / 3)] * cloud.sh![i * 24 + j], 1e-6, `sh ${i}.${j}`);
  }
});

test('with a degree-3 file it keeps degree 2 and reads the f_rest blocks at stride 15', async () => {
  const cloud = randomCloud(20, 32, 3);
  const buffer = (await PlyLoader.loadFromFileData(arrayBufferOf(writePly(cloud)), 0, 0, false, 2)) as SplatBufferLike;
  const sh = new Float32Array(cloud.count * 24);
  buffer.fillSphericalHarmonicsArray(sh, 2, undefined, 0, cloud.count - 1, 0, 0);
  for (let i = 0; i < cloud.count; i++) {
    for (let j = 0; j < 24; j++) near(sh[i * 24 + j], SH_REST_PARITY[Math.floor(j / 3)] * cloud.sh![i * 45 + j], 1e-6, `sh ${i}.${j}`);
  }
});

test('its .splat loader reads our .splat: same axes, byte colours, w-first byte quaternion', async () => {
  const cloud = randomCloud(100, 33, 0);
  const buffer = (await SplatLoader.loadFromFileData(arrayBufferOf(writeSplat(cloud)), 0, 0, false)) as SplatBufferLike;
  assert.equal(buffer.getSplatCount(), cloud.count);
  const center = new Vector3(), scale = new Vector3(), rotation = new Quaternion(), color = new Vector4();
  for (let i = 0; i < cloud.count; i++) {
    buffer.getSplatCenter(i, center);
    near(center.x, cloud.positions[i * 3], 1e-6, `centre ${i} x`);
    near(center.y, -cloud.positions[i * 3 + 1], 1e-6, `centre ${i} y`);
    near(center.z, -cloud.positions[i * 3 + 2], 1e-6, `centre ${i} z`);
    buffer.getSplatScaleAndRotation(i, scale, rotation);
    near(scale.x, cloud.scales[i * 3], 1e-7, `scale ${i}`);
    assertSameRotation(rotation, fileQuaternion(cloud, i), 1.5 / 128, `rotation ${i}`);
    buffer.getSplatColor(i, color);
    [color.x, color.y, color.z].forEach((b, a) => near(b, Math.round(cloud.colors[i * 3 + a] * 255), 0, `colour ${i}.${a}`));
    near(color.w, Math.round(cloud.opacities[i] * 255), 0, `alpha ${i}`);
  }
});
