import { availableParallelism, loadavg } from 'node:os';
import { type Intrinsics, Pose, intrinsicsFromFov, verticalFovDegrees } from '../../core/camera.ts';
import { renderSplats } from '../../render/rasterizer.ts';
import type { Model } from '../../model/index.ts';
import type { Completer, TextureSource } from '../../world/expand/completer.ts';
import type { FrameInput } from '../../world/memory/posed-frame-memory.ts';
import type { World } from '../../world/world.ts';
import { checkOutputName, checkOutputPlace, droppedFramesNote, loadWorld, saveWorld } from '../files.ts';
import { checkDistinct } from '../output-files.ts';
import { UsageError } from '../errors.ts';
import { decimal, wholeNumber } from '../numbers.ts';
import { readPosesText } from '../poses-file.ts';
import type { Command } from '../main.ts';
import { reserveRoom, tourRoom } from '../tour-room.ts';
import { RenderCloud, mergeableGrids } from '../../world/lod/render-cloud.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import { MAX_STOPS } from '../../world/expand/camera-paths.ts';
import { parseSize } from './render.ts';

const MAX_VIEW_PIXELS = 4096 * 4096;

export const exploreCommand: Command = {
  summary: 'walk a camera path through a world, generating what each stop does not see yet',
  usage: [
    'usage: worldsplat explore <world.worldsplat|world.ply|world.splat> --path turn|orbit|walk|poses.json',
    '                          [--steps 12] [--completer auto|hybrid|inpaint|model|procedural] [--size 512x384] [--fov 60]',
    '                          -o bigger.worldsplat|bigger.ply|bigger.splat',
    '  The path starts at the world\'s first remembered view (a .ply or .splat: the origin looking down -Z',
    '  with --fov). turn: on the spot, all the way round; orbit: round a point ahead; walk: forward,',
    '  looking left and right; poses.json: [{"eye":[x,y,z],"target":[x,y,z]}, ...]. Prints for each stop',
    '  the share of the view unknown before and after it was expanded.',
    '  --completer: auto (default: procedural for a world made from a prompt, else hybrid), hybrid (the',
    '  textured inpainter\'s colour with the completion model\'s depth), inpaint (classical, with texture',
    '  copied from known patches), model (the trained',
    '  completion model alone), procedural (a world made from a prompt: the prompt\'s scene itself).',
  ].join('\n'),
  options: {
    output: { type: 'string', short: 'o' },
    path: { type: 'string' },
    steps: { type: 'string', default: '12' },
    completer: { type: 'string', default: 'auto' },
    size: { type: 'string', default: '512x384' },
    fov: { type: 'string' }, // 60 where it is used; no default, so that a --fov that would be ignored is seen
  },
  async run(positionals, values) {
    if (positionals.length !== 1) throw new UsageError(`expected one world file, found ${positionals.length} arguments`);
    if (!values.output) throw new UsageError('expected an output file (-o bigger.worldsplat), found none');
    if (!values.path) throw new UsageError('expected a camera path (--path turn|orbit|walk|poses.json), found none');
    const output = values.output as string;
    checkOutputName(output);
    const steps = wholeNumber(values.steps as string);
    if (!(steps >= 1 && steps <= MAX_STOPS)) throw new Error(`--steps: expected a whole number from 1 to ${MAX_STOPS}, found "${values.steps}"`);
    const [width, height] = parseSize(values.size as string);
    // A stop holds about 330 bytes a pixel (2048x1536: 1.03 GB peak, 14 s a stop on one core), so past
    // this a view size that render takes would be killed for memory, with no message, many minutes in.
    if (width * height > MAX_VIEW_PIXELS) throw new Error(`--size: expected at most ${MAX_VIEW_PIXELS} pixels (4096x4096) for explore's view, found ${values.size} (${width * height})`);
    const fov = values.fov === undefined ? 60 : decimal(values.fov as string);
    if (!(fov > 0 && fov < 180)) throw new Error(`--fov: expected a decimal number of degrees between 0 and 180, found "${values.fov}"`);
    const completerName = values.completer as string;
    if (!['auto', 'hybrid', 'inpaint', 'model', 'procedural'].includes(completerName)) {
      throw new Error(`--completer: expected auto, hybrid, inpaint, model or procedural, found "${completerName}"`);
    }
    const pathArg = values.path as string;
    const [{ cameraPath, parsePoses, PATH_KINDS }, { expandView, worldPrompt }, { coverage }] = await Promise.all([
      import('../../world/expand/camera-paths.ts'),
      import('../../world/expand/expand-view.ts'),
      import('../../world/coverage/coverage.ts'),
    ]);
    let poseList: Pose[] | null = null;
    if (pathArg.toLowerCase().endsWith('.json')) {
      poseList = parsePoses(await readPosesText(pathArg), pathArg);
    } else if (!(PATH_KINDS as readonly string[]).includes(pathArg)) {
      throw new Error(`--path: expected turn, orbit, walk or a poses .json file, found "${pathArg}"`);
    }

    const input = positionals[0];
    await checkOutputPlace(output); // before the tour, which the write would otherwise fail after
    // as render, convert and generate: never onto the input (a .ply's extra properties, or the world
    // as it was, would be lost for good; a new name costs nothing)
    await checkDistinct(input, [['--output', output]]);
    // The completion model starts opening first, on its own thread where a core is free
    // (worker-model.ts), and there runs once on a view of this size (its first run is the slow one)
    // while the world loads and the first expansion's caches are built here. Under --completer auto it
    // is opened before the world says whether it is wanted only with that thread (a world made from
    // words does not use it: it is released unused after the tour, having cost the other core, not
    // the tour's start): the common case, a photo world, should not wait for it. Without the thread
    // (a busy machine) the warm-up run would be the main thread's time either way, so there is none.
    const { reasonNotToThread } = await import('../worker-model.ts');
    const threaded = reasonNotToThread(process.env.WORLDSPLAT_MODEL_THREAD, loadavg()[0], availableParallelism()) === undefined;
    const early = completerName === 'hybrid' || completerName === 'model' || (completerName === 'auto' && threaded)
      ? openWarmModel(intrinsicsFromFov(width, height, fov), completerName === 'auto' ? 'hybrid' : completerName, threaded) : undefined;
    early?.catch(() => undefined); // its failure is reported where it is awaited (it may never be)
    let unused = early; // until a completer holds it
    // Renders each stop's view with a second thread where a core is free (render-thread.ts): started
    // now so it boots while the world loads, and handed the world's splats as soon as they are here.
    const { RenderThread } = await import('../render-thread.ts');
    const renderThread = RenderThread.start(
      reasonNotToThread(process.env.WORLDSPLAT_RENDER_THREAD, loadavg()[0], availableParallelism()),
      (line) => process.stderr.write(`${line}\n`),
    );
    let world: World, intrinsics: Intrinsics, poses: Pose[], completer: { completer: Completer; release: () => Promise<void> };
    let renders: RenderCloud | undefined;
    try {
      world = await loadWorld(input);
      // Nothing to grow from: every stop would be made up whole, aligned to nothing.
      if (world.splats.count === 0) throw new Error(`${input}: expected a world with splats to explore, found 0 splats`);
      // The tour keeps the first remembered view's field of view (the splats were lifted with it):
      // a --fov given for such a world would be ignored, and the user would not know it.
      const remembered = world.memory.frames[0];
      if (values.fov !== undefined && remembered) {
        throw new Error(`--fov: expected only for a world without remembered views (a .ply or .splat), found ${input} with ${world.memory.size} (the tour uses the first one's ${verticalFovDegrees(remembered.intrinsics).toFixed(1)} degrees)`);
      }
      let start: Pose;
      ({ start, intrinsics } = startView(world, width, height, fov));
      poses = poseList ?? cameraPath(pathArg as (typeof PATH_KINDS)[number], start, steps, pathDistance(world));
      const first = poses[0], k = intrinsics, splats = world.splats;
      const room = tourRoom(world.splats.count, poses.length, width, height);
      // The stops render views lifted at 1.5x their pixel density or more (a photo's 1024 px lift at
      // 512x384) merged 2x2, 3-4x faster (lod/render-cloud.ts); merging costs the main thread 0.15-0.4 s
      // for the sample photo, made in the wait for the model below. Otherwise the thread gets the
      // world's own splats now, while the expansion warms up.
      const grids = process.env.WORLDSPLAT_MERGED_RENDER === '0' ? [] : mergeableGrids(world, k, poses);
      if (grids.length === 0) renderThread.sync(splats, room);
      const prompt = worldPrompt(world);
      const name = completerName === 'auto' ? (prompt === null ? 'hybrid' : 'procedural') : completerName;
      // The world does not change before the first stop, so the thread renders its band of that
      // stop's picture before the tour (render-thread.ts: ahead), once the expansion's warm-up is
      // done: the main thread then waits for the model, and the thread does not slow the warm-up.
      // That wait also takes the copy of the world's splats into the tour's room (tour-room.ts),
      // which the first stop's append would otherwise make (without a model to wait for, the same
      // copy is only made before the tour instead of in it).
      const warmedUp = () => {
        renders = RenderCloud.of(world, grids, room);
        renderThread.sync(renders.cloud, room);
        renderThread.ahead(renders.cloud, first, k);
        reserveRoom(splats, room);
      };
      completer = await openCompleter(name, prompt, world, intrinsics, name === 'procedural' ? undefined : early, warmedUp);
      if (name !== 'procedural') unused = undefined;
    } catch (error) {
      await Promise.all([releaseUnused(unused), renderThread.close()]);
      throw error;
    }
    if (process.env.WORLDSPLAT_TIMINGS === '1') {
      process.stderr.write(`ready to explore at ${performance.now().toFixed(0)} ms since the process started\n`);
      if (renders?.merged.from) process.stderr.write(`stops render ${renders.merged.from} splats merged into ${renders.merged.to}\n`);
    }
    try {
      const startCount = world.splats.count;
      // (openCompleter calls warmedUp on every path; the world's own splats if it somehow did not.)
      const cloud = renders ?? RenderCloud.of(world, []);
      const render = { render: (s: SplatCloud, p: Pose, k: Intrinsics, signal?: AbortSignal) => renderThread.render(cloud.follow(s), p, k, signal) };
      for (let s = 0; s < poses.length; s++) {
        const t0 = performance.now();
        const result = await expandView(world, poses[s], intrinsics, completer.completer, render);
        const seconds = (performance.now() - t0) / 1000;
        const after = result.frame ? coverage(world, poses[s], intrinsics, { splats: cloud.follow(world.splats) }).unknownFraction : result.before.unknownFraction;
        const pct = (f: number) => `${(100 * f).toFixed(1)}%`;
        if (process.env.WORLDSPLAT_TIMINGS === '1') {
          process.stderr.write(`step ${s + 1} ms: ${Object.entries(result.timings).map(([stage, ms]) => `${stage} ${ms.toFixed(0)}`).join(', ')}\n`);
          const shared = renderThread.timesLine();
          if (shared) process.stderr.write(`${shared}\n`);
        }
        process.stdout.write(`step ${String(s + 1).padStart(String(poses.length).length)}/${poses.length}  unknown ${pct(result.before.unknownFraction).padStart(6)} -> ${pct(after).padStart(6)}  +${result.added} splats  ${seconds.toFixed(2)} s\n`);
      }
      await saveWorld(output, world);
      process.stderr.write(`${output}: ${world.splats.count} splats (+${world.splats.count - startCount}), ${world.memory.size} frames (completer ${completer.completer.name})\n`);
      const dropped = droppedFramesNote(output, world);
      if (dropped) process.stderr.write(`${dropped}\n`);
    } finally {
      // (The unused model is awaited here rather than before the tour: it is still opening and warming
      // up on its thread, which the tour's start waited for, 1.3-1.8 s on a 2-core machine.)
      await Promise.all([completer.release(), releaseUnused(unused), renderThread.close()]);
    }
  },
};

/**
 * Where the path starts and the view expansion works at: the world's first frame (its field of view),
 * or for splats without memory (a .ply), the origin looking down -Z with `fov`, recorded as the
 * world's first frame (its render from there), as generate would have made it.
 */
function startView(world: World, width: number, height: number, fov: number): { start: Pose; intrinsics: Intrinsics } {
  const first = world.memory.frames[0];
  if (first) return { start: first.pose, intrinsics: intrinsicsFromFov(width, height, verticalFovDegrees(first.intrinsics)) };
  const start = Pose.identity();
  const intrinsics = intrinsicsFromFov(width, height, fov);
  world.memory.add(renderedFrame(world, start, intrinsics), { splatStart: 0, splatCount: world.splats.count });
  return { start, intrinsics };
}

function renderedFrame(world: World, pose: Pose, k: Intrinsics): FrameInput {
  const r = renderSplats(world.splats, pose, k);
  const data = new Uint8Array(3 * k.width * k.height);
  for (let i = 0; i < k.width * k.height; i++) {
    const a = r.alpha[i];
    for (let c = 0; c < 3; c++) data[3 * i + c] = a > 0 ? Math.round(255 * Math.min(1, r.color[3 * i + c] / a)) : 0;
  }
  // Depth only where the splats are solid (as coverage's alpha rule); the far shell (sky) is 0. Where
  // nothing was drawn the view saw nothing, not sky: confidence 0 says so (free-space.ts reads it).
  const depth = Float32Array.from(r.depth, (d, i) => (r.alpha[i] >= 0.5 && d <= 100 ? d : 0));
  const confidence = Float32Array.from(r.alpha, (a) => (a >= 0.5 ? 1 : 0));
  const size = { width: k.width, height: k.height };
  return { pose, intrinsics: k, image: { ...size, data }, depth: { ...size, data: depth }, confidence: { ...size, data: confidence } };
}

/** Metres to the middle of what the start view sees: the median depth of the first frame, else 3 m. */
function pathDistance(world: World): number {
  const first = world.memory.frames[0];
  const depths = first ? Array.from(first.depth).filter((d) => d > 0).sort((a, b) => a - b) : [];
  return depths.length ? depths[depths.length >> 1] : 3;
}

/**
 * The completion model (manifest task 'complete'), opened on its own thread where a core is free;
 * with `warm` run once on a view of the size of `k`. `name`: the completer it is for (messages).
 */
async function openWarmModel(k: Intrinsics, name: string, warm: boolean): Promise<Model> {
  const { ModelThread } = await import('../worker-model.ts');
  const thread = ModelThread.start();
  const { loadManifest, openModel } = await import('../models.ts');
  const manifest = await loadManifest();
  const entry = manifest.models.find((m) => m.task === 'complete');
  if (!entry) throw new Error(`--completer ${name}: expected a completion model (task 'complete') in models/manifest.json, found none (train and export it with training/complete)`);
  const model = await openModel(entry.id, manifest, (line) => process.stderr.write(`${line}\n`), undefined, thread);
  if (!warm) return model;
  try {
    // The same computation as every later run (inference is deterministic: the explored world is
    // the same, array for array, with or without this), done while the main thread has other work.
    const [{ ModelCompleter }, { warmUpView }] = await Promise.all([import('../../world/expand/model-completer.ts'), import('../../world/expand/expand-view.ts')]);
    await new ModelCompleter(model).complete(warmUpView(Pose.identity(), k));
  } catch (error) {
    await model.release();
    throw error;
  }
  return model;
}

async function releaseUnused(early: Promise<Model> | undefined): Promise<void> {
  await early?.then((m) => m.release(), () => undefined);
}

/**
 * The completer, with the first expansion's caches built (prepareExpansion) while the model opens
 * (`early`: openWarmModel's promise, for the completers that use the model); `warmedUp` is called
 * once those and the warm-up are done, before the model is awaited.
 */
async function openCompleter(
  name: string, prompt: string | null, world: World, k: Intrinsics, early: Promise<Model> | undefined, warmedUp: () => void,
): Promise<{ completer: Completer; release: () => Promise<void> }> {
  const { prepareExpansion } = await import('../../world/expand/expand-view.ts');
  if (name === 'inpaint') {
    const inpaint = await texturedInpainter();
    await warmUp(inpaint, k, prepareExpansion(world, k, inpaint).texture);
    warmedUp();
    return { completer: inpaint, release: async () => {} };
  }
  if (name === 'procedural') {
    if (prompt === null) throw new Error('--completer procedural: expected a world made from a prompt (generate --prompt), found one without a prompt');
    const { ProceduralCompleter } = await import('../../world/text/procedural-completer.ts');
    const procedural: Completer = new ProceduralCompleter();
    prepareExpansion(world, k, procedural);
    warmedUp();
    return { completer: procedural, release: async () => {} };
  }
  const opening = early ?? openWarmModel(k, name, false);
  const [{ ModelCompleter }, { SplitCompleter }] = await Promise.all([
    import('../../world/expand/model-completer.ts'),
    import('../../world/expand/split-completer.ts'),
  ]);
  // hybrid: SplitCompleter explains why colour and depth come from different completers. Only its
  // colour completer reads the texture source, so the caches are built before the model is awaited.
  const colour = name === 'model' ? null : await texturedInpainter();
  const prepared = prepareExpansion(world, k, { usesTexture: colour?.usesTexture === true });
  if (colour) await warmUp(colour, k, prepared.texture);
  warmedUp();
  const model = await opening;
  const completer: Completer = colour ? new SplitCompleter(colour, new ModelCompleter(model)) : new ModelCompleter(model);
  return { completer, release: () => model.release() };
}

/**
 * Compiles the expansion's code (with this colour completer) before the first stop and splits the texture
 * source the first stop will hand the colour fill (expansion-warm-up.ts says why and what it saves).
 */
async function warmUp(colour: Completer, k: Intrinsics, texture: TextureSource | undefined): Promise<void> {
  const { warmUpExpansion } = await import('../../world/expand/expansion-warm-up.ts');
  await warmUpExpansion(colour, texture && { source: texture, width: k.width, height: k.height });
}

/** The classical fill with texture copied from known patches (texture-synthesis.ts says why and what it costs). */
async function texturedInpainter(): Promise<Completer> {
  return (await import('../../world/expand/mirror-detail.ts')).texturedInpainter();
}
