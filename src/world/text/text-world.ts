/**
 * Text -> world, built in and offline: the prompt becomes a SceneSpec (parse-prompt.ts), the spec and
 * a seed a procedural scene (build-scene.ts), the scene is ray-cast from the start pose (eye at the
 * origin looking down -Z, DEFAULT_VERTICAL_FOV) to exact colour, depth and normals, and that first view
 * is lifted to splats (lift.ts) as a photo with known depth would be. No model, no network.
 *
 * The world's frames keep the prompt as a string. To rebuild the same scene from a saved world (so
 * it keeps growing the same way, procedural-completer.ts), the seed travels in that string:
 * storedPrompt("a forest", 7) is "a forest [seed 7]", and parseStoredPrompt reads it back; the
 * default seed is left out ("a forest" means seed DEFAULT_SEED).
 */
import { type Intrinsics, Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { FloatField, RgbImage } from '../../core/image.ts';
import type { GeneratedView } from '../generate.ts';
import { DEFAULT_VERTICAL_FOV, frameOfView } from '../generate.ts';
import { type LiftOptions, liftToSplats } from '../lift.ts';
import type { FrameInput } from '../memory/posed-frame-memory.ts';
import { buildScene } from './build-scene.ts';
import { parsePrompt } from './parse-prompt.ts';
import { type RaycastView, raycastView } from './raycast.ts';
import type { Scene } from './scene.ts';
import type { SceneSpec } from './scene-spec.ts';

export const DEFAULT_SEED = 1;

export interface TextWorldOptions {
  /** default DEFAULT_SEED */
  seed?: number;
  /** size of the first view; default 512 x 384 */
  width?: number;
  height?: number;
  /** vertical field of view, degrees; default DEFAULT_VERTICAL_FOV (60) */
  verticalFovDegrees?: number;
  lift?: Omit<LiftOptions, 'signal' | 'onProgress'>;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

export interface TextView extends GeneratedView {
  spec: SceneSpec;
  scene: Scene;
  /** the prompt as stored in the world's frames (seed included when not the default) */
  storedPrompt: string;
  /** words of the prompt the generator did not understand */
  ignored: string[];
}

const SEED_SUFFIX = /\s*\[seed (\d{1,10})\]$/;

export function storedPrompt(prompt: string, seed: number): string {
  const text = prompt.trim();
  // A prompt that itself ends like a seed suffix gets the real one after it, so reading back is exact.
  return seed === DEFAULT_SEED && !SEED_SUFFIX.test(text) ? text : `${text} [seed ${seed}]`;
}

export function parseStoredPrompt(stored: string): { prompt: string; seed: number } {
  const m = SEED_SUFFIX.exec(stored);
  if (!m) return { prompt: stored, seed: DEFAULT_SEED };
  return { prompt: stored.slice(0, m.index), seed: Number(m[1]) };
}

/** The procedural scene of a stored prompt (as a world's frames keep it). */
export function sceneOfStoredPrompt(stored: string): Scene {
  const { prompt, seed } = parseStoredPrompt(stored);
  return buildScene(parsePrompt(prompt), seed);
}

/** Ray-casts the first view and lifts it: everything the world needs for its first frame. */
export function generateFromText(prompt: string, options: TextWorldOptions = {}): TextView {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new Error(`seed: expected an integer from 0 to 4294967295, found ${seed}`);
  }
  const width = options.width ?? 512, height = options.height ?? 384;
  const { signal, onProgress } = options;
  const spec = parsePrompt(prompt);
  onProgress?.(0, 'scene');
  const scene = buildScene(spec, seed);
  const intrinsics = intrinsicsFromFov(width, height, options.verticalFovDegrees ?? DEFAULT_VERTICAL_FOV);
  const pose = Pose.identity();
  onProgress?.(0.05, 'raycast');
  const view = raycastView(scene, pose, intrinsics, signal, (f) => onProgress?.(0.05 + 0.55 * f, 'raycast'));
  const image = toRgbImage(view);
  const depth: FloatField = { width, height, data: Float32Array.from(view.depth, (d) => (d > 0 ? d : Infinity)) };
  const normals: FloatField = { width, height, data: view.normals };
  onProgress?.(0.6, 'lift');
  const splats = liftToSplats(
    { image, depth, normals, intrinsics, pose },
    { ...options.lift, signal, onProgress: (f, s) => onProgress?.(0.6 + 0.4 * f, `lift: ${s}`) },
  );
  onProgress?.(1, 'done');
  return { splats, pose, intrinsics, image, depth, spec, scene, storedPrompt: storedPrompt(prompt, seed), ignored: spec.ignored };
}

/** The world's first frame for a text view: the generated view with its stored prompt. */
export function frameOfTextView(view: TextView): FrameInput {
  return frameOfView(view, view.storedPrompt);
}

export function toRgbImage(view: RaycastView): RgbImage {
  const data = new Uint8Array(view.rgb.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, view.rgb[i])) * 255);
  return { width: view.width, height: view.height, data };
}

export type { Intrinsics };
