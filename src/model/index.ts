/**
 * src/model: running generator models (onnxruntime-web, browser and Node), the model manifest, and the
 * download + verify + cache path. Safe to import anywhere: the Node-only folder cache is deliberately not
 * re-exported here; the CLI imports it from './node/folder-cache.ts' directly.
 */
export { type AlignOptions, type AlignedDepth, type InverseDepthFit, fitInverseDepth, relativeInverseToMetric } from './align.ts';
export { CacheStorageModelCache } from './browser/cache-storage.ts';
export { MemoryModelCache, type ModelCache, modelCacheKey } from './cache.ts';
export { type DownloadFailure, type FetchFn, ModelDownloadError, downloadModel } from './download.ts';
export { type RgbImage, checkRgbImage } from './image.ts';
export {
  BUILTIN_MODEL_ID,
  type FovInputSpec,
  type ImageInputSpec,
  type InputSpec,
  type Licence,
  type Manifest,
  type ModelEntry,
  type ModelTask,
  type OutputSpec,
  type ResizePolicy,
  findModel,
  fovInputOf,
  imageInputOf,
  isRemote,
  mergeManifests,
  parseManifest,
} from './manifest.ts';
export { PRETRAINED_MODELS } from './pretrained.ts';
export { type ModelSource, type ResolveOptions, type ResolvedModel, resolveModel } from './resolve.ts';
export { type DepthMaps, type MetricDepthMaps, type RelativeDepthMaps, type RunDepthOptions, runDepth } from './run-depth.ts';
export {
  type ExecutionProvider,
  type LoadOptions,
  type Model,
  type RuntimeCapabilities,
  type RuntimeSettings,
  type TensorData,
  configureRuntime,
  defaultExecutionProviders,
  detectCapabilities,
  loadModel,
} from './session.ts';
export { ModelVerificationError, sha256Hex, verifyModelBytes } from './verify.ts';
