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

const MODULE = pathToFileURL(join(import.meta.dirname, 'wasm-tiering.mjs')).href;

function stderrOf(code: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

test('raising the WebAssembly tiering budget is accepted by this V8, silently', () => {
  assert.equal(stderrOf(`const m = await import(${JSON.stringify(MODULE)}); m.raiseWasmTieringBudget(); m.raiseWasmTieringBudget(5);`), '');
});

test('with lazy validation on, onnxruntime still opens and runs a model', () => {
  // (V8 offers no way to read a flag back; the first test shows it is accepted, this one that onnxruntime's
  // module still compiles, opens a session and runs under it.)
  const run = `const m = await import(${JSON.stringify(MODULE)}); m.raiseWasmTieringBudget();
    const { fixtureModel } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../model/fixtures/fixtures.ts')).href)});
    const { loadModel } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../model/session.ts')).href)});
    const { entry, bytes } = fixtureModel('half-res-fixed');
    const model = await loadModel(entry, bytes);
    const out = await model.run({ image: { data: new Float32Array(3 * 64 * 48).fill(0.25), dims: [1, 3, 64, 48] } });
    console.error(Object.values(out)[0].dims.join('x'));`;
  assert.match(stderrOf(run), /^1x1x\d+x\d+\n$/);
});

test('an unknown V8 flag would have been seen (the check above can fail)', () => {
  assert.match(stderrOf(`(await import('node:v8')).setFlagsFromString('--wasm-tiering-budget-that-does-not-exist=1');`), /unrecognized flag/);
});
