/** Types for native-runtime.mjs (plain JavaScript: the model's thread imports it too). */
import type * as ortNode from 'onnxruntime-node';

export const RUNTIME_VARIABLE: string;
export function nativeSessionOptions(graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all'): {
  executionProviders: ['cpu'];
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  intraOpNumThreads: number;
  interOpNumThreads: number;
};
export function nativeRuntimeWanted(env?: Record<string, string | undefined>): boolean;
export function importNativeRuntime(): Promise<{ ort: typeof ortNode } | { why: string }>;
