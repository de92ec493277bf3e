import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTimings } from './timings.ts';

test('timings: each phase is the time since the previous mark; start counts from the process start', () => {
  const clock = [250, 400, 1000, 1003.6];
  const t = startTimings(() => clock.shift()!);
  t.mark('load code');
  t.mark('model open');
  t.mark('write');
  assert.equal(t.line(), 'timings: start 250 ms, load code 150, model open 600, write 4; total 1004 ms since the process started');
});
