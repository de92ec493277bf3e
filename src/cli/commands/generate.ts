import { readFile } from 'node:fs/promises';
import { checkOutputName, saveWorld } from '../files.ts';
import { progressBar } from '../progress.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';

export const generateCommand: Command = {
  summary: 'turn a photo into a splat world (the photo camera is the origin, looking down -Z)',
  usage: [
    'usage: worldsplat generate <photo.jpg|png|webp> -o world.ply|world.splat|world.worldsplat [--fov 60] [--model builtin|depth-anything-v2-small]',
    '                           [--max-size 1024]',
    "  --fov: the photo's vertical field of view in degrees (default 60);",
    '  --model: a downloadable model is fetched once, verified and cached; offline, the built-in model serves.',
  ].join('\n'),
  options: {
    output: { type: 'string', short: 'o' },
    fov: { type: 'string', default: '60' },
    model: { type: 'string', default: 'builtin' },
    'max-size': { type: 'string', default: '1024' },
  },
  async run(positionals, values) {
    if (positionals.length !== 1) throw new UsageError(`expected one photo, found ${positionals.length} arguments`);
    if (!values.output) throw new UsageError('missing --output (-o)');
    const output = values.output as string;
    checkOutputName(output); // an unknown output format fails before any work
    const fov = Number(values.fov);
    if (!(fov > 0 && fov < 180)) throw new Error(`--fov: expected degrees between 0 and 180, found "${values.fov}"`);
    const maxLongSide = Number(values['max-size']);
    if (!(Number.isInteger(maxLongSide) && maxLongSide >= 16 && maxLongSide <= 4096)) {
      throw new Error(`--max-size: expected an integer number of pixels from 16 to 4096, found "${values['max-size']}"`);
    }

    // Loaded here rather than at the top: libvips and onnxruntime take a while to load, and the other
    // commands should not pay for them.
    const [{ NodePhotoDecoder }, { BUILTIN_MODEL_ID }, { generateFromPhoto, frameOfView }, { World }, { loadManifest, openModel }] = await Promise.all([
      import('../../io/photo/node-decoder.ts'),
      import('../../model/index.ts'),
      import('../../world/generate.ts'),
      import('../../world/world.ts'),
      import('../models.ts'),
    ]);
    const bar = progressBar();
    const warn = (line: string) => process.stderr.write(`${line}\n`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(positionals[0]));
    } catch {
      throw new Error(`${positionals[0]}: expected a readable photo file, found none`);
    }
    const photo = await new NodePhotoDecoder().decode(bytes, { maxLongSide });
    bar.update(0.05, 'decode');
    const manifest = await loadManifest();
    const id = values.model as string;
    const model = await openModel(id, manifest, warn, (f, s) => bar.update(0.05 + 0.15 * f, s));
    const reference = model.entry.task === 'relative-inverse-depth' ? await openModel(BUILTIN_MODEL_ID, manifest, warn) : undefined;
    try {
      const view = await generateFromPhoto(photo, model, {
        verticalFovDegrees: fov,
        metricReference: reference,
        onProgress: (f, s) => bar.update(0.2 + 0.7 * f, s),
      });
      const world = World.empty(view.splats.shDegree);
      world.append(frameOfView(view), view.splats);
      await saveWorld(output, world, (f, s) => bar.update(0.9 + 0.1 * f, s));
      bar.done();
      process.stderr.write(`${output}: ${view.splats.count} splats from a ${photo.width}x${photo.height} photo (model ${model.entry.id})\n`);
    } finally {
      await Promise.all([model.release(), reference?.release()]);
    }
  },
};
