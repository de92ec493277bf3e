/**
 * The messages between the viewer and its generator worker (generate.worker.ts), and how a
 * SplatCloud and the generated view cross the thread boundary: as their typed arrays, transferred
 * (moved, not copied), so a 650k-splat world costs the main thread no copy and no parse.
 * Pure: no DOM, no Worker; tested in Node.
 */
import { Pose } from '../../core/camera.ts';
import type { PosedFrame } from '../../core/posed-frame.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import type { FloatField, RgbImage } from '../../core/image.ts';

export interface GenerateJob {
  type: 'generate';
  id: number;
  /** for messages: the file the bytes came from */
  name: string;
  bytes: ArrayBuffer;
  /** the photo's vertical field of view, degrees */
  fovDeg: number;
  /** the photo is shrunk so its long side is at most this (one splat per pixel) */
  maxLongSide: number;
}

/** A world from words: the built-in procedural text generator (src/world/text), no model needed. */
export interface TextJob {
  type: 'text';
  id: number;
  prompt: string;
  /** the procedural scene's seed (same prompt and seed, same world); none: the generator's default */
  seed?: number;
  fovDeg: number;
}

/**
 * Long side of the views the viewer asks the worker to expand (the worker's CPU work grows with its
 * square); the worker warms its completer up at this size.
 */
export const GROW_LONG_SIDE = 256;

/**
 * Grow the worker's world where a camera at this pose sees nothing (src/world/expand expandView),
 * rendering and completing at width x height with the given vertical field of view.
 */
export interface ExpandJob {
  type: 'expand';
  id: number;
  position: [number, number, number];
  /** camera-to-world (w, x, y, z) */
  rotation: [number, number, number, number];
  fovDeg: number;
  width: number;
  height: number;
}

/** The world the viewer now shows, opened from a file: the worker grows this one from now on. */
export interface AdoptJob {
  type: 'adopt';
  id: number;
  splats: CloudMessage;
  frames: FrameMessage[];
}

export interface CancelJob {
  type: 'cancel';
  id: number;
}

/**
 * Open the built-in depth model now, before any photo comes: the viewer sends this first thing when its
 * first world will be made from a photo, so the model opens while the page, the renderer and the photo
 * load. No answer; the next photo's job finds the model open, or opening.
 */
export interface OpenModelJob {
  type: 'open-model';
  id: number;
}

export type ToWorker = GenerateJob | TextJob | ExpandJob | AdoptJob | CancelJob | OpenModelJob;

/** The splat columns of a cloud as plain arrays (structured-clone and transfer friendly). */
export interface CloudMessage {
  positions: Float32Array;
  scales: Float32Array;
  rotations: Float32Array;
  opacities: Float32Array;
  colors: Float32Array;
  sh: Float32Array | null;
}

/** What the world keeps of the generated view besides its splats (the posed-frame memory's record). */
export interface ViewMessage {
  fovDeg: number;
  image: RgbImage;
  /** metres along the view axis on the model's grid; Infinity = sky */
  depth: FloatField;
  confidence: FloatField | null;
}

/** A posed frame with its Pose as plain arrays (a class does not survive structured cloning). */
export type FrameMessage = Omit<PosedFrame, 'pose'> & { pose: { position: [number, number, number]; rotation: [number, number, number, number] } };

export function frameToMessage(frame: PosedFrame): FrameMessage {
  return { ...frame, pose: { position: [...frame.pose.position], rotation: [...frame.pose.rotation] } };
}

export function frameFromMessage(message: FrameMessage): PosedFrame {
  return { ...message, pose: new Pose(message.pose.position, message.pose.rotation) };
}

export type FromWorker =
  | { type: 'progress'; id: number; fraction: number; stage: string }
  | {
      type: 'done'; id: number; splats: CloudMessage; view: ViewMessage; timings: Record<string, number>;
      /** the prompt as the world's frames store it (text worlds), and the words the generator did not know */
      prompt: string | null; ignored: string[];
    }
  | {
      type: 'expanded'; id: number;
      /** the new splats and their frame; null when the view had nothing to fill */
      splats: CloudMessage | null; frame: FrameMessage | null;
      unknownFraction: number; completer: string; timings: Record<string, number>;
    }
  | { type: 'error'; id: number; message: string };

/**
 * The cloud's columns trimmed to its count, and the buffers to transfer with them. A column that fills
 * its whole buffer is sent as it is, so after the transfer the cloud is empty: send a cloud you give away.
 */
export function cloudToMessage(cloud: SplatCloud): { message: CloudMessage; transfer: ArrayBuffer[] } {
  const trim = (a: Float32Array, per: number) => (a.length === cloud.count * per && a.byteOffset === 0 && a.buffer.byteLength === a.byteLength ? a : a.slice(0, cloud.count * per));
  const message: CloudMessage = {
    positions: trim(cloud.positions, 3),
    scales: trim(cloud.scales, 3),
    rotations: trim(cloud.rotations, 4),
    opacities: trim(cloud.opacities, 1),
    colors: trim(cloud.colors, 3),
    sh: cloud.sh ? trim(cloud.sh, 3 * cloud.shCoefficients) : null,
  };
  const transfer = uniqueBuffers([message.positions, message.scales, message.rotations, message.opacities, message.colors, message.sh]);
  return { message, transfer };
}

export function cloudFromMessage(message: CloudMessage): SplatCloud {
  return SplatCloud.fromColumns(message);
}

/** Every distinct ArrayBuffer behind `arrays` once (transferring one twice is an error). */
export function uniqueBuffers(arrays: ReadonlyArray<ArrayBufferView | null | undefined>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}
