/**
 * V8's tier-up of WebAssembly, tuned for onnxruntime-web in a short-lived Node process.
 *
 * V8 first compiles WebAssembly with its baseline compiler (Liftoff) and recompiles a function with
 * the optimising compiler (TurboFan, on background threads) once it has run for a "tiering budget"
 * (--wasm-tiering-budget, default 1,800,000: roughly bytes of code executed). onnxruntime's 14 MB
 * module runs thousands of functions a few times each while it parses the model and optimises the
 * graph, and at the default budget most of them cross it: about 2.5 s of CPU recompiling code that
 * will not run again, on background threads that on a 2-core machine take the CPU from the main
 * thread (measured: `worldsplat generate` spent 7 s of CPU against 3.3 s with the budget raised;
 * the JavaScript around the model ran 5-10x slower while those compiles were queued). At 100x the
 * default only the kernels that really carry the inference (convolutions, GEMM) reach TurboFan, and
 * they reach it sooner, as their compiles no longer wait behind the others: repeated inference ends
 * as fast as with the default (measured: 65 ms per 128x96 depth inference after a few runs, either way).
 *
 * Validation too: V8 compiles WebAssembly lazily (a function when it first runs) but by default still
 * validates every function of the module up front; onnxruntime's session start uses a small share of
 * its 14 MB. --wasm-lazy-validation validates each function when it is compiled instead (measured: the
 * session start's CPU 0.81 -> 0.76 s). A valid module runs exactly the same; an invalid function would
 * fail when first called rather than at instantiation, which for the module shipped in onnxruntime-web
 * does not arise.
 *
 * Node only: browsers keep their own heuristics (and cache compiled WebAssembly). The flags are read
 * when a module is compiled, so this must run before onnxruntime-web creates its first session (on any
 * thread: V8's flags are the process's). A flag given on the command line is left as it is.
 *
 * Plain JavaScript: the model's thread (model-worker.mjs) sets the flags itself before it warms
 * onnxruntime up, which may be before the main thread has loaded any TypeScript.
 */
import { setFlagsFromString } from 'node:v8';

export const CLI_WASM_TIERING_BUDGET = 180_000_000;

let applied = false;

/** @param {number} [budget] */
export function raiseWasmTieringBudget(budget = CLI_WASM_TIERING_BUDGET) {
  if (applied) return;
  applied = true;
  if (!process.execArgv.some((a) => /^--wasm[-_]tiering[-_]budget/.test(a))) setFlagsFromString(`--wasm-tiering-budget=${budget}`);
  if (!process.execArgv.some((a) => /^--(no-)?wasm[-_]lazy[-_]validation/.test(a))) setFlagsFromString('--wasm-lazy-validation');
}
