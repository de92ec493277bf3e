import { checkOutputName, checkOutputPlace, droppedFramesNote, loadWorld, saveWorld } from '../files.ts';
import { checkDistinct } from '../output-files.ts';
import { progressBar } from '../progress.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';

export const convertCommand: Command = {
  summary: 'convert between formats by extension (.ply INRIA 3DGS, .splat, .worldsplat bundle)',
  usage: [
    'usage: worldsplat convert <in.ply|in.splat|in.worldsplat> <out.ply|out.splat|out.worldsplat>',
    '  .ply and .splat keep the splats only; a .worldsplat also keeps the posed-frame memory.',
  ].join('\n'),
  options: {},
  async run(positionals) {
    if (positionals.length !== 2) throw new UsageError(`expected an input and an output file, found ${positionals.length} arguments`);
    const [input, output] = positionals;
    checkOutputName(output); // an unknown output format fails before the input is read
    await checkOutputPlace(output);
    // Converting onto the input would replace it with what the output format keeps (a .ply's extra
    // properties, a bundle's frames in a .ply): refused, as a write onto the input everywhere.
    await checkDistinct(input, [['output', output]]);
    const bar = progressBar();
    const world = await loadWorld(input, (f, s) => bar.update(f * 0.5, s));
    await saveWorld(output, world, (f, s) => bar.update(0.5 + f * 0.5, s));
    bar.done();
    process.stderr.write(`${output}: ${world.splats.count} splats\n`);
    const dropped = droppedFramesNote(output, world);
    if (dropped) process.stderr.write(`${dropped}\n`);
  },
};
