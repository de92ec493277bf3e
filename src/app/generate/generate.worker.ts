/**
 * The generator's Web Worker: photo bytes (or a prompt) in, splats out, off the main thread so the
 * viewer keeps drawing while a world is made. Decoding (the browser's own decoders), the depth model
 * (onnxruntime-web, WebGPU where present, else WebAssembly) and lift all run here.
 *
 * The built-in model ships in models/ (not public/): Vite serves it in development and emits it as an
 * asset in a build through the import.meta.glob URL map below, so the ONNX file keeps one home and
 * the manifest's `file` names it. onnxruntime-web finds its .wasm beside its own module (see
 * src/model/session.ts), which Vite serves (dev; the package is kept out of pre-bundling for that) or
 * emits (build). The model is loaded once, on the first job, and kept.
 */
/// <reference lib="webworker" />
import manifestJson from '../../../models/manifest.json';
import { BrowserPhotoDecoder } from '../../io/photo/browser-decoder.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import { BUILTIN_MODEL_ID, MemoryModelCache, type Model, loadModel, parseManifest, resolveModel } from '../../model/index.ts';
import { Pose, intrinsicsFromFov, verticalFovDegrees } from '../../core/camera.ts';
import { type GeneratedView, frameOfView, generateFromPhoto } from '../../world/generate.ts';
import type { Completer } from '../../world/expand/completer.ts';
import { expandView, prepareExpansion, warmUpView, worldPrompt } from '../../world/expand/expand-view.ts';
import { warmUpExpansion } from '../../world/expand/expansion-warm-up.ts';
import { ModelCompleter } from '../../world/expand/model-completer.ts';
import { texturedInpainter } from '../../world/expand/mirror-detail.ts';
import { SplitCompleter } from '../../world/expand/split-completer.ts';
import { splitTextureAhead } from '../../world/expand/texture-warm-up.ts';
import { ProceduralCompleter } from '../../world/text/procedural-completer.ts';
import { RenderCloudCache } from '../../world/lod/render-cloud.ts';
import { World } from '../../world/world.ts';
import { generateFromText } from '../../world/text/text-world.ts';
import { type ExpandJob, type FromWorker, GROW_LONG_SIDE, type ToWorker, cloudFromMessage, cloudToMessage, frameFromMessage, frameToMessage, uniqueBuffers } from './generate-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/** models/<file> -> the URL it is served at. */
const SHIPPED_URLS: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob('../../../models/*.onnx', { query: '?url', import: 'default', eager: true }) as Record<string, string>).map(
    ([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url],
  ),
);

let model: Promise<Model> | null = null;
/** The world the page shows, as the worker grows it (splats + posed-frame memory). */
let world: World | null = null;
/** Worlds from words are completed by their own scene; others by the completion model (or the inpainter). */
const COMPLETION_MODEL_ID = 'complete';
const procedural = new ProceduralCompleter();
/** the classical fill with texture copied from known patches (texture-synthesis.ts, via mirror-detail.ts) */
const inpaint = texturedInpainter();

/**
 * Grows the world where the camera sees nothing and sends the new splats and their frame. The new
 * splats are the range the new frame records (World.append puts them after all others).
 */
async function expand(job: ExpandJob, signal: AbortSignal, progress: (f: number, s: string) => void, timings: Record<string, number>): Promise<void> {
  if (!world) throw new Error('expand: expected a world to grow, found none');
  const completer: Completer = worldPrompt(world) !== null ? procedural : await modelOrInpaint();
  const w = world;
  const result = await expandView(w, new Pose(job.position, job.rotation), intrinsicsFromFov(job.width, job.height, job.fovDeg), completer, {
    signal, onProgress: progress,
    render: (splats, pose, k, renderSignal) => renderSplats(splats === w.splats ? renderClouds.cloudFor(w, k, pose) : splats, pose, k, { signal: renderSignal }),
  });
  Object.assign(timings, result.timings);
  const base = { type: 'expanded' as const, id: job.id, unknownFraction: result.before.unknownFraction, completer: completer.name, timings };
  if (!result.frame) {
    post({ ...base, splats: null, frame: null });
    return;
  }
  const { splatStart, splatCount } = result.frame;
  const added = world.splats.subset(Int32Array.from({ length: splatCount }, (_, i) => splatStart + i));
  const { message, transfer } = cloudToMessage(added);
  post({ ...base, splats: message, frame: frameToMessage(result.frame) }, transfer);
}
const running = new Map<number, AbortController>();
/**
 * The photo's view, lifted at up to 1024 px, is rendered merged 2x2 at the expansions' 256 px
 * (lod/render-cloud.ts: ~4x fewer splats to render, a truer picture at that size).
 */
const renderClouds = new RenderCloudCache();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function readShipped(file: string): Promise<Uint8Array> {
  const url = SHIPPED_URLS[file];
  if (!url) throw new Error(`expected it among the shipped model files (${Object.keys(SHIPPED_URLS).join(', ') || 'none'}), found no such file`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function openShippedModel(id: string, onProgress: (fraction: number, stage: string) => void = () => undefined): Promise<Model> {
  const manifest = parseManifest(manifestJson, 'models/manifest.json');
  onProgress(0, 'model');
  const resolved = await resolveModel(id, { manifest, fetch: self.fetch.bind(self), cache: new MemoryModelCache(), readShipped });
  onProgress(0.5, 'model');
  return loadModel(resolved.entry, resolved.bytes);
}

let completionModel: Promise<Completer> | null = null;
/** The completion model's own completer once open (for its warm-up run), null until then or without one. */
let modelCompleter: ModelCompleter | null = null;

/**
 * The completer for worlds not made from words: the inpainter's colour with the shipped completion
 * model's depth (manifest id 'complete'; SplitCompleter says why), else the inpainter alone.
 */
function modelOrInpaint(): Promise<Completer> {
  completionModel ??= openShippedModel(COMPLETION_MODEL_ID)
    .then((m): Completer => new SplitCompleter(inpaint, (modelCompleter = new ModelCompleter(m))))
    .catch((error: unknown) => {
      console.warn(`completion model unavailable, using the inpainter: ${error instanceof Error ? error.message : String(error)}`);
      return inpaint;
    });
  return completionModel;
}

let warming: Promise<void> | null = null;

/**
 * The size of the views the page asks to expand: its last expansion's, else GROW_LONG_SIDE at 4:3 (what
 * the viewer asks for on a 4:3 canvas). The texture source and its split are built for this size ahead;
 * a page that then asks for another size builds them at its first expansion, as it would have anyway.
 */
let growSize = { width: GROW_LONG_SIDE, height: Math.round((GROW_LONG_SIDE * 3) / 4) };

/** Set once the expansion's code has been warmed up (V8 keeps it compiled for the worker's life). */
let expansionWarm = false;
/** Stops the running warm-up: every job that arrives aborts it (the warm-up never runs beside a job). */
let warmUpStop: AbortController | null = null;

/**
 * A task boundary: the warm-up awaits one before each of its steps, so a job posted meanwhile runs its
 * onmessage (which aborts the warm-up) before the next step instead of after the whole warm-up.
 */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * When a world not made from words arrives (generated here, or adopted from a file), the completion
 * model is opened and run once on a view of the expansions' size (its first inference is the slow
 * one: WebAssembly compiled by tiers, buffers allocated) and the row guide's statistics and the photo's
 * texture source are built, so the first expansion pays for none of them. Started after the world's
 * message has been posted, so the world appears as soon as before; an expansion asked for meanwhile
 * waits for the model, as it would have at its first expansion anyway (the session runs one inference
 * at a time, in order). Once per worker for the model; the statistics and texture source are per world.
 * Then, once the model is warm, the expansion's own code is warmed up (warmUpExpansion: a tiny synthetic
 * world expanded with the colour fill, the fill run on small views, this world's texture split for
 * growSize; issue #5: otherwise the first expansions run V8's unoptimised code). It yields: one step per
 * task (20 steps; the longest, a cold tiny expansion's half, took 0.3-0.6 s in Node at load 1-5), and any
 * job that arrives stops it before its next step, so an expansion asked for meanwhile waits at most for
 * the step in progress. A warm-up so stopped is not taken up again (the expansion that stopped it runs
 * the same code). Once per worker; for later worlds only the split (it is per world).
 */
function prepareForExpansion(fovDeg: number): void {
  const w = world;
  if (!w || worldPrompt(w) !== null) return;
  const size = growSize;
  const k = intrinsicsFromFov(size.width, size.height, fovDeg);
  const stop = new AbortController();
  warmUpStop = stop;
  setTimeout(() => {
    if (world !== w) return;
    const texture = prepareExpansion(w, k, inpaint).texture;
    warming ??= modelOrInpaint().then(async () => {
      await modelCompleter?.complete(warmUpView(Pose.identity(), k));
    }).catch((error: unknown) => console.warn(`completion model warm-up failed: ${error instanceof Error ? error.message : String(error)}`));
    const split = texture && { source: texture, width: k.width, height: k.height };
    // After the model's warm-up: a first expansion asked for while the model opens waits for the model
    // alone, as before, not also for warm-up steps run between the opening's own steps.
    const warmUp = warming.then(() => {
      stop.signal.throwIfAborted();
      return expansionWarm
        ? nextTask().then(() => splitTextureAhead(inpaint, split, stop.signal))
        : warmUpExpansion(inpaint, split, stop.signal, nextTask).then(() => void (expansionWarm = true));
    }).then(async () => {
      // Last, one step of its own (0.15-0.4 s for a 1024 px photo): the merged splats of the photo's view
      // for the expansions' renders. Made before the warm-up, it held the warm-up back and a Fill asked
      // for meanwhile ran cold code; not made by then, the first expansion makes it.
      await nextTask();
      stop.signal.throwIfAborted();
      const first = w.memory.frames[0];
      if (first && world === w) renderClouds.cloudFor(w, k, first.pose);
    });
    warmUp.catch((error: unknown) => {
      if (!stop.signal.aborted) console.warn(`expansion warm-up failed: ${error instanceof Error ? error.message : String(error)}`);
    }).finally(() => {
      if (warmUpStop === stop) warmUpStop = null;
    });
  }, 0);
}

/** The built-in depth model, opened once (a failed start is tried again on the next call). */
function depthModel(onProgress?: (fraction: number, stage: string) => void): Promise<Model> {
  if (!model) {
    model = openShippedModel(BUILTIN_MODEL_ID, onProgress);
    model.catch(() => (model = null));
  }
  return model;
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const job = event.data;
  if (job.type === 'open-model') {
    depthModel().catch(() => undefined); // its error, if any, comes with the photo that needs it
    return;
  }
  if (job.type !== 'cancel') warmUpStop?.abort();
  if (job.type === 'cancel') {
    running.get(job.id)?.abort();
    return;
  }
  if (job.type === 'adopt') {
    world = World.restore(cloudFromMessage(job.splats), job.frames.map(frameFromMessage));
    const first = world.memory.frames[0];
    if (first) prepareForExpansion(verticalFovDegrees(first.intrinsics));
    return;
  }
  const controller = new AbortController();
  running.set(job.id, controller);
  // Progress at most every 1% so the page is not flooded with messages (and status-line repaints).
  let lastSent = -1;
  const progress = (fraction: number, stage: string) => {
    if (fraction - lastSent < 0.01 && fraction < 1) return;
    lastSent = fraction;
    post({ type: 'progress', id: job.id, fraction, stage });
  };
  const timings: Record<string, number> = {};
  try {
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      timings[name] = now - t;
      t = now;
    };
    if (job.type === 'expand') {
      growSize = { width: job.width, height: job.height };
      await expand(job, controller.signal, progress, timings);
      return;
    }
    let view: GeneratedView, prompt: string | null = null, ignored: string[] = [];
    if (job.type === 'text') {
      const text = generateFromText(job.prompt, { seed: job.seed, verticalFovDegrees: job.fovDeg, signal: controller.signal, onProgress: progress });
      ({ storedPrompt: prompt, ignored } = text);
      view = text;
      lap('generate');
    } else {
      const photo = await new BrowserPhotoDecoder().decode(new Uint8Array(job.bytes), { maxLongSide: job.maxLongSide });
      lap('decode');
      progress(0.05, 'decode');
      const m = await depthModel((f, s) => progress(0.05 + 0.1 * f, s));
      lap('model');
      controller.signal.throwIfAborted();
      view = await generateFromPhoto(photo, m, {
        verticalFovDegrees: job.fovDeg,
        lift: { maxLongSide: job.maxLongSide },
        signal: controller.signal,
        onProgress: (f, s) => progress(0.15 + 0.85 * f, s),
      });
      lap('generate');
    }
    // The worker keeps the new world (copied into World's own storage) to grow it later; the view's
    // arrays then travel to the page.
    world = World.empty(view.splats.shDegree);
    world.append(frameOfView(view, prompt), view.splats);
    const { message: splats, transfer } = cloudToMessage(view.splats);
    const viewMessage = { fovDeg: job.fovDeg, image: view.image, depth: view.depth, confidence: view.confidence ?? null };
    const more = uniqueBuffers([view.image.data, view.depth.data, view.confidence?.data]).filter((b) => !transfer.includes(b));
    post({ type: 'done', id: job.id, splats, view: viewMessage, timings, prompt, ignored }, [...transfer, ...more]);
    prepareForExpansion(job.fovDeg);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    post({ type: 'error', id: job.id, message: controller.signal.aborted ? 'cancelled' : text.split('\n')[0] });
  } finally {
    running.delete(job.id);
  }
};
