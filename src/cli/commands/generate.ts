import { readFile } from 'node:fs/promises';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import type { Manifest, Model } from '../../model/index.ts';
import type { FrameInput } from '../../world/memory/posed-frame-memory.ts';
import type { World } from '../../world/world.ts';
import { checkOutputName, checkOutputPlace, isBundlePath, saveWorld } from '../files.ts';
import { checkDistinct } from '../output-files.ts';
import { progressBar } from '../progress.ts';
import { startTimings } from '../timings.ts';
import { UsageError } from '../errors.ts';
import { decimal, wholeNumber } from '../numbers.ts';
import type { Command } from '../main.ts';

export const generateCommand: Command = {
  summary: 'turn a photo or a sentence into a splat world (the first camera is the origin, looking down -Z)',
  usage: [
    'usage: worldsplat generate <photo.jpg|png|webp> -o world.ply|world.splat|world.worldsplat [--fov 60] [--model builtin|depth-anything-v2-small]',
    '                           [--max-size 1024]',
    '       worldsplat generate --prompt "a snowy pine forest at dusk" [--seed 1] -o world.ply|world.worldsplat [--fov 60] [--max-size 512]',
    "  --fov: the photo's (or first view's) vertical field of view in degrees (default 60);",
    '  --model: a downloadable model is fetched once, verified and cached; offline, the built-in model serves;',
    '  --prompt: built-in, offline: the words pick a procedural scene, the first view is ray-cast (4:3, long side',
    '            --max-size, default 512) and lifted with its exact depth; unknown words are listed as ignored;',
    '  --seed: an integer 0..4294967295 (default 1); the same prompt and seed give the same world.',
  ].join('\n'),
  options: {
    output: { type: 'string', short: 'o' },
    fov: { type: 'string', default: '60' },
    model: { type: 'string', default: 'builtin' },
    'max-size': { type: 'string' },
    prompt: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(positionals, values) {
    if (values.prompt !== undefined) {
      if (positionals.length !== 0) throw new UsageError(`expected a photo or --prompt, found both (${positionals[0]})`);
      return generateFromPrompt(values);
    }
    if (values.seed !== undefined) throw new UsageError('--seed: expected only with --prompt, found it with a photo');
    if (positionals.length !== 1) throw new UsageError(`expected one photo, found ${positionals.length} arguments`);
    if (!values.output) throw new UsageError('expected an output file (-o world.worldsplat), found none');
    const output = values.output as string;
    checkOutputName(output); // an unknown output format fails before any work
    await checkOutputPlace(output);
    await checkDistinct(positionals[0], [['--output', output]]);
    const fov = decimal(values.fov as string);
    if (!(fov > 0 && fov < 180)) throw new Error(`--fov: expected a decimal number of degrees between 0 and 180, found "${values.fov}"`);
    const maxLongSide = wholeNumber((values['max-size'] as string | undefined) ?? '1024');
    if (!(Number.isInteger(maxLongSide) && maxLongSide >= 16 && maxLongSide <= 4096)) {
      throw new Error(`--max-size: expected an integer number of pixels from 16 to 4096, found "${values['max-size']}"`);
    }

    const timings = startTimings();
    const warn = (line: string) => process.stderr.write(`${line}\n`);
    const id = values.model as string;
    // A shipped model starts opening first, on its own thread where a core is free (worker-model.ts):
    // the thread boots and makes the session while the rest of the code loads and the photo decodes
    // here (with no thread, the session is made here between those steps' waits). A
    // downloadable one waits for the photo, so a bad photo never starts a download. Failures surface
    // where they are awaited, after the photo's, in the same order as before.
    const { ModelThread } = await import('../worker-model.ts');
    const thread = ModelThread.start();
    const { loadManifest, openModel } = await import('../models.ts');
    const manifesting = loadManifest();
    // The manifest's entry for a shipped model (undefined for a downloadable one): known long before
    // its session is open.
    const shipping = manifesting.then(async (manifest) => {
      requireDepthModel(manifest, id);
      const { isRemote } = await import('../../model/index.ts');
      return manifest.models.find((m) => m.id === id && !isRemote(m));
    });
    const opening = shipping.then(async (entry) => (entry ? openModel(id, await manifesting, warn, undefined, thread) : undefined));
    opening.catch(() => undefined);
    // The model's bytes go to its thread before this thread blocks on loading libvips and decoding:
    // the session is the longer road. (Not shipped, or failed: nothing to wait for.)
    await Promise.race([thread.sent, opening.then(() => undefined, () => undefined)]);
    let photo;
    try {
      // Loaded here rather than at the top: libvips and onnxruntime take a while to load, and the
      // other commands should not pay for them.
      const { NodePhotoDecoder } = await import('../../io/photo/node-decoder.ts');
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(positionals[0]));
      } catch {
        throw new Error(`${positionals[0]}: expected a readable photo file, found none`);
      }
      photo = await new NodePhotoDecoder().decode(bytes, { maxLongSide });
    } catch (error) {
      await opening.then((m) => m?.release(), () => undefined);
      throw error;
    }
    timings.mark('decode');
    // The thread for the lift's colour band boots now, on the core this thread leaves idle while it
    // waits for the model's depth (colour-thread.ts); none where the model has no thread either.
    const { ColourThread } = await import('../colour-thread.ts');
    const colourThread = ColourThread.start(thread.notRunning);
    const bar = progressBar();
    bar.update(0.05, 'decode');
    const [{ BUILTIN_MODEL_ID }, { generateFromPhoto, frameOfView }, { World }, { pendingModel }] = await Promise.all([
      import('../../model/index.ts'),
      import('../../world/generate.ts'),
      import('../../world/world.ts'),
      import('../pending-model.ts'),
    ]);
    timings.mark('load code');
    const manifest = await manifesting;
    const shipped = await shipping;
    // A shipped model is used before its session is open (pending-model.ts): the photo is prepared
    // for it meanwhile (`opening` is its session whenever `shipped` is set). Any other one is opened
    // (downloaded if need be) here.
    const model = shipped
      ? pendingModel(shipped, opening as Promise<Model>)
      : await openModel(id, manifest, warn, (f, s) => bar.update(0.05 + 0.15 * f, s), thread);
    const reference = model.entry.task === 'relative-inverse-depth' ? await openModel(BUILTIN_MODEL_ID, manifest, warn) : undefined;
    timings.mark('model open');
    let liftStarted = false;
    try {
      const view = await generateFromPhoto(photo, model, {
        verticalFovDegrees: fov,
        metricReference: reference,
        // The colour thread takes the top rows of the lift's colour stage (same splats, bit for bit).
        colourElsewhere: colourThread.runner(),
        onProgress: (f, s) => {
          if (s.startsWith('lift') && !liftStarted) {
            liftStarted = true;
            timings.mark('depth');
          }
          bar.update(0.2 + 0.7 * f, s);
        },
      });
      timings.mark('lift');
      await saveWorld(output, worldOf(view.splats, () => frameOfView(view), World, output), (f, s) => bar.update(0.9 + 0.1 * f, s));
      timings.mark('write');
      bar.done();
      process.stderr.write(`${output}: ${view.splats.count} splats from a ${photo.width}x${photo.height} photo (model ${model.entry.id})\n`);
    } finally {
      await Promise.all([model.release(), reference?.release(), colourThread.close()]);
    }
    timings.report();
    if (process.env.WORLDSPLAT_TIMINGS === '1') {
      for (const line of [thread.timesLine(), colourThread.timesLine()]) if (line) process.stderr.write(`${line}\n`);
    }
  },
};

/**
 * The world to write. A .worldsplat bundle keeps the view as the world's first posed frame, so it is
 * appended to an empty world (which copies the splats and computes the frame's memory). A .ply or
 * .splat holds the splats alone, so they are written as they are: the copy and the memory (downsampled
 * colour, depth and confidence) would be thrown away, and cost ~0.1-0.2 s of a 1024x768 generate.
 * (World is passed in: this module loads it only when a command runs.)
 */
function worldOf(splats: SplatCloud, frame: () => FrameInput, WorldClass: typeof World, output: string): World {
  if (!isBundlePath(output)) return WorldClass.restore(splats, []);
  const world = WorldClass.empty(splats.shDegree);
  world.append(frame(), splats);
  return world;
}

/** --model names a depth model of the manifest (its other models complete views or draw from words). */
function requireDepthModel(manifest: Manifest, id: string): void {
  const depth = manifest.models.filter((m) => m.task === 'depth' || m.task === 'relative-inverse-depth').map((m) => `'${m.id}'`);
  if (!depth.includes(`'${id}'`)) throw new Error(`--model: expected one of ${depth.join(', ')}, found '${id}'`);
}

/** Text -> world with the built-in procedural generator: no model, no network. */
async function generateFromPrompt(values: Record<string, string | boolean | undefined>): Promise<void> {
  if (!values.output) throw new UsageError('expected an output file (-o world.worldsplat), found none');
  const output = values.output as string;
  checkOutputName(output);
  await checkOutputPlace(output);
  const fov = decimal(values.fov as string);
  if (!(fov > 0 && fov < 180)) throw new Error(`--fov: expected a decimal number of degrees between 0 and 180, found "${values.fov}"`);
  const longSide = wholeNumber((values['max-size'] as string | undefined) ?? '512');
  if (!(Number.isInteger(longSide) && longSide >= 16 && longSide <= 4096)) {
    throw new Error(`--max-size: expected an integer number of pixels from 16 to 4096, found "${values['max-size']}"`);
  }
  const seedText = (values.seed as string | undefined) ?? '1';
  const seed = wholeNumber(seedText);
  if (!(seed <= 0xffffffff)) throw new Error(`--seed: expected an integer from 0 to 4294967295, found "${seedText}"`);
  const [{ generateFromText, frameOfTextView }, { World }] = await Promise.all([
    import('../../world/text/text-world.ts'),
    import('../../world/world.ts'),
  ]);
  const bar = progressBar();
  const t0 = performance.now();
  const view = generateFromText(values.prompt as string, {
    seed,
    width: longSide,
    height: Math.max(1, Math.round((longSide * 3) / 4)),
    verticalFovDegrees: fov,
    onProgress: (f, s) => bar.update(0.9 * f, s),
  });
  const t1 = performance.now();
  await saveWorld(output, worldOf(view.splats, () => frameOfTextView(view), World, output), (f, s) => bar.update(0.9 + 0.1 * f, s));
  bar.done();
  const t2 = performance.now();
  const ignored = view.ignored.length > 0 ? `ignored: ${view.ignored.join(', ')}` : 'ignored: none';
  process.stderr.write(`${ignored}\n`);
  process.stderr.write(`${output}: ${view.splats.count} splats from "${view.storedPrompt}" (${view.spec.setting}, ${view.spec.time}, ${view.spec.weather}; ${view.scene.objects.length} things) in ${((t1 - t0) / 1000).toFixed(2)} s, written in ${((t2 - t1) / 1000).toFixed(2)} s\n`);
}
