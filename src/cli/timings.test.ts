import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTimings, threadCpuMs } from './timings.ts';

test('timings: each phase is the time since the previous mark; start counts from the process start', () => {
  const clock = [250, 400, 1000, 1003.6];
  const cpu = [200, 300, 310, 312];
  const t = startTimings(() => clock.shift()!, () => cpu.shift()!);
  t.mark('load code');
  t.mark('model open');
  t.mark('write');
  assert.equal(t.line(), 'timings: start 250 ms, load code 150, model open 600, write 4; total 1004 ms since the process started');
  assert.equal(t.cpuLine(), 'main thread CPU: start 200 ms, load code 100, model open 10, write 2; total 312 ms');
});

test("timings: the main thread's CPU time grows by the work done, not by waiting", { skip: !Number.isFinite(threadCpuMs()) && 'no /proc/thread-self/schedstat' }, async () => {
  // Busy work until the thread's clock has moved 30 ms (on a loaded machine that takes longer in wall time).
  const c0 = threadCpuMs();
  let x = 0;
  for (const t0 = performance.now(); threadCpuMs() - c0 < 30 && performance.now() - t0 < 5000; ) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
  const c1 = threadCpuMs();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const c2 = threadCpuMs();
  assert.ok(c1 - c0 >= 30 && x > 0, `5 s of busy work counted ${c1 - c0} ms`);
  assert.ok(c2 - c1 < 20, `100 ms of waiting counted ${c2 - c1} ms`);
});

test('timings: no CPU line where the CPU time is not known', () => {
  const t = startTimings(() => 1, () => NaN);
  t.mark('a');
  assert.equal(t.cpuLine(), undefined);
});
