/**
 * loadModel as Node runs it: on onnxruntime's native build where it is installed and wanted,
 * otherwise (and for a model the native build will not open) on onnxruntime-web's WebAssembly.
 * native-runtime.mjs says why, and how to choose WebAssembly.
 */
import type { ModelEntry } from '../manifest.ts';
import { type LoadOptions, type Model, loadModel } from '../session.ts';
import { importNativeRuntime, nativeRuntimeWanted, nativeSessionOptions } from './native-runtime.mjs';

/**
 * The load options for Node; a WORLDSPLAT_ONNX_RUNTIME other than native or wasm is an error. 'cpu' is
 * listed even where the variable chose WebAssembly: importNativeRuntime then gives its why
 * ("WORLDSPLAT_ONNX_RUNTIME=wasm"), and the model's skippedProviders says so, as the model thread's does.
 */
export async function nodeLoadOptions(): Promise<LoadOptions> {
  nativeRuntimeWanted(); // throws for a value other than native or wasm (importNativeRuntime would only give it as a why)
  const found = await importNativeRuntime();
  return {
    executionProviders: ['cpu', 'wasm'],
    native: 'ort' in found ? { runtime: found.ort, sessionOptions: nativeSessionOptions() } : found,
  };
}

export async function loadModelInNode(entry: ModelEntry, bytes: Uint8Array): Promise<Model> {
  return loadModel(entry, bytes, await nodeLoadOptions());
}
