/** Types for early-model-worker.mjs (plain JavaScript: bin/worldsplat.mjs runs it before any TypeScript loads). */
import type { Worker } from 'node:worker_threads';
export function startEarlyModelWorker(args: readonly string[]): void;
export function takeEarlyModelWorker(): { worker: Worker; startedAt: number; died: string | undefined } | undefined;
