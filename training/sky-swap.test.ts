/**
 * Runs training/test_sky_swap.py (the sky replacement of training batches: ground untouched, the photo's
 * horizon on the lowest sky row, sunset grading warm at the horizon; procedural skies varied, only sky
 * pixels changed) with Debian's interpreter; a second.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('sky replacement in training batches (training/test_sky_swap.py)', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'test_sky_swap'], {
    cwd: import.meta.dirname, encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (run.error) throw new Error(`sky swap test: expected /usr/bin/python3 (Debian's, with PyTorch), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_sky_swap.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
