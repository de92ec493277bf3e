/**
 * The tiering budget is a V8 flag, and V8 answers an unknown flag with a line on stderr instead of an
 * error: these tests make sure this Node's V8 still knows the flag (so the CLI stays quiet) and that
 * they would see it if it did not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(join(import.meta.dirname, 'wasm-tiering.ts')).href;

function stderrOf(code: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

test('raising the WebAssembly tiering budget is accepted by this V8, silently', () => {
  assert.equal(stderrOf(`const m = await import(${JSON.stringify(MODULE)}); m.raiseWasmTieringBudget(); m.raiseWasmTieringBudget(5);`), '');
});

test('an unknown V8 flag would have been seen (the check above can fail)', () => {
  assert.match(stderrOf(`(await import('node:v8')).setFlagsFromString('--wasm-tiering-budget-that-does-not-exist=1');`), /unrecognized flag/);
});
