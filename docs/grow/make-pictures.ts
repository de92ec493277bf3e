/**
 * The pictures of docs/grow/: a world from the sample photo grown by a full turn on the spot (12 stops
 * of 30 degrees, expandView at 512x384 as `worldsplat explore --path turn` does, with the colour fill of
 * photo worlds, texturedInpainter()), once WITHOUT the photo as a texture source (expandView
 * textureSource: false: the texture synthesis copies only from the view's own known pixels, as before)
 * and once with expandView's defaults (the photo re-rendered as a texture source, texture-source.ts;
 * both with the colour guide by direction), then both worlds rendered by the CPU renderer at the same
 * stops and put side by side (left: no texture source, right: default).
 *
 *   npx worldsplat generate public/sample-photo.jpg -o /tmp/x.worldsplat
 *   nice node --import tsx docs/grow/make-pictures.ts /tmp/x.worldsplat [out-folder, default docs/grow]
 *
 * seam-330.png is the left 320 px of the 330-degree view at full size (where the last fill meets the
 * photo's left edge), no texture source then default; band-330.png the band below the horizon there
 * (default world, rows 130-300 and columns 0-240, 2x). A before/after of a change: run this at both
 * commits into two folders and `convert before/band-330.png after/band-330.png -bordercolor white
 * -border 2x0 +append band-330-before-after.png`. Pictures are written as 256-colour PNGs (ImageMagick
 * `convert`) to keep the folder small.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intrinsicsFromFov, verticalFovDegrees } from '../../src/core/camera.ts';
import { loadWorld } from '../../src/cli/files.ts';
import { encodeRgbaPng } from '../../src/io/png.ts';
import { renderSplats } from '../../src/render/rasterizer.ts';
import { cameraPath } from '../../src/world/expand/camera-paths.ts';
import type { Completer } from '../../src/world/expand/completer.ts';
import { expandView } from '../../src/world/expand/expand-view.ts';
import { texturedInpainter } from '../../src/world/expand/mirror-detail.ts';
import type { World } from '../../src/world/world.ts';

const [input, outDir = join(import.meta.dirname)] = process.argv.slice(2);
if (!input) throw new Error('make-pictures: expected a .worldsplat made from the sample photo, found no argument');
const W = 512, H = 384;

/** The world grown by the turn; `textureSource` undefined = expandView's default. */
async function grown(completer: Completer, textureSource?: boolean): Promise<World> {
  const world = await loadWorld(input);
  const first = world.memory.frames[0];
  const k = intrinsicsFromFov(W, H, verticalFovDegrees(first.intrinsics));
  const depths = Array.from(first.depth).filter((d) => d > 0).sort((a, b) => a - b);
  for (const pose of cameraPath('turn', first.pose, 12, depths[depths.length >> 1] ?? 3)) {
    const t0 = performance.now();
    const r = await expandView(world, pose, k, completer, textureSource === undefined ? {} : { textureSource });
    console.log(`${completer.name}${textureSource === false ? ' (no texture source)' : ''}: +${r.added} splats, ${r.holePixels} hole pixels, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
  return world;
}

const worlds = [await grown(texturedInpainter(), false), await grown(texturedInpainter())];
const labels = 'left no texture source, right default (the photo as texture source)';
const first = worlds[0].memory.frames[0];
const k = intrinsicsFromFov(W, H, verticalFovDegrees(first.intrinsics));
const poses = cameraPath('turn', first.pose, 12, 3);
const work = mkdtempSync(join(tmpdir(), 'grow-'));

/** Stops `stops` (indices into the turn) of both worlds, a row per stop: no texture source | default. */
function sheet(name: string, stops: number[]): void {
  const rgba = new Uint8Array(4 * 2 * W * H * stops.length);
  stops.forEach((s, row) => {
    worlds.forEach((world, col) => {
      const r = renderSplats(world.splats, poses[s], k);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const o = 4 * ((row * H + y) * 2 * W + col * W + x), i = y * W + x;
          for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(255 * Math.min(1, Math.max(0, r.color[3 * i + c])));
          rgba[o + 3] = 255;
        }
      }
    });
  });
  const raw = join(work, `${name}.png`);
  writeFileSync(raw, encodeRgbaPng(2 * W, H * stops.length, rgba));
  execFileSync('convert', [raw, '-resize', '50%', '-colors', '256', join(outDir, `${name}.png`)]);
  if (name === 'turn-180-330') {
    // The loop closure at full size: the left 320 px of the 330-degree view, no texture source then default.
    const crop = (x: number) => ['(', raw, '-crop', `320x${H}+${x}+${H}`, '+repage', ')'];
    execFileSync('convert', [...crop(0), ...crop(W), '+append', '+dither', '-colors', '256', join(outDir, 'seam-330.png')]);
    // The band below the horizon beside the photo's left edge, default world, 2x: rows 130-300, columns 0-240
    // of the 330-degree view (band-330-before-after.png is this picture at two commits, side by side).
    execFileSync('convert', [raw, '-crop', `240x170+${W}+${H + 130}`, '+repage', '-scale', '200%', '+dither', '-colors', '256', join(outDir, 'band-330.png')]);
  }
  console.log(`${join(outDir, `${name}.png`)}: stops ${stops.map((s) => `${30 * (s + 1)} deg`).join(', ')} (${labels})`);
}

sheet('turn-30-90', [0, 2]);
sheet('turn-180-330', [5, 10]);
