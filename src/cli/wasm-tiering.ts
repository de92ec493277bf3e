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
 * Node only: browsers keep their own heuristics (and cache compiled WebAssembly). The flag is read
 * when a module is instantiated, so this must run before onnxruntime-web creates its first session.
 * A budget given on the command line (node --wasm-tiering-budget=N) is left as it is.
 */
import { setFlagsFromString } from 'node:v8';

export const CLI_WASM_TIERING_BUDGET = 180_000_000;

let applied = false;

export function raiseWasmTieringBudget(budget = CLI_WASM_TIERING_BUDGET): void {
  if (applied) return;
  applied = true;
  if (!process.execArgv.some((a) => /^--wasm[-_]tiering[-_]budget/.test(a))) setFlagsFromString(`--wasm-tiering-budget=${budget}`);
}
