import { writeFile } from 'node:fs/promises';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { parseVec3 } from '../../core/vec3.ts';
import { encodeDepthPng, encodeRgbaPng } from '../../io/png.ts';
import { renderSplats, toRgba8 } from '../../render/rasterizer.ts';
import { loadWorld } from '../files.ts';
import { progressBar } from '../progress.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';

export function parseSize(text: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(text);
  const w = m ? Number(m[1]) : NaN, h = m ? Number(m[2]) : NaN;
  if (!m || w < 1 || h < 1 || w > 16384 || h > 16384) throw new Error(`--size: expected WIDTHxHEIGHT such as 512x384 (1-16384 each), found "${text}"`);
  return [w, h];
}

export const renderCommand: Command = {
  summary: 'render a view with the CPU reference renderer to PNG (and depth as 16-bit PNG in mm)',
  usage: [
    'usage: worldsplat render <file> --eye x,y,z --target x,y,z [--up 0,1,0] [--fov 60] [--size 512x384]',
    '                         -o view.png [--depth depth.png] [--background r,g,b]',
    '  axes: Y up, the camera looks down -Z (a PLY stores OpenCV axes: (x,y,z) there is (x,-y,-z) here);',
    '  --fov is the vertical field of view in degrees.',
  ].join('\n'),
  options: {
    eye: { type: 'string' },
    target: { type: 'string' },
    up: { type: 'string', default: '0,1,0' },
    fov: { type: 'string', default: '60' },
    size: { type: 'string', default: '512x384' },
    output: { type: 'string', short: 'o' },
    depth: { type: 'string' },
    background: { type: 'string', default: '0,0,0' },
  },
  async run(positionals, values) {
    if (positionals.length !== 1) throw new UsageError(`expected one splat file, found ${positionals.length} arguments`);
    for (const required of ['eye', 'target', 'output'] as const) {
      if (!values[required]) throw new UsageError(`missing --${required === 'output' ? 'output (-o)' : required}`);
    }
    const fov = Number(values.fov);
    if (!(fov > 0 && fov < 180)) throw new Error(`--fov: expected degrees between 0 and 180, found "${values.fov}"`);
    const [width, height] = parseSize(values.size as string);
    const pose = Pose.lookAt(
      parseVec3(values.eye as string, '--eye'),
      parseVec3(values.target as string, '--target'),
      parseVec3(values.up as string, '--up'),
    );
    const background = parseVec3(values.background as string, '--background');
    const bar = progressBar();
    const { splats } = await loadWorld(positionals[0], (f, s) => bar.update(f * 0.5, s));
    const result = renderSplats(splats, pose, intrinsicsFromFov(width, height, fov), {
      background,
      onProgress: (f, s) => bar.update(0.5 + f * 0.5, s),
    });
    bar.done();
    await writeFile(values.output as string, encodeRgbaPng(width, height, toRgba8(result)));
    if (values.depth) await writeFile(values.depth as string, encodeDepthPng(width, height, result.depth));
  },
};
