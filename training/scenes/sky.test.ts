/**
 * Runs training/scenes/test_sky.py (photographic skies: dome mapping against its definition, outdoor
 * kinds only, geometry unchanged, sky table, cache key) with Debian's interpreter; a few seconds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('photographic skies in the training scenes (training/scenes/test_sky.py)', () => {
  const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'scenes.test_sky'], {
    cwd: join(import.meta.dirname, '..'), encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (run.error) throw new Error(`sky test: expected /usr/bin/python3 (Debian's, with numpy and PIL), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_sky.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
