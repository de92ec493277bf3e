/**
 * The exported view sets are in OUR camera convention: the exporter (training/scenes/export_views.py)
 * renders a small held-out room here, and the depth of one view, carried into another with
 * src/core/camera.ts and the poses of views.json, must match that view's own ray-cast depth. The same
 * check with the poses read in plausible wrong ways (rotation inverted, quaternion order x,y,z,w,
 * image upside down) must fail, so the test can tell a wrong convention from a right one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Pose } from '../../core/camera.ts';
import type { FloatField } from '../../core/image.ts';
import type { Quat } from '../../core/quat.ts';
import { decodePng } from '../../io/png.ts';
import { type DepthView, depthAgreement } from './depth-agreement.ts';
import { type ViewData, type ViewSet, openViewSet, parseDepthF32, parseViewsJson } from './view-set.ts';

const W = 128, H = 96;
let root = '';
let dir = '';
let set: ViewSet;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'viewset-'));
  const training = join(import.meta.dirname, '..', '..', '..', 'training');
  const run = spawnSync('/usr/bin/python3', ['-m', 'scenes.export_views', '--kinds', 'room', '--size', `${W}x${H}`, '--out', root], {
    cwd: training,
    encoding: 'utf8',
  });
  if (run.error) throw new Error(`view sets: expected /usr/bin/python3 (Debian's, with numpy and PIL), found ${run.error.message}`);
  assert.equal(run.status, 0, `export_views failed:\n${run.stdout}\n${run.stderr}`.slice(-3000));
  const name = /([^/\s]+): 14 views/.exec(run.stdout);
  assert.ok(name, `export_views printed no scene: ${run.stdout}`);
  dir = join(root, name[1]);
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const source = () => ({ read: async (n: string) => new Uint8Array(readFileSync(join(dir, n))), decodePng });

const asDepthView = (v: ViewData, pose = v.spec.pose): DepthView => ({ pose, intrinsics: v.spec.intrinsics, depth: v.depth });

const flipRows = (f: FloatField): FloatField => {
  const data = new Float32Array(f.data.length);
  for (let j = 0; j < f.height; j++) data.set(f.data.subarray(j * f.width, (j + 1) * f.width), (f.height - 1 - j) * f.width);
  return { ...f, data };
};

test('reads the 14 views of an exported scene with pictures and depth of the declared size', async () => {
  set = await openViewSet(source());
  assert.equal(set.kind, 'room');
  assert.deepEqual(
    set.views.map((v) => v.name),
    ['start', 'moved', ...Array.from({ length: 12 }, (_, k) => `turn${String(k).padStart(2, '0')}`)],
  );
  const start = await set.load('start');
  assert.equal(start.image.width, W);
  assert.equal(start.image.data.length, W * H * 3);
  assert.equal(start.depth.data.length, W * H);
  // a room: most pixels see a wall, the floor or furniture between a few cm and 12 m (windows may show sky)
  const inside = start.depth.data.filter((d) => d > 0.05 && d < 12).length;
  assert.ok(inside > 0.8 * W * H, `only ${inside} of ${W * H} pixels between 0.05 and 12 m`);
  // the moved view is 0.5 m from the start eye; the turn keeps the eye
  const dist = (a: Pose, b: Pose) => Math.hypot(...a.position.map((v, i) => v - b.position[i]));
  assert.ok(Math.abs(dist(set.view('start').pose, set.view('moved').pose) - 0.5) < 1e-9);
  assert.ok(dist(set.view('start').pose, set.view('turn05').pose) < 1e-9);
});

for (const [from, to] of [
  ['start', 'moved'],
  ['moved', 'start'],
  ['start', 'turn01'],
  ['turn11', 'start'],
] as const) {
  test(`${from} depth carried into ${to} with camera.ts matches ${to}'s own depth`, async () => {
    const a = await set.load(from);
    const b = await set.load(to);
    const r = depthAgreement(asDepthView(a), asDepthView(b));
    const frac = r.agreeing / r.compared;
    assert.ok(r.compared > 0.15 * W * H, `only ${r.compared} pixels co-visible`);
    assert.ok(frac > 0.9, `${(frac * 100).toFixed(1)}% of ${r.compared} pixels agree within 0.5%`);
    assert.ok(r.medianRelativeError < 1e-3, `median relative error ${r.medianRelativeError}`);
  });
}

test('the same check fails for conventions that are wrong', async () => {
  const a = await set.load('start');
  const b = await set.load('moved');
  const conj = (p: Pose) => new Pose(p.position, [p.rotation[0], -p.rotation[1], -p.rotation[2], -p.rotation[3]]);
  const xyzw = (p: Pose) => new Pose(p.position, [p.rotation[3], p.rotation[0], p.rotation[1], p.rotation[2]] as Quat);
  const wrong: [string, DepthView, DepthView][] = [
    ['rotation read as camera-from-world', asDepthView(a, conj(a.spec.pose)), asDepthView(b, conj(b.spec.pose))],
    ['quaternion read as x,y,z,w', asDepthView(a, xyzw(a.spec.pose)), asDepthView(b, xyzw(b.spec.pose))],
    ['image rows upside down', { ...asDepthView(a), depth: flipRows(a.depth) }, { ...asDepthView(b), depth: flipRows(b.depth) }],
  ];
  const right = depthAgreement(asDepthView(a), asDepthView(b));
  for (const [what, wa, wb] of wrong) {
    const r = depthAgreement(wa, wb);
    const frac = r.compared ? r.agreeing / r.compared : 0;
    assert.ok(frac < 0.5, `${what}: ${(frac * 100).toFixed(1)}% agree (right convention: ${((right.agreeing / right.compared) * 100).toFixed(1)}%)`);
  }
});

test('start and turn00 are the same view', async () => {
  const a = await set.load('start');
  const b = await set.load('turn00');
  assert.deepEqual(b.image.data, a.image.data);
  assert.deepEqual(set.view('turn00').pose.rotation, set.view('start').pose.rotation);
});

test('bad files get one line saying what was expected', () => {
  assert.throws(() => parseViewsJson('{"scene": "x", "kind": "room", "views": []}'), /^Error: views.json views: expected a non-empty array, found \[\]$/);
  const view = { name: 'a', width: 4, height: 3, verticalFovDegrees: 60, pose: { position: [0, 0, 0], rotation: [2, 0, 0, 0] } };
  assert.throws(() => parseViewsJson(JSON.stringify({ scene: 'x', kind: 'room', views: [view] })), /view a pose.rotation: expected a unit quaternion/);
  assert.throws(() => parseViewsJson('not json'), /^Error: views.json: expected JSON, found/);
  assert.throws(() => parseDepthF32(new Uint8Array(47), 4, 3, 'a.depth.f32'), /^Error: a.depth.f32: expected 48 bytes \(4x3 float32\), found 47$/);
  const nan = new Float32Array(12);
  nan[5] = NaN;
  assert.throws(() => parseDepthF32(new Uint8Array(nan.buffer), 4, 3, 'a.depth.f32'), /expected finite depths >= 0, found NaN at pixel 1,1/);
});

test('a truncated depth file in a view set is reported with its name', async () => {
  const bytes = readFileSync(join(dir, 'turn03.depth.f32'));
  writeFileSync(join(dir, 'turn03.depth.f32'), bytes.subarray(0, bytes.length - 4));
  await assert.rejects(set.load('turn03'), new RegExp(`^Error: turn03.depth.f32: expected ${W * H * 4} bytes`));
});
