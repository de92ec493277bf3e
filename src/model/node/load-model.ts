/**
 * loadModel as Node runs it: on onnxruntime's native build where it is installed and wanted,
 * otherwise (and for a model the native build will not open) on onnxruntime-web's WebAssembly.
 * native-runtime.mjs says why, and how to choose WebAssembly.
 */
import type { ModelEntry } from '../manifest.ts';
import { type LoadOptions, type Model, loadModel } from '../session.ts';
import { importNativeRuntime, nativeRuntimeWanted, nativeSessionOptions } from './native-runtime.mjs';

/** The load options for Node; a WORLDSPLAT_ONNX_RUNTIME other than native or wasm is an error. */
export async function nodeLoadOptions(): Promise<LoadOptions> {
  if (!nativeRuntimeWanted()) return { executionProviders: ['wasm'] };
  const found = await importNativeRuntime();
  return {
    executionProviders: ['cpu', 'wasm'],
    native: 'ort' in found ? { runtime: found.ort, sessionOptions: nativeSessionOptions() } : found,
  };
}

export async function loadModelInNode(entry: ModelEntry, bytes: Uint8Array): Promise<Model> {
  return loadModel(entry, bytes, await nodeLoadOptions());
}
