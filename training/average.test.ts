/**
 * Runs training/test_average.py (checkpoint averaging against hand-computed means) with
 * Debian's interpreter; a second.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('checkpoint averaging (training/test_average.py)', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'test_average'], {
    cwd: import.meta.dirname, encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (run.error) throw new Error(`average test: expected /usr/bin/python3 (Debian's, with PyTorch), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_average.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
