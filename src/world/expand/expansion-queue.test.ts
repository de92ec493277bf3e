import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose } from '../../core/camera.ts';
import { ExpansionQueue } from './expansion-queue.ts';
import { yawPose } from './synthetic-scene.ts';

/** A run function whose calls finish only when the test says so. */
function controllable() {
  const calls: { pose: Pose; signal: AbortSignal; finish: (v: string) => void; fail: (e: Error) => void }[] = [];
  const run = (pose: Pose, signal: AbortSignal) => new Promise<string>((resolve, reject) => {
    calls.push({ pose, signal, finish: resolve, fail: reject });
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
  return { calls, run };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('queue: a burst of nearby requests runs the first and then only the newest', async () => {
  const { calls, run } = controllable();
  const queue = new ExpansionQueue(run);
  const poses = [0, 5, 10, 15, 20].map((yaw) => yawPose([0, 1.6, 0], -yaw)); // 5 degrees apart: never stale
  const outcomes = poses.map((p) => queue.request(p));
  await tick();
  assert.equal(calls.length, 1, 'one at a time');
  assert.ok(queue.busy && queue.pending);
  calls[0].finish('first');
  await tick();
  assert.equal(calls.length, 2);
  assert.equal(calls[1].pose, poses[4], 'the newest waiting request runs next; the ones in between never run');
  calls[1].finish('last');
  const settled = await Promise.all(outcomes);
  assert.deepEqual(settled.map((o) => o.status), ['done', 'superseded', 'superseded', 'superseded', 'done']);
  assert.deepEqual([settled[0], settled[4]], [{ status: 'done', value: 'first' }, { status: 'done', value: 'last' }]);
  assert.ok(!queue.busy && !queue.pending);
});

test('queue: a request far from the running one aborts it; a fast camera never has more than one waiting', async () => {
  const { calls, run } = controllable();
  const queue = new ExpansionQueue(run);
  const first = queue.request(yawPose([0, 1.6, 0], 0));
  await tick();
  // Sweep round quickly: 100 requests while the first is still running.
  const later = Array.from({ length: 100 }, (_, i) => queue.request(yawPose([0, 1.6, 0], -3.6 * (i + 1))));
  await tick();
  assert.ok(calls[0].signal.aborted, 'turned more than 30 degrees away: the running expansion is stale');
  assert.deepEqual(await first, { status: 'cancelled' });
  await tick();
  assert.equal(calls.length, 2, 'the aborted one is followed by the newest only');
  calls[1].finish('newest');
  const settled = await Promise.all(later);
  assert.equal(settled.filter((o) => o.status === 'superseded').length, 99);
  assert.deepEqual(settled[99], { status: 'done', value: 'newest' });
});

test('queue: cancel drops the waiting request and aborts the running one; failures are reported, not thrown', async () => {
  const { calls, run } = controllable();
  const queue = new ExpansionQueue(run);
  const a = queue.request(Pose.identity()), b = queue.request(Pose.identity());
  await tick();
  queue.cancel();
  assert.deepEqual(await Promise.all([a, b]), [{ status: 'cancelled' }, { status: 'cancelled' }]);
  const c = queue.request(Pose.identity());
  await tick();
  calls[1].fail(new Error('completer: expected a model file, found none'));
  const outcome = await c;
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.status === 'failed' && outcome.error.message, 'completer: expected a model file, found none');
});

test('queue: when an outcome arrives, busy already says whether the next request runs', async () => {
  const { calls, run } = controllable();
  const queue = new ExpansionQueue(run);
  const seen: boolean[] = [];
  const first = queue.request(yawPose([0, 1.6, 0], 0)).then(() => seen.push(queue.busy));
  const second = queue.request(yawPose([0, 1.6, 0], -5)).then(() => seen.push(queue.busy));
  await tick();
  calls[0].finish('a');
  await first;
  calls[1].finish('b');
  await second;
  assert.deepEqual(seen, [true, false], 'busy while the waiting request took over; idle after the last');
});
