/**
 * Runs training/scenes/test_pinned.py (a few seeds of every scene kind rendered small and compared with
 * the pictures pinned before the generator's speed work) with Debian's interpreter; a few seconds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('pinned training scenes (training/scenes/test_pinned.py)', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'scenes.test_pinned'], {
    cwd: join(import.meta.dirname, '..'), encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (run.error) throw new Error(`pinned scenes test: expected /usr/bin/python3 (Debian's, with numpy), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_pinned.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
