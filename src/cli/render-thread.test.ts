/**
 * The two-thread render against renderSplats on one thread: the same colour, alpha and depth, Float32
 * bit for bit, on random clouds, after appends, for a 1-row picture and a view whose splats fill one
 * band; a thread that fails or dies gives a warning and still the right picture; an abort rejects; an
 * idle thread does not keep the process alive.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import { firstDifference, randomCloud } from '../render/band-test-clouds.ts';
import { type RenderResult, renderSplats } from '../render/rasterizer.ts';
import { RenderThread } from './render-thread.ts';

function assertSame(got: RenderResult, want: RenderResult, what: string) {
  assert.equal(`${got.width}x${got.height}`, `${want.width}x${want.height}`, what);
  for (const key of ['color', 'alpha', 'depth'] as const) {
    const i = firstDifference(got[key], want[key]);
    assert.equal(i, -1, `${what}: ${key}[${i}] ${got[key][i]} vs one thread's ${want[key][i]}`);
  }
}

test('two threads render renderSplats\' picture bit for bit: random clouds, poses, odd sizes, appends, one band, one row', async () => {
  const warnings: string[] = [];
  const thread = RenderThread.start(undefined, (line) => warnings.push(line));
  try {
    const cloud = randomCloud(11, 3001, 1);
    const poses = [Pose.identity(), Pose.lookAt([0.2, 0.1, 0.4], [-0.6, -0.3, -3]), Pose.lookAt([0, 0, 0], [0.3, 0.8, -2])];
    const sizes = [intrinsicsFromFov(61, 37, 60), intrinsicsFromFov(40, 53, 70), intrinsicsFromFov(33, 1, 30)];
    let shared = 0;
    const check = async (what: string, c = cloud) => {
      for (const pose of poses) {
        for (const k of sizes) {
          assertSame(await thread.render(c, pose, k), renderSplats(c, pose, k), `${what}, ${k.width}x${k.height}`);
          if (thread.timesLine()) shared++;
        }
      }
    };
    await check('3001 splats');
    // The world grows between pictures: the thread must render from the appended splats too.
    cloud.append(randomCloud(12, 1234, 1));
    await check('after one append');
    cloud.append(randomCloud(13, 17, 0)).append(randomCloud(14, 2500, 1, [-0.9, -0.2]));
    await check('after two more');
    // Every splat in the top rows: the cut goes there, the thread's band is nearly empty.
    const top = randomCloud(15, 2200, 0, [0.5, 0.95]);
    await check('splats in the top rows only', top);
    assert.equal(shared, 4 * poses.length * (sizes.length - 1), 'every picture of more than one row was shared');
    assert.deepEqual(warnings, []);
    assert.ok(thread.running);
  } finally {
    await thread.close();
  }
});

test('a band rendered ahead serves only its own picture: taken there bit for bit, dropped for another view, size or a grown cloud', async () => {
  const warnings: string[] = [];
  const thread = RenderThread.start(undefined, (line) => warnings.push(line));
  try {
    const cloud = randomCloud(41, 2500, 1);
    const pose = Pose.lookAt([0.1, 0, 0.2], [-0.4, 0.2, -3]), other = Pose.lookAt([0.1, 0, 0.2], [-0.4, 0.25, -3]);
    const k = intrinsicsFromFov(57, 41, 60);
    const rendered = async (c: typeof cloud, p: Pose, kk: typeof k, what: string) => {
      assertSame(await thread.render(c, p, kk), renderSplats(c, p, kk), what);
      return thread.timesLine() ?? '';
    };
    thread.ahead(cloud, pose, k);
    assert.match(await rendered(cloud, pose, k, 'its own picture'), /there \(ahead\)/);
    assert.doesNotMatch(await rendered(cloud, pose, k, 'the same picture again'), /ahead/, 'taken once');
    thread.ahead(cloud, pose, k);
    assert.doesNotMatch(await rendered(cloud, other, k, 'another view'), /ahead/);
    thread.ahead(cloud, pose, k);
    assert.doesNotMatch(await rendered(cloud, pose, intrinsicsFromFov(57, 41, 61), 'another focal length'), /ahead/);
    // The world grew after the band was asked for: the same view must show the new splats too.
    thread.ahead(cloud, pose, k);
    cloud.append(randomCloud(42, 400, 1));
    assert.doesNotMatch(await rendered(cloud, pose, k, 'the grown cloud'), /ahead/);
    const copy = randomCloud(41, 2500, 1);
    thread.ahead(copy, pose, k);
    assert.doesNotMatch(await rendered(randomCloud(41, 2500, 1), pose, k, 'another cloud of the same count'), /ahead/);
    thread.ahead(cloud, pose, k);
    assert.match(await rendered(cloud, pose, k, 'after the dropped ones'), /there \(ahead\)/);
    assert.deepEqual(warnings, []);
    assert.ok(thread.running);
  } finally {
    await thread.close();
  }
});

test('a thread whose copy is out of step, or that died, warns once and the main thread renders the right picture', async () => {
  const warnings: string[] = [];
  const thread = RenderThread.start(undefined, (line) => warnings.push(line));
  const k = intrinsicsFromFov(50, 30, 60), pose = Pose.identity();
  const cloud = randomCloud(21, 1500);
  assertSame(await thread.render(cloud, pose, k), renderSplats(cloud, pose, k), 'before');
  // Splats removed behind the thread's back (a world never does this): its copy holds more than the picture's.
  cloud.count -= 100;
  assertSame(await thread.render(cloud, pose, k), renderSplats(cloud, pose, k), 'out of step');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^render thread: expected a copy of 1400 splats, found 1500; rendering on one thread from here on$/);
  assert.equal(thread.running, false);
  assertSame(await thread.render(cloud, pose, k), renderSplats(cloud, pose, k), 'after');
  assert.equal(warnings.length, 1, 'once');

  const dying = RenderThread.start(undefined, (line) => warnings.push(line));
  assertSame(await dying.render(cloud, pose, k), renderSplats(cloud, pose, k), 'before dying');
  await (dying as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertSame(await dying.render(cloud, pose, k), renderSplats(cloud, pose, k), 'after dying');
  assert.match(warnings[1], /^render thread: exited with code 1; rendering on one thread from here on$/);
  assert.equal(warnings.length, 2);
  await dying.close();
});

test('an abort rejects with the signal\'s reason, and the thread still renders right afterwards', async () => {
  const thread = RenderThread.start(undefined, () => assert.fail('no warning expected'));
  try {
    const k = intrinsicsFromFov(200, 150, 60), pose = Pose.identity();
    // Many tiny splats in the top rows and a few faint ones in the bottom rows, each thousands of
    // pixels wide: splitRow counts splats, so the main thread takes the cheap top rows and the thread
    // the costly bottom ones, still at work when the abort comes.
    const cloud = randomCloud(31, 20000, 0, [0.3, 0.95]);
    const wide = randomCloud(32, 1500, 0, [-0.95, -0.4]);
    for (let i = 0; i < wide.count; i++) {
      wide.scales.set([0.25, 0.25, 0.25], 3 * i);
      wide.opacities[i] = 0.02;
    }
    cloud.append(wide);
    const before = new AbortController();
    before.abort(new Error('stopped before'));
    await assert.rejects(thread.render(cloud, pose, k, before.signal), /^Error: stopped before$/);
    const during = new AbortController();
    const rendering = thread.render(cloud, pose, k, during.signal);
    setTimeout(() => during.abort(new Error('stopped during')), 0);
    await assert.rejects(rendering, /^Error: stopped during$/);
    assertSame(await thread.render(cloud, pose, k), renderSplats(cloud, pose, k), 'after the aborts');
    assert.ok(thread.running);
  } finally {
    await thread.close();
  }
});

test('a started, used and unclosed render thread does not keep the process alive', () => {
  const script = `
    import { RenderThread } from ${JSON.stringify(join(import.meta.dirname, 'render-thread.ts'))};
    import { randomCloud } from ${JSON.stringify(join(import.meta.dirname, '../render/band-test-clouds.ts'))};
    import { Pose, intrinsicsFromFov } from ${JSON.stringify(join(import.meta.dirname, '../core/camera.ts'))};
    const thread = RenderThread.start(undefined, (line) => console.log(line));
    await thread.render(randomCloud(1, 500), Pose.identity(), intrinsicsFromFov(40, 30, 60));
    console.log(thread.timesLine() ? 'shared' : 'not shared');`;
  const dir = mkdtempSync(join(tmpdir(), 'worldsplat-render-thread-'));
  writeFileSync(join(dir, 'idle.mts'), script);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'idle.mts')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'ended by itself');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'shared');
});
