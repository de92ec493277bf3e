/**
 * The downloadable pretrained models, from pretrained.json beside this file. Depth Anything V2 Small's
 * pin (commit, byte size, SHA-256) and where each value was checked are in MANIFEST.md.
 *
 * "pipelines" holds multi-file text-to-image models (SD-Turbo); they have their own format and parser
 * (text-to-image/spec.ts), so they are taken out before the one-file manifest parser reads the rest.
 */
import { type Manifest, parseManifest } from './manifest.ts';
import pretrainedJson from './pretrained.json' with { type: 'json' };
import { type TextToImagePipeline, parseTextToImagePipelines } from './text-to-image/spec.ts';

const { pipelines, ...oneFileModels } = pretrainedJson;

export const PRETRAINED_MODELS: Manifest = parseManifest(oneFileModels, 'src/model/pretrained.json');

export const PRETRAINED_PIPELINES: readonly TextToImagePipeline[] = parseTextToImagePipelines(pipelines, 'src/model/pretrained.json');
