/**
 * A text-to-image pipeline entry (src/model/pretrained.json, "pipelines"): several files that belong
 * together (tokenizer tables, text encoder, denoiser, decoder), each downloaded, verified and cached on
 * its own, plus the numbers that glue them together (token ids, noise schedule, latent size).
 *
 * It is not a ModelEntry of manifest.ts: that format describes one ONNX file that turns a picture into
 * per-pixel maps. The format is described for people in ../MANIFEST.md; this module is its only parser,
 * and as strict as manifest.ts (unknown fields are errors, every message is one line naming the field).
 *
 * A file whose SHA-256 (or exact byte size) could not be found stays in the entry with `sha256: null`
 * and an `unpinned` note saying why: the loader refuses to download it rather than use unverified bytes.
 */
import { JsonReader, describe } from '../json-reader.ts';
import type { Licence } from '../manifest.ts';

export type TensorType = 'float32' | 'float16' | 'int32' | 'int64';

/** One graph input or output: its name in the ONNX file and the element type the file declares. */
export interface TensorSpec {
  name: string;
  dtype: TensorType;
}

/** A file pinned by content; `sha256` and `bytes` are null when no trustworthy value was found. */
export interface PinnedFile {
  url: string;
  bytes: number | null;
  sha256: string | null;
  /** Why the file is not (fully) pinned; present exactly when sha256 or bytes is null. */
  unpinned?: string;
}

/** An ONNX file of the pipeline. */
export interface ModelFile extends PinnedFile {
  /**
   * Sizes for the file's symbolic dimensions (onnxruntime's freeDimensionOverrides): fixed shapes let the
   * WebGPU backend plan its buffers once. Names are the export's own (e.g. batch_size, height_latent).
   */
  freeDimensions?: Record<string, number>;
}

export interface TextEncoderFile extends ModelFile {
  inputs: { inputIds: TensorSpec };
  outputs: { hiddenStates: TensorSpec };
}
export interface UnetFile extends ModelFile {
  inputs: { sample: TensorSpec; timestep: TensorSpec; encoderHiddenStates: TensorSpec };
  outputs: { noise: TensorSpec };
}
export interface VaeDecoderFile extends ModelFile {
  inputs: { latent: TensorSpec };
  outputs: { image: TensorSpec };
}

export interface PipelineFiles {
  vocab: PinnedFile;
  merges: PinnedFile;
  textEncoder: TextEncoderFile;
  unet: UnetFile;
  vaeDecoder: VaeDecoderFile;
}
export type PipelineFileRole = keyof PipelineFiles;
export const FILE_ROLES: readonly PipelineFileRole[] = ['vocab', 'merges', 'textEncoder', 'unet', 'vaeDecoder'];

export interface TokenizerSpec {
  /** Sequence length the text encoder takes (CLIP: 77, begin and end tokens included). */
  length: number;
  bos: number;
  eos: number;
  /** SD 2.x / SD-Turbo pad with id 0 ('!'), SD 1.x with the end token: it changes the embedding. */
  pad: number;
}

/** The reference (diffusers EulerDiscreteScheduler) settings, reduced to the one step SD-Turbo takes. */
export interface SchedulerSpec {
  betaSchedule: 'scaled_linear';
  betaStart: number;
  betaEnd: number;
  trainSteps: number;
  /** 'trailing': the initial noise is scaled by sigma_max itself, not sqrt(sigma_max^2 + 1). */
  timestepSpacing: 'trailing';
  prediction: 'epsilon';
  /** The single timestep the one-step sampler runs at. */
  timestep: number;
}

export interface TextToImagePipeline {
  id: string;
  name: string;
  task: 'text-to-image';
  licence: Licence;
  source?: string;
  files: PipelineFiles;
  tokenizer: TokenizerSpec;
  /** Width of the text encoder's hidden states (SD 2.x / SD-Turbo: 1024). */
  textEmbeddingWidth: number;
  scheduler: SchedulerSpec;
  /** The VAE latent: 4 x 64 x 64 for 512 x 512 pixels; the decoder takes latent / scalingFactor. */
  latent: { channels: number; height: number; width: number; scalingFactor: number };
  image: { width: number; height: number };
  /**
   * WebGPU features the files need (SD-Turbo's fp16 weights: 'shader-f16'). Checked on the adapter
   * before anything is downloaded, so a GPU that cannot run the model costs no 2.5 GB download.
   */
  webgpuFeatures?: string[];
}

export const isPinned = (file: PinnedFile): file is PinnedFile & { bytes: number; sha256: string } =>
  file.bytes !== null && file.sha256 !== null;

// ---------------------------------------------------------------------------------------------------
// Parsing


/** Fields that may be left out wherever they appear. */
const OPTIONAL = new Set(['source', 'unpinned', 'freeDimensions', 'webgpuFeatures']);

/** Every key known, and every known key present unless it is one of OPTIONAL. */
const exactKeys = (r: JsonReader, obj: Record<string, unknown>, known: readonly string[], what: string): void =>
  r.onlyKeys(obj, known, what, known.filter((k) => !OPTIONAL.has(k)));


const ENTRY_KEYS = ['id', 'name', 'task', 'licence', 'source', 'files', 'tokenizer', 'textEmbeddingWidth', 'scheduler', 'latent', 'image', 'webgpuFeatures'] as const;
const FILE_KEYS = ['url', 'bytes', 'sha256', 'unpinned'] as const;
const MODEL_FILE_KEYS = [...FILE_KEYS, 'inputs', 'outputs', 'freeDimensions'] as const;
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const COMMIT_SEGMENT = /\/[0-9a-f]{40}\//;

const ROLE_IO: Record<'textEncoder' | 'unet' | 'vaeDecoder', { inputs: Record<string, readonly TensorType[]>; outputs: Record<string, readonly TensorType[]> }> = {
  textEncoder: { inputs: { inputIds: ['int32', 'int64'] }, outputs: { hiddenStates: ['float32', 'float16'] } },
  unet: {
    inputs: { sample: ['float32', 'float16'], timestep: ['int64', 'int32', 'float32', 'float16'], encoderHiddenStates: ['float32', 'float16'] },
    outputs: { noise: ['float32', 'float16'] },
  },
  vaeDecoder: { inputs: { latent: ['float32', 'float16'] }, outputs: { image: ['float32', 'float16'] } },
};

/** Parses the "pipelines" array of pretrained.json (or of a test's fixture file). */
export function parseTextToImagePipelines(json: unknown, label = 'pipelines'): TextToImagePipeline[] {
  if (!Array.isArray(json)) throw new Error(`${label}: expected pipelines to be an array, found ${describe(json)}`);
  const pipelines = json.map((raw, index) => parsePipeline(raw, index, label));
  const ids = new Set<string>();
  for (const p of pipelines) {
    if (ids.has(p.id)) throw new Error(`${label}: pipeline '${p.id}' is listed twice`);
    ids.add(p.id);
  }
  return pipelines;
}

function parsePipeline(raw: unknown, index: number, label: string): TextToImagePipeline {
  const pre = new JsonReader(`${label}: pipeline #${index + 1}`);
  const obj = pre.object(raw, 'the entry');
  const id = pre.string(obj, 'id');
  const r = new JsonReader(`${label}: pipeline '${id}'`);
  if (!ID_PATTERN.test(id)) r.fail(`expected an id of lower-case letters, digits, '.', '_' or '-', found ${describe(id)}`);
  exactKeys(r, obj, ENTRY_KEYS, 'the entry');
  r.oneOf(obj, 'task', ['text-to-image'] as const);

  const licenceObj = r.object(obj.licence, 'licence');
  const lr: JsonReader = r.nested('licence');
  const licenceKeys = Object.keys(licenceObj).filter((k) => !['id', 'nonCommercial', 'url'].includes(k));
  if (licenceKeys.length > 0) lr.fail(`has unknown field ${licenceKeys.map((k) => `'${k}'`).join(', ')} (known: id, nonCommercial, url)`);
  const nonCommercial = licenceObj.nonCommercial;
  if (typeof nonCommercial !== 'boolean') lr.fail(`expected nonCommercial to be true or false, found ${describe(nonCommercial)}`);
  const licence: Licence = { id: lr.string(licenceObj, 'id'), nonCommercial };
  if (licenceObj.url !== undefined) licence.url = lr.string(licenceObj, 'url');

  const filesObj = r.object(obj.files, 'files');
  exactKeys(r.nested('files'), filesObj, FILE_ROLES, 'files');
  const files = {} as Record<PipelineFileRole, PinnedFile>;
  for (const role of FILE_ROLES) files[role] = parseFile(r.nested(`file '${role}'`), filesObj[role], role);

  const tok = r.object(obj.tokenizer, 'tokenizer');
  const tr = r.nested('tokenizer');
  exactKeys(tr, tok, ['length', 'bos', 'eos', 'pad'], 'tokenizer');
  const tokenizer: TokenizerSpec = { length: tr.integer(tok, 'length', 3), bos: tr.integer(tok, 'bos', 0), eos: tr.integer(tok, 'eos', 0), pad: tr.integer(tok, 'pad', 0) };

  const sch = r.object(obj.scheduler, 'scheduler');
  const sr = r.nested('scheduler');
  exactKeys(sr, sch, ['betaSchedule', 'betaStart', 'betaEnd', 'trainSteps', 'timestepSpacing', 'prediction', 'timestep'], 'scheduler');
  const trainSteps = sr.integer(sch, 'trainSteps', 2);
  const betaStart = sr.number(sch, 'betaStart', (v) => v > 0 && v < 1, 'a number between 0 and 1');
  const scheduler: SchedulerSpec = {
    betaSchedule: sr.oneOf(sch, 'betaSchedule', ['scaled_linear'] as const),
    betaStart,
    betaEnd: sr.number(sch, 'betaEnd', (v) => v > betaStart && v < 1, `a number between betaStart (${betaStart}) and 1`),
    trainSteps,
    timestepSpacing: sr.oneOf(sch, 'timestepSpacing', ['trailing'] as const),
    prediction: sr.oneOf(sch, 'prediction', ['epsilon'] as const),
    timestep: sr.number(sch, 'timestep', (v) => Number.isInteger(v) && v >= 0 && v < trainSteps, `an integer from 0 to trainSteps - 1 (${trainSteps - 1})`),
  };

  const lat = r.object(obj.latent, 'latent');
  const latr = r.nested('latent');
  exactKeys(latr, lat, ['channels', 'height', 'width', 'scalingFactor'], 'latent');
  const latent = {
    channels: latr.integer(lat, 'channels'),
    height: latr.integer(lat, 'height'),
    width: latr.integer(lat, 'width'),
    scalingFactor: latr.number(lat, 'scalingFactor', (v) => v > 0, 'a positive number'),
  };
  const img = r.object(obj.image, 'image');
  const ir = r.nested('image');
  exactKeys(ir, img, ['width', 'height'], 'image');
  const image = { width: ir.integer(img, 'width'), height: ir.integer(img, 'height') };
  if (image.width % latent.width !== 0 || image.height % latent.height !== 0 || image.width / latent.width !== image.height / latent.height) {
    r.fail(`expected the image size to be the latent size times one integer factor, found ${image.width}x${image.height} for a ${latent.width}x${latent.height} latent`);
  }
  if (latent.channels < 3) r.fail(`expected at least 3 latent channels, found ${latent.channels}`);

  const pipeline: TextToImagePipeline = {
    id,
    name: r.string(obj, 'name'),
    task: 'text-to-image',
    licence,
    files: files as unknown as PipelineFiles,
    tokenizer,
    textEmbeddingWidth: r.integer(obj, 'textEmbeddingWidth'),
    scheduler,
    latent,
    image,
  };
  if (obj.source !== undefined) pipeline.source = r.string(obj, 'source');
  if (obj.webgpuFeatures !== undefined) {
    const features = obj.webgpuFeatures;
    if (!Array.isArray(features) || !features.every((f) => typeof f === 'string' && f.length > 0)) {
      r.fail(`expected webgpuFeatures to be a list of WebGPU feature names, found ${describe(features)}`);
    }
    pipeline.webgpuFeatures = features as string[];
  }
  return pipeline;
}

function parseFile(r: JsonReader, raw: unknown, role: PipelineFileRole): PinnedFile {
  const obj = r.object(raw, 'the file');
  const isModel = role === 'textEncoder' || role === 'unet' || role === 'vaeDecoder';
  exactKeys(r, obj, isModel ? MODEL_FILE_KEYS : FILE_KEYS, 'the file');
  const url = r.string(obj, 'url');
  if (!url.startsWith('https://')) r.fail(`expected an https:// url, found ${describe(url)}`);
  if (!COMMIT_SEGMENT.test(url)) r.fail(`expected a url pinned to a commit (a 40-hex path segment, e.g. /resolve/<commit>/), found ${describe(url)}`);
  const bytes = obj.bytes === null ? null : r.integer(obj, 'bytes');
  let sha256: string | null = null;
  if (obj.sha256 !== null) {
    if (typeof obj.sha256 !== 'string' || !SHA256_PATTERN.test(obj.sha256)) r.fail(`expected a 64-hex sha256 or null, found ${describe(obj.sha256)}`);
    sha256 = obj.sha256;
  }
  const file: PinnedFile = { url, bytes, sha256 };
  if (bytes === null || sha256 === null) {
    if (typeof obj.unpinned !== 'string' || obj.unpinned.length === 0) r.fail(`expected an 'unpinned' note saying why bytes or sha256 is null, found ${describe(obj.unpinned)}`);
    file.unpinned = obj.unpinned;
  } else if (obj.unpinned !== undefined) {
    r.fail(`expected no 'unpinned' note on a file with bytes and sha256, found ${describe(obj.unpinned)}`);
  }
  if (!isModel) return file;
  const io = ROLE_IO[role];
  const model: ModelFile & { inputs: Record<string, TensorSpec>; outputs: Record<string, TensorSpec> } = {
    ...file,
    inputs: parseIo(r.nested('inputs'), obj.inputs, io.inputs),
    outputs: parseIo(r.nested('outputs'), obj.outputs, io.outputs),
  };
  if (obj.freeDimensions !== undefined) {
    const dims = r.object(obj.freeDimensions, 'freeDimensions');
    const fr = r.nested('freeDimensions');
    for (const key of Object.keys(dims)) fr.integer(dims, key);
    model.freeDimensions = dims as Record<string, number>;
  }
  return model;
}

function parseIo(r: JsonReader, raw: unknown, roles: Record<string, readonly TensorType[]>): Record<string, TensorSpec> {
  const obj = r.object(raw, 'the tensors');
  exactKeys(r, obj, Object.keys(roles), 'the tensors');
  const out: Record<string, TensorSpec> = {};
  for (const [role, types] of Object.entries(roles)) {
    const t = r.object(obj[role], role);
    const tr = r.nested(role);
    exactKeys(tr, t, ['name', 'dtype'], role);
    out[role] = { name: tr.string(t, 'name'), dtype: tr.oneOf(t, 'dtype', types) };
  }
  return out;
}
