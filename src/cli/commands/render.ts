import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { length, sub } from '../../core/vec3.ts';
import { encodeDepthPng, encodeRgbaPng } from '../../io/png.ts';
import { renderSplats, toRgba8 } from '../../render/rasterizer.ts';
import { checkOutputPlace, loadWorld } from '../files.ts';
import { checkDistinct, checkExtension, writeWhole } from '../output-files.ts';
import { progressBar } from '../progress.ts';
import { UsageError } from '../errors.ts';
import { decimal, parseVec3 } from '../numbers.ts';
import { MAX_COORDINATE, withinWorld } from '../../world/expand/camera-paths.ts';
import type { Command } from '../main.ts';
import type { Vec3 } from '../../core/vec3.ts';

/**
 * The most pixels a render may have: 8192x8192. The CPU renderer and the PNG take ~57 bytes a pixel
 * at the peak (16384x16384 reached 15.4 GB of RSS and ran 3.6 minutes before this limit).
 */
export const MAX_RENDER_PIXELS = 8192 * 8192;

export function parseSize(text: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(text);
  const w = m ? Number(m[1]) : NaN, h = m ? Number(m[2]) : NaN;
  if (!m || w < 1 || h < 1 || w > 16384 || h > 16384) throw new Error(`--size: expected WIDTHxHEIGHT such as 512x384 (1-16384 each), found "${text}"`);
  return [w, h];
}

/** render's --size: parseSize's, at most MAX_RENDER_PIXELS (explore, which parses sizes too, has its own cap). */
export function renderSize(text: string): [number, number] {
  const [w, h] = parseSize(text);
  if (w * h > MAX_RENDER_PIXELS) throw new Error(`--size: expected at most ${MAX_RENDER_PIXELS} pixels (8192x8192), found ${text} (${w * h})`);
  return [w, h];
}

/** --eye or --target: parseVec3's x,y,z, within MAX_COORDINATE metres of the origin on each axis. */
function pointOption(text: string, what: string): Vec3 {
  const p = parseVec3(text, what);
  if (!withinWorld(p)) throw new Error(`${what}: expected a point within ${MAX_COORDINATE} m of the origin on each axis, found ${JSON.stringify(text)}`);
  return p;
}

/** The camera, with errors that name the options (Pose.lookAt's name neither). */
function poseOf(values: Record<string, string | boolean | undefined>): Pose {
  const eye = pointOption(values.eye as string, '--eye');
  const target = pointOption(values.target as string, '--target');
  const up = parseVec3(values.up as string, '--up');
  if (!(length(sub(target, eye)) > 0)) throw new Error(`--target: expected a point other than --eye, found the same point "${values.target}"`);
  try {
    return Pose.lookAt(eye, target, up);
  } catch {
    // the target differs from the eye, so what lookAt refused is the up vector
    throw new Error(`--up: expected a direction not along the line from --eye to --target, found "${values.up}"`);
  }
}

export const renderCommand: Command = {
  summary: 'render a view with the CPU reference renderer to PNG (and depth as 16-bit PNG in mm)',
  usage: [
    'usage: worldsplat render <file> --eye x,y,z --target x,y,z [--up 0,1,0] [--fov 60] [--size 512x384]',
    '                         -o view.png [--depth depth.png] [--background r,g,b (0..1 each)]',
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
    if (!values.eye) throw new UsageError('expected a camera position (--eye x,y,z), found none');
    if (!values.target) throw new UsageError('expected a point to look at (--target x,y,z), found none');
    if (!values.output) throw new UsageError('expected an output picture (-o view.png), found none');
    const fov = decimal(values.fov as string);
    if (!(fov > 0 && fov < 180)) throw new Error(`--fov: expected a decimal number of degrees between 0 and 180, found "${values.fov}"`);
    const [width, height] = renderSize(values.size as string);
    const pose = poseOf(values);
    const background = parseVec3(values.background as string, '--background');
    // Colours are 0..1 here; 128,128,128 (bytes) would clamp to white without a word.
    if (!background.every((c) => c >= 0 && c <= 1)) throw new Error(`--background: expected r,g,b each from 0 to 1, found "${values.background}"`);
    // Every output is checked before the world is read and rendered.
    const outputs: [string, string][] = [['--output', values.output as string]];
    if (values.depth) outputs.push(['--depth', values.depth as string]);
    for (const [option, path] of outputs) {
      checkExtension(path, '.png', option);
      await checkOutputPlace(path);
    }
    await checkDistinct(positionals[0], outputs);
    const bar = progressBar();
    const { splats } = await loadWorld(positionals[0], (f, s) => bar.update(f * 0.5, s));
    const result = renderSplats(splats, pose, intrinsicsFromFov(width, height, fov), {
      background,
      onProgress: (f, s) => bar.update(0.5 + f * 0.5, s),
    });
    bar.done();
    const files: [string, Uint8Array][] = [[values.output as string, encodeRgbaPng(width, height, toRgba8(result))]];
    if (values.depth) files.push([values.depth as string, encodeDepthPng(width, height, result.depth)]);
    await writeWhole(files);
    // The picture is written (an empty world does look like the background, and a script rendering
    // many views should not stop at one), but a picture of nothing is most often a wrong file or a
    // camera looking away, which the PNG alone would not tell.
    const empty = backgroundOnly(splats.count, result.alpha);
    if (empty) process.stderr.write(`${values.output}: background only: ${empty}\n`);
  },
};

/** Why a render shows nothing but the background, or undefined where it shows something. */
export function backgroundOnly(splats: number, alpha: Float32Array): string | undefined {
  if (splats === 0) return 'the world holds 0 splats';
  // under half an 8-bit step everywhere: the PNG is the background, pixel for pixel
  for (let i = 0; i < alpha.length; i++) if (alpha[i] >= 0.5 / 255) return undefined;
  return `none of the world's ${splats} splats is in view from --eye looking at --target`;
}
