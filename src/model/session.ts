/**
 * Running an ONNX model with onnxruntime: onnxruntime-web in the browser, and in Node the native
 * build (onnxruntime-node) where it is installed, with onnxruntime-web's WebAssembly as the fallback.
 *
 * Which build of onnxruntime-web runs: the package's "exports" map picks it. Node resolves
 * `onnxruntime-web` to dist/ort.node.min.mjs, which supports the 'wasm' execution provider only; it
 * finds its WebAssembly next to itself (dist/ort-wasm-simd-threaded.mjs + .wasm, located from its own
 * import.meta.url and read with fs), so a fresh `npm install` works offline with no configuration.
 * Browsers (through Vite) get one of two builds, imported when the first model loads (webRuntime):
 *  - where WebGPU has an adapter, dist/ort.bundle.min.mjs, with 'webgpu' and 'wasm' (its WebAssembly is
 *    the 28 MB ort-wasm-simd-threaded.jsep.wasm);
 *  - elsewhere `onnxruntime-web/wasm`, dist/ort.wasm.bundle.min.mjs, 'wasm' only (14 MB of
 *    WebAssembly). Measured in the viewer's worker (Chromium, no WebGPU adapter, 2 cores; README, "In the
 *    browser"): opening the depth model took 1.3-1.7 s against 3.6-4.9 s on the WebGPU build's
 *    WebAssembly, and the sample photo's generate 1.2-2.4 s against 2.5-4.6 s (the same model, the same
 *    'wasm' provider).
 * Each references its .wasm as `new URL('ort-wasm-simd-threaded[.jsep].wasm', import.meta.url)`, which Vite
 * emits as an asset. An app that serves the .wasm files from somewhere else sets `wasmPaths` through
 * configureRuntime.
 *
 * The native build is not imported here (this file is in the browser's bundle too): Node callers pass
 * it in (LoadOptions.native; src/model/node/load-model.ts does), and its execution provider is 'cpu'.
 * Both builds are the same onnxruntime behind the same API (onnxruntime-common), so everything below
 * runs either; src/model/node/native-runtime.mjs says what the native one saves.
 *
 * The rest of the program sees only `Model`, whose tensors are plain {data, dims}: no onnxruntime type
 * leaks out, and tests can stand in a fake model.
 */
import type * as ort from 'onnxruntime-web';
import type { ModelEntry } from './manifest.ts';

/** 'cpu': onnxruntime's native build in Node (LoadOptions.native); the others are onnxruntime-web's. */
export type ExecutionProvider = 'webgpu' | 'wasm' | 'cpu';

/** onnxruntime's API as this file uses it: the modules onnxruntime-web and onnxruntime-node both are one. */
export interface OrtRuntime {
  InferenceSession: typeof ort.InferenceSession;
  Tensor: typeof ort.Tensor;
}

/** onnxruntime-web's module: the API above and its settings. */
type WebRuntime = OrtRuntime & { env: typeof ort.env };

/** Which onnxruntime-web build a model runs on: 'node' (Node's build), 'webgpu' (the browser build with WebGPU), 'wasm' (the browser build without). */
export type WebBuild = 'node' | 'webgpu' | 'wasm';

/** The build for where this runs: WebGPU's only where a provider list still holds 'webgpu' (an adapter was found). */
export function webBuildFor(inNode: boolean, providers: readonly ExecutionProvider[]): WebBuild {
  if (inNode) return 'node';
  return providers.includes('webgpu') ? 'webgpu' : 'wasm';
}

const runtimes = new Map<WebBuild, Promise<WebRuntime>>();

/** onnxruntime-web's build, imported once (settings applied) on first use. */
function webRuntime(build: WebBuild): Promise<WebRuntime> {
  let runtime = runtimes.get(build);
  if (!runtime) {
    // Node resolves 'onnxruntime-web' to its Node build (package exports); browsers to the WebGPU build.
    const load = build === 'wasm' ? import('onnxruntime-web/wasm') : import('onnxruntime-web');
    runtime = load.then((m) => {
      const web = m as unknown as WebRuntime;
      if (settings.numThreads !== undefined) web.env.wasm.numThreads = settings.numThreads;
      if (settings.wasmPaths !== undefined) web.env.wasm.wasmPaths = settings.wasmPaths;
      return web;
    });
    runtimes.set(build, runtime);
  }
  return runtime;
}

const isNode = (): boolean => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** A WebGPU adapter, asked for as onnxruntime-web asks; false where there is no navigator.gpu or no adapter. */
async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/** The native runtime and the options its sessions open with, or why there is none. */
export type NativeRuntime = { runtime: OrtRuntime; sessionOptions: ort.InferenceSession.SessionOptions } | { why: string };

export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

export interface Model {
  readonly entry: ModelEntry;
  /** The execution provider the session actually started on. */
  readonly executionProvider: ExecutionProvider;
  /** Providers tried first that failed, with why: e.g. "webgpu (No available adapters.)". */
  readonly skippedProviders: readonly string[];
  /** Runs one inference. Calls are queued: an onnxruntime-web session runs one inference at a time. */
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/** What the environment offers, detected once by the caller (or by detectCapabilities) and passed in. */
export interface RuntimeCapabilities {
  webgpu: boolean;
}

/**
 * WebGPU needs navigator.gpu and onnxruntime-web's browser build; its Node build has no WebGPU even
 * where a navigator.gpu exists (Node with a Dawn binding), so Node always reports false.
 */
export function detectCapabilities(): RuntimeCapabilities {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  return { webgpu: !isNode() && g.navigator?.gpu != null };
}

/** WebGPU first where there is one, WebAssembly always as the fallback. */
export function defaultExecutionProviders(capabilities: RuntimeCapabilities): ExecutionProvider[] {
  return capabilities.webgpu ? ['webgpu', 'wasm'] : ['wasm'];
}

export interface RuntimeSettings {
  /**
   * WebAssembly threads. Left unset, onnxruntime-web chooses min(4, ceil(cores / 2)) where threads are
   * possible (Node; browser pages that are cross-origin isolated) and 1 elsewhere, which leaves cores to
   * the renderer and the main thread; the CLI may pass os.availableParallelism() for batch work.
   */
  numThreads?: number;
  /** Folder (URL prefix ending in '/') that serves onnxruntime-web's .mjs/.wasm files, if not beside the script. */
  wasmPaths?: string;
}

let sessionsStarted = 0;
let settings: RuntimeSettings = {};

/** Settings that onnxruntime-web reads once, when its WebAssembly starts: call before the first loadModel. */
export function configureRuntime(next: RuntimeSettings): void {
  if (sessionsStarted > 0) throw new Error('model runtime: configureRuntime must be called before the first model is loaded');
  if (next.numThreads !== undefined && !(Number.isInteger(next.numThreads) && next.numThreads >= 1)) {
    throw new Error(`model runtime: expected numThreads to be a positive integer, found ${next.numThreads}`);
  }
  settings = { ...settings, ...next };
}

export interface LoadOptions {
  /** Tried in order, one at a time, so the model records which one really runs it. */
  executionProviders?: ExecutionProvider[];
  capabilities?: RuntimeCapabilities;
  /** For the 'cpu' provider: onnxruntime's native build (Node only), or why there is none. */
  native?: NativeRuntime;
}

export async function loadModel(entry: ModelEntry, bytes: Uint8Array, options: LoadOptions = {}): Promise<Model> {
  let providers = options.executionProviders ?? defaultExecutionProviders(options.capabilities ?? detectCapabilities());
  if (providers.length === 0) throw new Error(`${entry.id}: expected at least one execution provider, found none`);
  const failures: string[] = [];
  // A browser with navigator.gpu but no adapter (no GPU, or one the browser does not allow) gets the
  // smaller build without WebGPU rather than WebGPU's build falling back to its own WebAssembly.
  if (!isNode() && providers.includes('webgpu') && !(await hasWebGpuAdapter())) {
    failures.push('webgpu (no WebGPU adapter)');
    providers = providers.filter((p) => p !== 'webgpu');
    if (providers.length === 0) throw new Error(`${entry.id}: could not start the model on ${failures.join(' or ')}`);
  }
  const build = webBuildFor(isNode(), providers);
  for (const provider of providers) {
    let session: ort.InferenceSession;
    let runtime: OrtRuntime;
    try {
      if (provider === 'cpu') {
        const native = options.native ?? { why: 'only in Node, with onnxruntime-node' };
        if ('why' in native) throw new Error(native.why);
        runtime = native.runtime;
        session = await runtime.InferenceSession.create(bytes, native.sessionOptions);
      } else {
        sessionsStarted++;
        runtime = await webRuntime(build);
        session = await runtime.InferenceSession.create(bytes, { executionProviders: [provider], graphOptimizationLevel: 'all' });
      }
    } catch (error) {
      failures.push(`${provider} (${firstLine(error)})`);
      continue;
    }
    try {
      checkAgainstManifest(entry, session);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new OrtModel(entry, provider, failures, session, runtime.Tensor);
  }
  throw new Error(`${entry.id}: could not start the model on ${failures.join(' or ')}`);
}

/** What checkAgainstManifest reads of a session (a session on another thread reports these: src/cli/worker-model.ts). */
export type SessionSignature = Pick<ort.InferenceSession, 'inputNames' | 'outputNames' | 'inputMetadata'>;

/** The manifest and the ONNX file must agree on names, element type and any fixed input size. */
export function checkAgainstManifest(entry: ModelEntry, session: SessionSignature): void {
  const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
  for (const input of entry.inputs) {
    // An input that also has an initializer (a default value) is hidden from inputNames by onnxruntime,
    // and onnxruntime-web refuses to feed it; so it cannot be one the manifest asks us to feed.
    if (!session.inputNames.includes(input.name)) {
      throw new Error(`${entry.id}: the manifest names input '${input.name}' but the ONNX file's inputs are ${list(session.inputNames)}`);
    }
    const meta = session.inputMetadata.find((m) => m.name === input.name);
    if (!meta?.isTensor) continue;
    if (meta.type !== 'float32') throw new Error(`${entry.id}: expected input '${input.name}' to be float32, found ${meta.type}`);
    if (input.kind !== 'image') continue;
    const [, , h, w] = meta.shape;
    if (typeof h === 'number' && typeof w === 'number') {
      const r = input.resize;
      if (!('width' in r) || r.width !== w || r.height !== h) {
        const declared = 'width' in r ? `${r.width}x${r.height}` : `longSide ${r.longSide}, multipleOf ${r.multipleOf}`;
        throw new Error(`${entry.id}: the ONNX input '${input.name}' is fixed at ${w}x${h} but the manifest's resize says ${declared}`);
      }
    }
  }
  for (const output of entry.outputs) {
    if (!session.outputNames.includes(output.name)) {
      throw new Error(`${entry.id}: the manifest names output '${output.name}' but the ONNX file's outputs are ${list(session.outputNames)}`);
    }
  }
}

class OrtModel implements Model {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly entry: ModelEntry,
    readonly executionProvider: ExecutionProvider,
    readonly skippedProviders: readonly string[],
    private readonly session: ort.InferenceSession,
    private readonly Tensor: OrtRuntime['Tensor'],
  ) {}

  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const result = this.queue.then(() => this.runNow(feeds));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = new this.Tensor('float32', tensor.data, tensor.dims);
    // Only the outputs the manifest lists are fetched; onnxruntime skips work that feeds nothing else.
    const results = await this.session.run(ortFeeds, this.entry.outputs.map((o) => o.name));
    const out: Record<string, TensorData> = {};
    for (const [name, tensor] of Object.entries(results)) {
      if (tensor.type !== 'float32') throw new Error(`${this.entry.id}: expected output '${name}' to be float32, found ${tensor.type}`);
      // getData copies a GPU-resident tensor to the CPU; on the CPU it returns the data itself.
      out[name] = { data: (await tensor.getData()) as Float32Array, dims: [...tensor.dims] };
    }
    return out;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}
