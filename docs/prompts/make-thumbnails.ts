/**
 * The README's ten-prompt table: each prompt becomes a world (built-in text -> world, seed 1), which
 * the CPU reference renderer draws from the start pose and from the side (eye moved 2 m to the right,
 * turned 30 degrees left), first as generated (black: no splats there yet), then after one growth
 * step at that side pose: the holes (render alpha < 0.5) are filled by the ProceduralCompleter,
 * lifted (only the hole pixels) and appended to the world.
 * Run: node --import tsx docs/prompts/make-thumbnails.ts [--only N]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pose, intrinsicsFromFov } from '../../src/core/camera.ts';
import { encodeRgbaPng } from '../../src/io/png.ts';
import { renderSplats, toRgba8 } from '../../src/render/rasterizer.ts';
import { liftToSplats } from '../../src/world/lift.ts';
import { ProceduralCompleter } from '../../src/world/text/procedural-completer.ts';
import { frameOfTextView, generateFromText, toRgbImage } from '../../src/world/text/text-world.ts';
import { World } from '../../src/world/world.ts';

export const PROMPTS = [
  'a snowy pine forest at dusk',
  'a cosy library with tall shelves',
  'a desert with cacti at noon',
  'a city street at night',
  'three red boxes and a tall stone tower in a meadow',
  'a lake surrounded by mountains at dawn',
  'a foggy beach with palm trees',
  'a bedroom at night with a glowing lamp',
  'a rainy village street with houses and a cathedral',
  'a grand marble hall with columns',
];

const only = process.argv.indexOf('--only');
const W = 224, H = 168;
const k = intrinsicsFromFov(W, H, 60);
const a = (30 * Math.PI) / 180;
const side = Pose.lookAt([2, 0, 0], [2 - Math.sin(a), 0, -Math.cos(a)]);
const rows: string[] = ['| prompt | ignored | splats | time (CPU) | start view | from the side | side, grown once |', '| --- | --- | --- | --- | --- | --- | --- |'];
/** One growth step at `pose`: render, mask the holes, complete them procedurally, lift the holes only, append. */
async function grow(world: World, pose: Pose, prompt: string): Promise<number> {
  const gk = intrinsicsFromFov(512, 384, 60);
  const seen = renderSplats(world.splats, pose, gk);
  const mask = Uint8Array.from(seen.alpha, (a) => (a < 0.5 ? 1 : 0));
  const done = await new ProceduralCompleter().complete({ pose, intrinsics: gk, width: 512, height: 384, rgb: seen.color, depth: seen.depth, mask, prompt });
  const image = toRgbImage({ width: 512, height: 384, rgb: done.rgb, depth: done.depth, normals: new Float32Array(0) });
  const depth = { width: 512, height: 384, data: Float32Array.from(done.depth, (d) => (d > 0 ? d : Infinity)) };
  const splats = liftToSplats({ image, depth, intrinsics: gk, pose }, { keep: mask });
  world.append({ pose, intrinsics: gk, image, depth: { ...depth, data: done.depth }, prompt }, splats);
  return splats.count;
}

for (const [i, prompt] of PROMPTS.entries()) {
  if (only >= 0 && Number(process.argv[only + 1]) !== i) continue;
  // CPU time of this (single-threaded) process: what the generation costs on an idle core, whatever
  // else the shared machine is doing; wall time is printed to the log beside it.
  const c0 = process.cpuUsage(), t0 = performance.now();
  const view = generateFromText(prompt, { seed: 1 });
  const seconds = process.cpuUsage(c0).user / 1e6, wall = (performance.now() - t0) / 1000;
  const world = World.empty(view.splats.shDegree);
  world.append(frameOfTextView(view), view.splats);
  const name = prompt.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 40);
  const save = (suffix: string, pose: Pose) => {
    const r = renderSplats(world.splats, pose, k);
    writeFileSync(join(import.meta.dirname, `${String(i + 1).padStart(2, '0')}-${name}-${suffix}.png`), encodeRgbaPng(W, H, toRgba8(r)));
  };
  save('start', view.pose);
  save('side', side);
  const added = await grow(world, side, view.storedPrompt);
  save('grown', side);
  const file = (s: string) => `docs/prompts/${String(i + 1).padStart(2, '0')}-${name}-${s}.png`;
  rows.push(`| ${prompt} | ${view.ignored.join(', ') || '-'} | ${view.splats.count.toLocaleString('en')} | ${seconds.toFixed(1)} s | ![](${file('start')}) | ![](${file('side')}) | ![](${file('grown')}) |`);
  console.error(`${i + 1}/${PROMPTS.length} ${prompt}: ${seconds.toFixed(2)} s CPU, ${wall.toFixed(1)} s wall; growth added ${added} splats`);
}
console.log(rows.join('\n'));
