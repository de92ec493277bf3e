/**
 * The downloadable pretrained models, from pretrained.json beside this file. Depth Anything V2 Small's
 * pin (commit, byte size, SHA-256) and where each value was checked are in MANIFEST.md.
 */
import { type Manifest, parseManifest } from './manifest.ts';
import pretrainedJson from './pretrained.json' with { type: 'json' };

export const PRETRAINED_MODELS: Manifest = parseManifest(pretrainedJson, 'src/model/pretrained.json');
