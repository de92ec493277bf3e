// The viewer is served from the repository root: index.html loads src/app/main.ts, public/ holds
// static assets, and bench/ pages are reachable under the same server for the benchmarks.
import { defineConfig } from 'vite';

export default defineConfig({
  root: '.',
  publicDir: 'public',
  server: { host: '127.0.0.1' },
  build: { outDir: 'dist', target: 'es2022' },
  // Spark inlines its WebAssembly and worker; pre-bundling it only costs start-up time.
  // onnxruntime-web finds its .wasm beside its own module (new URL(..., import.meta.url)): pre-bundled
  // into .vite/deps it would look for the .wasm there and not find it.
  optimizeDeps: { exclude: ['@sparkjsdev/spark', 'onnxruntime-web', 'onnxruntime-web/wasm'] },
  // The generator worker (src/app/generate) is an ES module worker: onnxruntime-web splits into chunks.
  worker: { format: 'es' },
});
