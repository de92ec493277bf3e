/**
 * Runs training/test_real_shape.py (the ground-plane angle of real_shape.py against analytic
 * planes) with Debian's interpreter; a second.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('real-photo shape screen (training/test_real_shape.py)', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'test_real_shape'], {
    cwd: import.meta.dirname, encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (run.error) throw new Error(`real shape test: expected /usr/bin/python3 (Debian's, with PyTorch), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_real_shape.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
