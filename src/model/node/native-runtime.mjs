/**
 * onnxruntime's native build (the npm package onnxruntime-node) for Node, where it is installed.
 *
 * Why not onnxruntime-web's WebAssembly, as in the browser: a fresh process pays for WebAssembly's
 * start. Measured on the 2 shared cores, the depth model at 256x192: onnxruntime-web spends 1.0-1.3 s
 * opening the first session (0.6-0.7 s with the CLI's warm-up and tiering flags, wasm-tiering.mjs)
 * and 0.2-0.3 s per inference; the native build opens it in 0.11-0.14 s and runs it in 0.04 s. Both
 * are the same onnxruntime with the same kernels: their log-depths differ by at most 3e-7 on that
 * model. The API is the same too (onnxruntime-common's InferenceSession and Tensor), so session.ts
 * runs either without knowing which.
 *
 * It is an optional dependency: where its binary is missing or does not load (another platform, a
 * failed install), the models run on WebAssembly as before. WORLDSPLAT_ONNX_RUNTIME=wasm chooses
 * WebAssembly anyway (to compare the two, or to sidestep a native build that misbehaves).
 *
 * Plain JavaScript: the model's thread (src/cli/model-worker.mjs) imports it, and that thread must
 * start whether the CLI runs from its bundle or through tsx.
 */

export const RUNTIME_VARIABLE = 'WORLDSPLAT_ONNX_RUNTIME';

/**
 * Session options for the native build: a fresh object each call (onnxruntime keeps what it is given).
 * One intra-op thread, as the WebAssembly build has on two cores: the other core is the caller's
 * (the lift, the expansion's colour completion run beside an inference). Results do not depend on
 * it (1 and 2 threads gave the same bits on the depth model), only the speed does.
 *
 * @param {'disabled' | 'basic' | 'extended' | 'all'} [graphOptimizationLevel]
 */
export function nativeSessionOptions(graphOptimizationLevel = 'all') {
  return { executionProviders: ['cpu'], graphOptimizationLevel, intraOpNumThreads: 1, interOpNumThreads: 1 };
}

/**
 * Whether the environment asks for the native runtime: true unless WORLDSPLAT_ONNX_RUNTIME=wasm.
 * Any other value than native or wasm is an error, said in one line.
 *
 * @param {Record<string, string | undefined>} [env]
 */
export function nativeRuntimeWanted(env = process.env) {
  const value = env[RUNTIME_VARIABLE];
  if (value === undefined || value === '' || value === 'native') return true;
  if (value === 'wasm') return false;
  throw new Error(`${RUNTIME_VARIABLE}: expected native or wasm, found '${value}'`);
}

/** @type {Promise<{ ort: any } | { why: string }> | undefined} */
let importing;

/**
 * onnxruntime-node's module, or why there is none (not wanted, not installed, its binary does not
 * load). The package is imported once per thread; the variable is read at every call, so a choice of
 * WebAssembly for one model does not stick to the next.
 *
 * @returns {Promise<{ ort: typeof import('onnxruntime-node') } | { why: string }>}
 */
export function importNativeRuntime() {
  try {
    if (!nativeRuntimeWanted()) return Promise.resolve({ why: `${RUNTIME_VARIABLE}=wasm` });
  } catch (error) {
    return Promise.resolve({ why: /** @type {Error} */ (error).message });
  }
  importing ??= import('onnxruntime-node').then(
    (ort) => ({ ort }),
    (error) => {
      const message = error instanceof Error ? error.message : String(error);
      return { why: /Cannot find (package|module) 'onnxruntime-node'/.test(message) ? 'onnxruntime-node is not installed' : `onnxruntime-node did not load: ${message.split('\n')[0]}` };
    },
  );
  return importing;
}
