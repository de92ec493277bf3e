/**
 * One node:test case that runs a Python unittest module of training/ with Debian's interpreter (the
 * one with PyTorch, numpy and PIL: scripts/setup-system.sh installs them), so `npm test` covers the
 * Python side too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/** `module` is dotted from training/ (e.g. 'scenes.test_sky'). */
export function pythonUnittest(title: string, module: string): void {
  test(`${title} (training/${module.replace(/\./g, '/')}.py)`, () => {
    const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', module], {
      cwd: import.meta.dirname, encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    if (run.error) throw new Error(`${module}: expected /usr/bin/python3 (Debian's, with PyTorch), found ${run.error.message}`);
    assert.equal(run.status, 0, `${module} failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
  });
}
