/**
 * Keeps the Python training pipeline alive in CI: training/test_smoke.py generates a few scenes
 * (checking their depth against similar triangles), trains for a minute, evaluates, exports ONNX and
 * checks it. It runs with Debian's interpreter, which has PyTorch (scripts/setup-system.sh installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('training smoke run: generate -> train one minute -> evaluate -> export ONNX', () => {
  const script = join(import.meta.dirname, 'test_smoke.py');
  const run = spawnSync('/usr/bin/python3', [script], { encoding: 'utf8', env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  if (run.error) throw new Error(`training smoke: expected /usr/bin/python3 (Debian's, with python3-torch), found ${run.error.message}`);
  assert.equal(run.status, 0, `test_smoke.py failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
});
