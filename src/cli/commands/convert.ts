import { loadSplatFile, saveSplatFile } from '../files.ts';
import { progressBar } from '../progress.ts';
import { UsageError } from '../errors.ts';
import { formatForFileName } from '../../io/formats.ts';
import type { Command } from '../main.ts';

export const convertCommand: Command = {
  summary: 'convert between splat formats by extension (.ply INRIA 3DGS, .splat)',
  usage: 'usage: worldsplat convert <in.ply|in.splat> <out.ply|out.splat>',
  options: {},
  async run(positionals) {
    if (positionals.length !== 2) throw new UsageError(`expected an input and an output file, found ${positionals.length} arguments`);
    const [input, output] = positionals;
    formatForFileName(output); // an unknown output format fails before the input is read
    const bar = progressBar();
    const cloud = await loadSplatFile(input, (f, s) => bar.update(f * 0.5, s));
    await saveSplatFile(output, cloud, (f, s) => bar.update(0.5 + f * 0.5, s));
    bar.done();
    process.stderr.write(`${output}: ${cloud.count} splats\n`);
  },
};
