/**
 * The model manifest: what each model file is, where it comes from, and what goes in and comes out.
 * The format is described for people in MANIFEST.md beside this file; this module is its only parser.
 *
 * The parser is strict on purpose: a manifest is written by hand or by the training export, and a wrong
 * field (a mean given as 0..255 values, a hash with a typo) would otherwise surface much later as a
 * silently wrong depth map. Every error is one line naming the model and the field, what was expected
 * and what was found.
 */
import { JsonReader, describe } from './json-reader.ts';

/** 'complete': a partial view (image, log-depth, hole and sky maps) in, a full view out (rgb, log-depth, sky). */
export type ModelTask = 'depth' | 'relative-inverse-depth' | 'text-to-image' | 'complete';
export const MODEL_TASKS: readonly ModelTask[] = ['depth', 'relative-inverse-depth', 'text-to-image', 'complete'];

/**
 * How an image is brought to the model's input size. In every mode the aspect ratio of the content is
 * kept except 'stretch', and the content is centred.
 *   pad:     scale so the whole image fits, fill the rest by repeating the border pixels;
 *   crop:    scale so the image covers the input, the overhang on the long side is not seen by the model
 *            (its predictions there are the nearest ones the model made);
 *   stretch: scale each axis to the input size; with `multipleOf` the distortion is under one block.
 * The input size is either fixed (`width` and `height`), or follows the image: its long side is scaled to
 * `longSide`, then each side is made a multiple of `multipleOf` (pad: up, crop: down, stretch: nearest).
 */
export type ResizeMode = 'pad' | 'crop' | 'stretch';
export type ResizePolicy =
  | { mode: ResizeMode; width: number; height: number }
  | { mode: ResizeMode; longSide: number; multipleOf: number };

/** The picture. */
export interface ImageInputSpec {
  name: string;
  kind: 'image';
  /** Only NCHW (1 x 3 x H x W) float32 for now. */
  layout: 'NCHW';
  channels: 'RGB' | 'BGR';
  /** Pixel values 0..1 are first mapped linearly onto this range, then normalised: (v - mean) / std. */
  valueRange: [number, number];
  mean: [number, number, number];
  std: [number, number, number];
  resize: ResizePolicy;
  /**
   * Test-time mirror averaging: the model runs on the picture and on its left-right mirror image, and
   * the two outputs are averaged (the mirrored one mirrored back), on the raw outputs. true: every
   * output runDepth reads; a list: the outputs so named, the others from the picture alone (the built-in
   * model keeps its sky decision unaveraged: README, "Mirror average"). Absent: false.
   * Twice the inference for a steadier map (issue #4); only depth models honour it.
   */
  mirrorAverage?: boolean | string[];
}

/**
 * The vertical field of view, in degrees, of the image input as the model receives it (a float32
 * tensor of shape [1]): metric depth from one picture depends on it. runDepth converts the photo's FoV
 * to that of the padded or cropped input grid; `default` is the photo FoV assumed when none is known.
 */
export interface FovInputSpec {
  name: string;
  kind: 'vertical-fov-degrees';
  default: number;
}

/**
 * A per-pixel map on the image input's grid (float32, 1 x 1 x H x W), for completion models:
 *   log-depth  natural log of metric depth where a surface is known, 0 elsewhere
 *   hole       1 where the model is to fill in, 0 where the pixel is known
 *   sky        1 where the pixel is known to be sky, 0 elsewhere
 */
export interface MapInputSpec {
  name: string;
  kind: 'map';
  layout: 'NCHW';
  meaning: 'log-depth' | 'hole' | 'sky';
}

export type InputSpec = ImageInputSpec | FovInputSpec | MapInputSpec;

/**
 * What an output holds, and so how it becomes our units:
 *   log-depth               natural log of metric depth (metres)          -> exp
 *   depth                   metric depth in metres                        -> as is
 *   inverse-depth           1 / metric depth (1/metres)                    -> 1 / x
 *   relative-inverse-depth  affine-ambiguous inverse depth (Depth Anything, MiDaS): larger is nearer;
 *                           only relativeInverseToMetric can turn it into metres
 *   confidence              0..1, higher is more trustworthy
 *   confidence-logit        logit of confidence                            -> sigmoid
 *   normals                 3 channels, unit surface normals in the camera frame named by `frame`
 *   sky                     0..1, probability that the pixel is sky (no surface to lift)
 *   rgb                     3 channels, sRGB-encoded 0..1 (completion models)
 *   other                   kept by the session, ignored by runDepth
 */
export type OutputMeaning =
  | 'log-depth'
  | 'depth'
  | 'inverse-depth'
  | 'relative-inverse-depth'
  | 'confidence'
  | 'confidence-logit'
  | 'normals'
  | 'sky'
  | 'rgb'
  | 'other';
export const OUTPUT_MEANINGS: readonly OutputMeaning[] = [
  'log-depth',
  'depth',
  'inverse-depth',
  'relative-inverse-depth',
  'confidence',
  'confidence-logit',
  'normals',
  'sky',
  'rgb',
  'other',
];

/** 'opengl': x right, y up, z towards the viewer (the program's camera frame); 'opencv': x right, y down, z forward. */
export type NormalsFrame = 'opengl' | 'opencv';

export interface OutputSpec {
  name: string;
  /** NCHW (1 x C x H x W) or NHW (1 x H x W, one channel). */
  layout: 'NCHW' | 'NHW';
  meaning: OutputMeaning;
  /** Free text for people ("metres", "log metres", "relative"); the meaning decides the conversion. */
  units?: string;
  frame?: NormalsFrame;
}

export interface Licence {
  /** SPDX identifier where there is one ("Apache-2.0", "MIT", "CC-BY-NC-4.0"). */
  id: string;
  /** True when the licence forbids commercial use: the app must say so before using the model. */
  nonCommercial: boolean;
  url?: string;
}

interface EntryCommon {
  id: string;
  name: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  licence: Licence;
  task: ModelTask;
  inputs: InputSpec[];
  outputs: OutputSpec[];
  /** Where the weights come from (a paper, a repository, "trained by training/ in this repository"). */
  source?: string;
}
/** A file shipped with the program, named relative to the manifest's folder. */
export type LocalModelEntry = EntryCommon & { file: string; url?: undefined };
/** A file downloaded on demand; the URL names a commit so the bytes behind it cannot change. */
export type RemoteModelEntry = EntryCommon & { url: string; file?: undefined };
export type ModelEntry = LocalModelEntry | RemoteModelEntry;

export interface Manifest {
  models: ModelEntry[];
}

/** The id of the model that ships in models/ and serves whenever a download cannot. */
export const BUILTIN_MODEL_ID = 'builtin';

export const isRemote = (entry: ModelEntry): entry is RemoteModelEntry => entry.url !== undefined;

/** The image input (the parser guarantees exactly one for depth models). */
export function imageInputOf(entry: ModelEntry): ImageInputSpec {
  const input = entry.inputs.find((i): i is ImageInputSpec => i.kind === 'image');
  if (!input) throw new Error(`${entry.id}: expected an image input, found none`);
  return input;
}

export const fovInputOf = (entry: ModelEntry): FovInputSpec | undefined =>
  entry.inputs.find((i): i is FovInputSpec => i.kind === 'vertical-fov-degrees');

export function findModel(manifest: Manifest, id: string): ModelEntry {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) {
    const known = manifest.models.map((m) => `'${m.id}'`).join(', ') || 'none';
    throw new Error(`manifest: no model '${id}' (known: ${known})`);
  }
  return entry;
}

/**
 * Joins manifests, e.g. models/manifest.json (the built-in model) and src/model/pretrained.json (the
 * downloadable ones). The same id twice is an error rather than a silent override.
 */
export function mergeManifests(...manifests: Manifest[]): Manifest {
  const models: ModelEntry[] = [];
  for (const m of manifests) {
    for (const entry of m.models) {
      if (models.some((e) => e.id === entry.id)) throw new Error(`manifest: model '${entry.id}' is listed twice`);
      models.push(entry);
    }
  }
  return { models };
}

// ---------------------------------------------------------------------------------------------------
// Parsing



const ENTRY_KEYS = ['id', 'name', 'file', 'url', 'bytes', 'sha256', 'licence', 'task', 'inputs', 'outputs', 'source'] as const;
const LICENCE_KEYS = ['id', 'nonCommercial', 'url'] as const;
const INPUT_KEYS = ['name', 'kind', 'layout', 'channels', 'valueRange', 'mean', 'std', 'resize', 'mirrorAverage'] as const;
const FOV_INPUT_KEYS = ['name', 'kind', 'default'] as const;
const MAP_INPUT_KEYS = ['name', 'kind', 'layout', 'meaning'] as const;
const OUTPUT_KEYS = ['name', 'layout', 'meaning', 'units', 'frame'] as const;
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** A 40-hex path segment: a git commit, as in https://huggingface.co/<repo>/resolve/<commit>/<file>. */
const COMMIT_SEGMENT = /\/[0-9a-f]{40}\//;

/** Parses manifest JSON (already decoded from text) and checks every field. */
export function parseManifest(json: unknown, label = 'manifest'): Manifest {
  const top: JsonReader = new JsonReader(`${label}:`);
  const root = top.object(json, 'the manifest');
  top.onlyKeys(root, ['version', 'models', '$comment'], 'the manifest');
  if (root.version !== 1) top.fail(`expected version 1, found ${describe(root.version)}`);
  if (!Array.isArray(root.models)) top.fail(`expected models to be an array, found ${describe(root.models)}`);
  const models = root.models.map((raw, index) => parseEntry(raw, index, label));
  return mergeManifests({ models });
}

function parseEntry(raw: unknown, index: number, label: string): ModelEntry {
  const preliminary = new JsonReader(`${label}: model #${index + 1}`);
  const obj = preliminary.object(raw, 'the entry');
  const id = preliminary.string(obj, 'id');
  const r: JsonReader = new JsonReader(`${label}: model '${id}'`);
  if (!ID_PATTERN.test(id)) r.fail(`expected an id of lower-case letters, digits, '.', '_' or '-', found ${describe(id)}`);
  r.onlyKeys(obj, ENTRY_KEYS, 'the entry');

  const sha256 = obj.sha256;
  if (typeof sha256 !== 'string' || !SHA256_PATTERN.test(sha256)) r.fail(`expected a 64-hex sha256, found ${describe(sha256)}`);

  const common: EntryCommon = {
    id,
    name: r.string(obj, 'name'),
    bytes: r.positiveInteger(obj, 'bytes'),
    sha256,
    licence: parseLicence(r, obj.licence),
    task: r.oneOf(obj, 'task', MODEL_TASKS),
    inputs: [],
    outputs: [],
    source: r.optionalString(obj, 'source'),
  };
  if (!Array.isArray(obj.inputs) || obj.inputs.length === 0) r.fail(`expected inputs to be a non-empty array, found ${describe(obj.inputs)}`);
  if (!Array.isArray(obj.outputs) || obj.outputs.length === 0) r.fail(`expected outputs to be a non-empty array, found ${describe(obj.outputs)}`);
  common.inputs = obj.inputs.map((input) => parseInput(r, input));
  common.outputs = obj.outputs.map((output) => parseOutput(r, output));
  checkTaskOutputs(r, common);

  const hasFile = obj.file !== undefined;
  const hasUrl = obj.url !== undefined;
  if (hasFile === hasUrl) r.fail(`expected exactly one of file (shipped) or url (downloaded), found ${hasFile ? 'both' : 'neither'}`);
  if (hasFile) {
    const file = r.string(obj, 'file');
    if (file.startsWith('/') || file.split('/').includes('..')) r.fail(`expected file to be a path inside the manifest's folder, found ${describe(file)}`);
    return { ...common, file };
  }
  const url = r.string(obj, 'url');
  if (!url.startsWith('https://')) r.fail(`expected an https:// url, found ${describe(url)}`);
  if (!COMMIT_SEGMENT.test(url)) r.fail(`expected a url pinned to a commit (a 40-hex path segment, e.g. /resolve/<commit>/), found ${describe(url)}`);
  return { ...common, url };
}

function parseLicence(r: JsonReader, raw: unknown): Licence {
  const obj = r.object(raw, 'licence');
  r.onlyKeys(obj, LICENCE_KEYS, 'licence');
  return { id: r.string(obj, 'id'), nonCommercial: r.boolean(obj, 'nonCommercial'), url: r.optionalString(obj, 'url') };
}

function parseInput(outer: JsonReader, raw: unknown): InputSpec {
  const obj = outer.object(raw, 'each input');
  const name = outer.string(obj, 'name');
  const r: JsonReader = outer.nested(`input '${name}'`);
  const kind = r.oneOf(obj, 'kind', ['image', 'vertical-fov-degrees', 'map'] as const);
  if (kind === 'map') {
    r.onlyKeys(obj, MAP_INPUT_KEYS, 'the input');
    return { name, kind, layout: r.oneOf(obj, 'layout', ['NCHW'] as const), meaning: r.oneOf(obj, 'meaning', ['log-depth', 'hole', 'sky'] as const) };
  }
  if (kind === 'vertical-fov-degrees') {
    r.onlyKeys(obj, FOV_INPUT_KEYS, 'the input');
    const fallback = obj.default;
    if (typeof fallback !== 'number' || !(fallback > 0 && fallback < 180)) {
      r.fail(`expected default to be a field of view between 0 and 180 degrees, found ${describe(fallback)}`);
    }
    return { name, kind, default: fallback };
  }
  r.onlyKeys(obj, INPUT_KEYS, 'the input');
  const layout = r.oneOf(obj, 'layout', ['NCHW'] as const);
  const channels = r.oneOf(obj, 'channels', ['RGB', 'BGR'] as const);
  const [lo, hi] = r.numbers(obj, 'valueRange', 2);
  if (!(hi > lo)) r.fail(`expected valueRange [low, high] with high > low, found [${lo}, ${hi}]`);
  const mean = r.numbers(obj, 'mean', 3) as [number, number, number];
  const std = r.numbers(obj, 'std', 3) as [number, number, number];
  if (!std.every((s) => s > 0)) r.fail(`expected std to be 3 positive numbers, found [${std.join(', ')}]`);
  const input: ImageInputSpec = { name, kind, layout, channels, valueRange: [lo, hi], mean, std, resize: parseResize(r, obj.resize) };
  // Only when given: an absent field stays absent, so entries compare equal to those written without it.
  if (obj.mirrorAverage !== undefined) input.mirrorAverage = parseMirrorAverage(r, obj.mirrorAverage);
  return input;
}

/** true, false, or the names of the outputs to average (checked against the outputs in checkTaskOutputs). */
function parseMirrorAverage(r: JsonReader, value: unknown): boolean | string[] {
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)) return [...value];
  r.fail(`expected mirrorAverage to be true, false or a non-empty list of output names, found ${describe(value)}`);
}

function parseResize(r: JsonReader, raw: unknown): ResizePolicy {
  const obj = r.object(raw, 'resize');
  const mode = r.oneOf(obj, 'mode', ['pad', 'crop', 'stretch'] as const);
  if (obj.width !== undefined || obj.height !== undefined) {
    r.onlyKeys(obj, ['mode', 'width', 'height'], 'resize (fixed size)');
    return { mode, width: r.positiveInteger(obj, 'width'), height: r.positiveInteger(obj, 'height') };
  }
  r.onlyKeys(obj, ['mode', 'longSide', 'multipleOf'], 'resize');
  const longSide = r.positiveInteger(obj, 'longSide');
  const multipleOf = r.positiveInteger(obj, 'multipleOf');
  if (longSide % multipleOf !== 0) r.fail(`expected resize.longSide to be a multiple of resize.multipleOf (${multipleOf}), found ${longSide}`);
  return { mode, longSide, multipleOf };
}

function parseOutput(outer: JsonReader, raw: unknown): OutputSpec {
  const obj = outer.object(raw, 'each output');
  const name = outer.string(obj, 'name');
  const r: JsonReader = outer.nested(`output '${name}'`);
  r.onlyKeys(obj, OUTPUT_KEYS, 'the output');
  const meaning = r.oneOf(obj, 'meaning', OUTPUT_MEANINGS);
  const layout = r.oneOf(obj, 'layout', ['NCHW', 'NHW'] as const);
  const output: OutputSpec = { name, layout, meaning, units: r.optionalString(obj, 'units') };
  if (meaning === 'normals') {
    output.frame = r.oneOf(obj, 'frame', ['opengl', 'opencv'] as const);
    if (layout !== 'NCHW') r.fail(`expected normals in layout 'NCHW' (3 channels), found '${layout}'`);
  } else if (obj.frame !== undefined) {
    r.fail(`expected no frame on a '${meaning}' output (only normals have one), found ${describe(obj.frame)}`);
  }
  return output;
}

/** A depth model must say where its depth is: exactly one depth-like output of the kind its task implies. */
function checkTaskOutputs(r: JsonReader, entry: EntryCommon): void {
  const meanings = entry.outputs.map((o) => o.meaning);
  const count = (m: OutputMeaning[]) => meanings.filter((x) => m.includes(x)).length;
  if (entry.task === 'depth') {
    const n = count(['log-depth', 'depth', 'inverse-depth']);
    if (n !== 1) r.fail(`expected task 'depth' to have exactly one output with meaning 'log-depth', 'depth' or 'inverse-depth', found ${n}`);
  } else if (entry.task === 'relative-inverse-depth') {
    const n = count(['relative-inverse-depth']);
    if (n !== 1) r.fail(`expected task 'relative-inverse-depth' to have exactly one output with meaning 'relative-inverse-depth', found ${n}`);
  }
  if (entry.task === 'complete') {
    const kinds = entry.inputs.map((i) => (i.kind === 'map' ? `map:${i.meaning}` : i.kind));
    for (const need of ['image', 'map:log-depth', 'map:hole', 'map:sky'] as const) {
      const n = kinds.filter((k) => k === need).length;
      if (n !== 1) r.fail(`expected task 'complete' to have exactly one '${need}' input, found ${n}`);
    }
    for (const need of ['rgb', 'log-depth'] as const) {
      if (count([need]) !== 1) r.fail(`expected task 'complete' to have exactly one '${need}' output, found ${count([need])}`);
    }
  } else if (entry.task !== 'text-to-image') {
    const images = entry.inputs.filter((i) => i.kind === 'image').length;
    const fovs = entry.inputs.length - images;
    if (images !== 1 || fovs > 1) r.fail(`expected a depth model to have one image input and at most one field-of-view input, found ${images} and ${fovs}`);
  }
  // Only runDepth mirrors: runComplete would also have to mirror its map inputs, and a flag that a
  // model's runner ignores would claim an averaging that never happens.
  const mirrored = entry.inputs.find((i) => i.kind === 'image' && i.mirrorAverage !== undefined && i.mirrorAverage !== false);
  if (mirrored && entry.task !== 'depth' && entry.task !== 'relative-inverse-depth') {
    r.nested(`input '${mirrored.name}'`).fail(`expected mirrorAverage only on a depth model (task 'depth' or 'relative-inverse-depth'), found it on task '${entry.task}'`);
  }
  if (mirrored?.kind === 'image' && Array.isArray(mirrored.mirrorAverage)) {
    const names = entry.outputs.map((o) => o.name);
    const unknown = mirrored.mirrorAverage.find((n) => !names.includes(n));
    if (unknown !== undefined) r.nested(`input '${mirrored.name}'`).fail(`expected mirrorAverage to name outputs of the model (${names.join(', ')}), found '${unknown}'`);
  }
  for (const single of ['normals', 'sky'] as const) {
    if (count([single]) > 1) r.fail(`expected at most one '${single}' output, found ${count([single])}`);
  }
  if (count(['confidence', 'confidence-logit']) > 1) r.fail(`expected at most one confidence output, found ${count(['confidence', 'confidence-logit'])}`);
}
