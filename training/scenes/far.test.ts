/**
 * Runs training/scenes/test_far.py (the far kinds, lake and plain: drawn only for training seeds, and
 * showing land beyond 50 m) with Debian's interpreter; a few seconds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('far-field training scenes (training/scenes/test_far.py)', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'scenes.test_far'], {
    cwd: join(import.meta.dirname, '..'), encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (run.error) throw new Error(`far scenes test: expected /usr/bin/python3 (Debian's, with numpy), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_far.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
