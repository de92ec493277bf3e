/**
 * One ONNX file of a text-to-image pipeline as an onnxruntime-web session whose inputs and outputs are
 * typed as the pipeline entry says (int32/int64 token ids, int64 timestep, float16 or float32 tensors).
 * ../session.ts serves the depth models, which are float32 in and out; this one converts at the edge so
 * the rest of the pipeline works in plain numbers, and checks the file against the entry when it loads:
 * a wrong name or element type is one line at load time, not a cryptic failure at run time.
 */
import * as ort from 'onnxruntime-web';
import { fromFloat16Array, toFloat16Array } from './float16.ts';
import type { ModelFile, TensorSpec, TensorType } from './spec.ts';

export type Provider = 'webgpu' | 'wasm';

export interface Feed {
  spec: TensorSpec;
  /** Numbers (ids, timesteps and values alike); converted to the spec's element type here. */
  values: ArrayLike<number>;
  dims: readonly number[];
}

export interface Fetched {
  data: Float32Array;
  dims: readonly number[];
}

export interface PipelineSession {
  run(feeds: Feed[], outputs: TensorSpec[]): Promise<Record<string, Fetched>>;
  release(): Promise<void>;
}

export async function createPipelineSession(label: string, file: ModelFile & { inputs: Record<string, TensorSpec>; outputs: Record<string, TensorSpec> }, bytes: Uint8Array, provider: Provider): Promise<PipelineSession> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      ...(file.freeDimensions ? { freeDimensionOverrides: file.freeDimensions } : {}),
    });
  } catch (error) {
    throw new Error(`${label}: could not start on ${provider}: ${firstLine(error)}`);
  }
  try {
    check(label, session, Object.values(file.inputs), 'input');
    check(label, session, Object.values(file.outputs), 'output');
  } catch (error) {
    await session.release();
    throw error;
  }
  return {
    async run(feeds, outputs) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const feed of feeds) ortFeeds[feed.spec.name] = toTensor(feed);
      const results = await session.run(ortFeeds, outputs.map((o) => o.name));
      const out: Record<string, Fetched> = {};
      for (const spec of outputs) {
        const tensor = results[spec.name];
        if (tensor.type !== spec.dtype) throw new Error(`${label}: expected output '${spec.name}' to be ${spec.dtype}, found ${tensor.type}`);
        out[spec.name] = { data: toFloat32(await tensor.getData()), dims: [...tensor.dims] };
        tensor.dispose();
      }
      return out;
    },
    release: () => session.release(),
  };
}

function check(label: string, session: ort.InferenceSession, specs: TensorSpec[], kind: 'input' | 'output'): void {
  const names = kind === 'input' ? session.inputNames : session.outputNames;
  const metadata = kind === 'input' ? session.inputMetadata : session.outputMetadata;
  for (const spec of specs) {
    if (!names.includes(spec.name)) {
      throw new Error(`${label}: the pipeline entry names ${kind} '${spec.name}' but the ONNX file's ${kind}s are ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    const meta = metadata.find((m) => m.name === spec.name);
    if (meta?.isTensor && meta.type !== spec.dtype) {
      throw new Error(`${label}: expected ${kind} '${spec.name}' to be ${spec.dtype} as the pipeline entry says, found ${meta.type} in the ONNX file`);
    }
  }
}

function toTensor(feed: Feed): ort.Tensor {
  const { values, dims } = feed;
  const type: TensorType = feed.spec.dtype;
  switch (type) {
    case 'float32':
      return new ort.Tensor('float32', values instanceof Float32Array ? values : Float32Array.from(values), dims);
    case 'float16':
      return new ort.Tensor('float16', toFloat16Array(values), dims);
    case 'int32':
      return new ort.Tensor('int32', values instanceof Int32Array ? values : Int32Array.from(values), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(Math.round(v)))), dims);
  }
}

/** float16 comes back as Uint16Array bit patterns (or a Float16Array where the engine has one). */
function toFloat32(data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof Uint16Array) return fromFloat16Array(data);
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return Float32Array.from(data as unknown as ArrayLike<number>);
  throw new Error(`model output: expected a numeric tensor, found ${Object.prototype.toString.call(data)}`);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
