/**
 * Remakes every picture in docs/real/ and prints the figures quoted in docs/real/README.md, so the
 * next model update redoes this page in one command (from the repository root, about two minutes):
 *
 *   nice node --import tsx docs/real/make-pictures.ts [work-folder]
 *
 * For each wallpaper photo: `worldsplat generate` (defaults: --fov 60, built-in model, 1024 px), then
 * `worldsplat render` from the photo's pose, orbited 40 degrees to the right and 55 degrees up about
 * the point M metres ahead, where M is the median depth of the non-sky pixels seen from the photo's
 * pose. The figures (depth percentiles, sky share, PSNR) come from the same renderer in-process,
 * because the CLI's 16-bit depth PNG clips at 65.535 m and could not tell far land from the 200 m
 * sky shell. Pictures are written as dithered 256-colour PNGs to keep the folder small; the PSNR is
 * measured before that, on the full-colour render against the downsized photo. The input pose is
 * scored twice: at 320x200 (the pictures; the 1024x640 world seen 3.2x minified, where a pixel shows
 * the nearest of about ten opaque splats: the reference rasterizer, like 3DGS, has no filter for
 * minification) and at the working size the world was lifted at (1024x640, in-process, against the
 * photo as the CLI decodes it): "the photo comes back" is judged there.
 * Worlds and full-colour renders go to the work folder (default: a fresh folder under the OS temp).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Pose, intrinsicsFromFov } from '../../src/core/camera.ts';
import { loadWorld } from '../../src/cli/files.ts';
import { NodePhotoDecoder } from '../../src/io/photo/node-decoder.ts';
import { renderSplats } from '../../src/render/rasterizer.ts';
import { shrinkPhoto } from '../../src/world/lift.ts';

const PHOTOS = [
  { name: 'eveningglow', wallpaper: 'EveningGlow' },
  { name: 'path', wallpaper: 'Path' },
  { name: 'bythewater', wallpaper: 'BytheWater' },
  { name: 'cups', wallpaper: 'ColorfulCups' },
  { name: 'fallenleaf', wallpaper: 'FallenLeaf' },
  { name: 'grey', wallpaper: 'Grey' },
];
const WIDTH = 320, HEIGHT = 200, FOV = 60;
const BACKGROUND = '0.35,0.35,0.4';
const SIDE_DEGREES = 40, UP_DEGREES = 55;
/** the sky shell is at 200 m, land ends at 100 m (lift.ts farLimit): anything beyond 150 m is sky */
const SKY_BEYOND = 150;
/** a sky map is written where at least this share of the picture went to the shell */
const SKY_MAP_SHARE = 0.005;

const here = new URL('.', import.meta.url).pathname;
const work = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'worldsplat-real-'));
mkdirSync(work, { recursive: true });

function cli(...args: string[]): void {
  execFileSync(process.execPath, ['bin/worldsplat.mjs', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** 256 colours, dithered: ~30-60 kB per 320x200 picture instead of ~150 kB. */
async function savePalette(rgb: Uint8Array, file: string): Promise<void> {
  await sharp(rgb, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .png({ palette: true, colours: 256, dither: 1, compressionLevel: 9, effort: 10 })
    .toFile(join(here, file));
}

async function readRgb(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length));
}

function percentile(sorted: Float32Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Median non-sky depth in ten horizontal bands, top to bottom: a level ground under a far horizon
 * grows from the bottom band up; a sky or ceiling that comes nearer towards the top shows as a dip.
 */
function bandMedians(depth: Float32Array, sky: Uint8Array): number[] {
  const bands: number[] = [];
  for (let b = 0; b < 10; b++) {
    const values: number[] = [];
    for (let y = (b * HEIGHT) / 10; y < ((b + 1) * HEIGHT) / 10; y++) {
      for (let x = 0; x < WIDTH; x++) if (!sky[y * WIDTH + x] && depth[y * WIDTH + x] > 0) values.push(depth[y * WIDTH + x]);
    }
    values.sort((a, c) => a - c);
    bands.push(values.length ? +values[values.length >> 1].toFixed(2) : NaN);
  }
  return bands;
}

/**
 * Least-squares plane y = a z + b x + c through the non-sky points of the bottom 30% of rows, in the
 * photo's camera frame (Y up, looking down -Z, z = distance ahead): atan(a) is how steeply the ground
 * rises away from the camera (about 0 for level ground and a level camera, a few degrees where the
 * photo looks slightly down) and -c the camera's height above it.
 */
function groundPlane(depth: Float32Array, sky: Uint8Array): { risesDegrees: number; cameraHeight: number } {
  const f = HEIGHT / 2 / Math.tan((FOV * Math.PI) / 360);
  const s = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], t = [0, 0, 0];
  for (let y = Math.floor(0.7 * HEIGHT); y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const z = depth[y * WIDTH + x];
      if (sky[y * WIDTH + x] || !(z > 0)) continue;
      const r = [z, ((x + 0.5 - WIDTH / 2) / f) * z, 1], up = (-(y + 0.5 - HEIGHT / 2) / f) * z;
      for (let i = 0; i < 3; i++) {
        t[i] += r[i] * up;
        for (let j = 0; j < 3; j++) s[i][j] += r[i] * r[j];
      }
    }
  }
  // Gauss-Jordan on the 3x3 normal equations (well conditioned: z, x and 1 vary independently).
  const m = s.map((row, i) => [...row, t[i]]);
  for (let i = 0; i < 3; i++) {
    const pivot = m[i][i];
    for (let j = i; j < 4; j++) m[i][j] /= pivot;
    for (let k = 0; k < 3; k++) {
      if (k === i) continue;
      const q = m[k][i];
      for (let j = i; j < 4; j++) m[k][j] -= q * m[i][j];
    }
  }
  return { risesDegrees: +((Math.atan(m[0][3]) * 180) / Math.PI).toFixed(0), cameraHeight: +(-m[2][3]).toFixed(2) };
}

/** PSNR of the world rendered from the photo's pose at the size it was lifted at (1024 px long side). */
async function workingSizePsnr(jpg: string, splats: Parameters<typeof renderSplats>[0]): Promise<number> {
  // The photo as `worldsplat generate` decodes it (1024 px long side) and lifts it.
  const photo = await new NodePhotoDecoder().decode(new Uint8Array(readFileSync(jpg)), { maxLongSide: 1024 });
  const { image, intrinsics } = shrinkPhoto(photo, intrinsicsFromFov(photo.width, photo.height, FOV), 1024);
  const render = renderSplats(splats, Pose.identity(), intrinsics);
  let se = 0;
  for (let i = 0; i < image.data.length; i++) se += (Math.min(1, Math.max(0, render.color[i])) - image.data[i] / 255) ** 2;
  return 10 * Math.log10(image.data.length / se);
}

const eyeText = (v: number[]) => v.map((x) => x.toFixed(3)).join(',');
const figures: Record<string, unknown>[] = [];

for (const { name, wallpaper } of PHOTOS) {
  const jpg = `/usr/share/wallpapers/${wallpaper}/contents/images/2560x1600.jpg`;
  const world = join(work, `${name}.worldsplat`);
  process.stderr.write(`${name}: generate\n`);
  cli('generate', jpg, '-o', world);

  const photo = new Uint8Array(await sharp(jpg).resize({ width: WIDTH, height: HEIGHT, fit: 'fill', kernel: 'lanczos3' }).removeAlpha().raw().toBuffer());
  await savePalette(photo, `${name}-photo.png`);

  // Figures from the photo's own pose, in floating point.
  const { splats } = await loadWorld(world);
  const workingPsnr = await workingSizePsnr(jpg, splats);
  const view = renderSplats(splats, Pose.identity(), intrinsicsFromFov(WIDTH, HEIGHT, FOV), { background: [0.35, 0.35, 0.4] });
  const pixels = WIDTH * HEIGHT;
  const sky = new Uint8Array(pixels);
  const land: number[] = [];
  for (let i = 0; i < pixels; i++) {
    const d = view.depth[i];
    if (d > SKY_BEYOND) sky[i] = 1;
    else if (d > 0 && view.alpha[i] > 0.5) land.push(d);
  }
  const sorted = Float32Array.from(land).sort();
  const [p10, p50, p90] = [0.1, 0.5, 0.9].map((p) => percentile(sorted, p));
  const skyShare = sky.reduce((s, v) => s + v, 0) / pixels;
  const m = p50;

  const side = [m * Math.sin((SIDE_DEGREES * Math.PI) / 180), 0, -m + m * Math.cos((SIDE_DEGREES * Math.PI) / 180)];
  const above = [0, m * Math.sin((UP_DEGREES * Math.PI) / 180), -m + m * Math.cos((UP_DEGREES * Math.PI) / 180)];
  const views = { input: [0, 0, 0], side, above };
  let inputPsnr = NaN;
  for (const [label, eye] of Object.entries(views)) {
    const full = join(work, `${name}-${label}.png`);
    const target = label === 'input' ? '0,0,-1' : `0,0,${(-m).toFixed(3)}`;
    cli('render', world, '--eye', eyeText(eye), '--target', target, '--fov', String(FOV), '--size', `${WIDTH}x${HEIGHT}`, '--background', BACKGROUND, '-o', full);
    const rgb = await readRgb(full);
    if (label === 'input') inputPsnr = psnr(rgb, photo);
    await savePalette(rgb, `${name}-${label}.png`);
  }

  if (skyShare >= SKY_MAP_SHARE) {
    // The photo with the sky-shell pixels tinted magenta (60% magenta over the photo).
    const tinted = Uint8Array.from(photo);
    for (let i = 0; i < pixels; i++) {
      if (!sky[i]) continue;
      tinted[3 * i] = Math.round(0.4 * photo[3 * i] + 0.6 * 255);
      tinted[3 * i + 1] = Math.round(0.4 * photo[3 * i + 1]);
      tinted[3 * i + 2] = Math.round(0.4 * photo[3 * i + 2] + 0.6 * 255);
    }
    await savePalette(tinted, `${name}-sky.png`);
  } else {
    rmSync(join(here, `${name}-sky.png`), { force: true }); // a map from an earlier model would mislead
  }

  const row = {
    name, photo: jpg, splats: splats.count, depthP10: +p10.toFixed(2), depthMedian: +p50.toFixed(2), depthP90: +p90.toFixed(2),
    skyShare: +skyShare.toFixed(3), inputPsnrDb: +inputPsnr.toFixed(1), inputPsnrWorkingSizeDb: +workingPsnr.toFixed(1), ground: groundPlane(view.depth, sky),
    bandMediansTopToBottom: bandMedians(view.depth, sky), sideEye: eyeText(side), aboveEye: eyeText(above),
  };
  figures.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
writeFileSync(join(here, 'figures.json'), `[\n${figures.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`);
process.stderr.write(`worlds and full-colour renders in ${work}\n`);
