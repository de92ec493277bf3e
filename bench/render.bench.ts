/**
 * CPU reference rasterizer benchmark: 100,000 random splats filling a 256x256 view.
 * Run: node --import tsx bench/render.bench.ts [--splats N] [--size WxH] [--runs R] [--sh D] [--world w.worldsplat]
 *
 * --world: instead of the random cloud, a saved world (e.g. one generated from public/sample-photo.jpg:
 * 655k splats of 4-5 px, the dense case explore renders at every stop) seen from its first frame's pose
 * with that frame's field of view (--size default 512x384 then; its SH degree).
 *
 * Prints the median render time (wall clock, and CPU time of this process, which a busy shared machine
 * disturbs less) and, measured in the same run, two anchors so that figures from a noisy or different
 * machine can be compared as ratios:
 *   - project: the projection step alone over the same cloud (same data, the cheapest full pass);
 *   - fixed: a fixed computation (4M Math.exp + typed-array adds), independent of the renderer.
 */
import { Pose, intrinsicsFromFov, verticalFovDegrees } from '../src/core/camera.ts';
import { randomCloud } from '../src/core/random.ts';
import type { ShDegree } from '../src/core/sh.ts';
import { projectSplats } from '../src/render/project.ts';
import { renderSplats } from '../src/render/rasterizer.ts';
import { sortByKey } from '../src/render/sort.ts';
import { fixedComputation } from './fixed-anchor.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const worldFile = arg('world', '');
const [width, height] = arg('size', worldFile ? '512x384' : '256x256').split('x').map(Number);
const runs = Number(arg('runs', '7'));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median wall and CPU milliseconds of `repeat` calls. */
function time(fn: () => void, repeat: number): { wall: number; cpu: number } {
  const wall: number[] = [], cpu: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const w0 = performance.now(), c0 = cpuMs();
    fn();
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - w0);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(1).padStart(7)} ms wall ${t.cpu.toFixed(1).padStart(7)} ms cpu`;


// The random cloud fills a box of half-size 2 m around the origin; the camera sits 6 m away, 60 degree
// fov, so the whole image is covered, many layers deep.
const { cloud, pose, k } = worldFile ? await worldView(worldFile) : {
  cloud: randomCloud(Number(arg('splats', '100000')), 1, Number(arg('sh', '0')) as ShDegree, 2),
  pose: Pose.lookAt([0.3, 0.5, 6], [0, 0, 0]),
  k: intrinsicsFromFov(width, height, 60),
};
const splats = cloud.count, sh = cloud.shDegree;

async function worldView(file: string) {
  const { loadWorld } = await import('../src/cli/files.ts');
  const world = await loadWorld(file);
  const first = world.memory.frames[0];
  return {
    cloud: world.splats,
    pose: first ? first.pose : Pose.identity(),
    k: intrinsicsFromFov(width, height, first ? verticalFovDegrees(first.intrinsics) : 60),
  };
}

// Warm up the JIT.
for (let i = 0; i < 2; i++) renderSplats(cloud, pose, k);
fixedComputation();

const projectMs = time(() => projectSplats(cloud, pose, k, { near: 0.01, lowPass: 0.3, shDegree: sh }), runs);
const projected = projectSplats(cloud, pose, k, { near: 0.01, lowPass: 0.3, shDegree: sh });
const sortMs = time(() => sortByKey(projected.depth, projected.count), runs);
const fixedMs = time(fixedComputation, runs);
const renderMs = time(() => renderSplats(cloud, pose, k), runs);
const result = renderSplats(cloud, pose, k);
let covered = 0;
for (const a of result.alpha) if (a > 0.5) covered++;

console.log(`render.bench: ${worldFile ? `${worldFile}, ` : ''}${splats} splats (SH degree ${sh}), ${width}x${height}, median of ${runs} runs, node ${process.version}`);
console.log(`  visible after culling      ${projected.count}`);
console.log(`  pixels with alpha > 0.5    ${((100 * covered) / (width * height)).toFixed(1)} %`);
console.log(`  render (total)             ${fmt(renderMs)}`);
console.log(`  anchor: project step alone ${fmt(projectMs)}   render / project = ${(renderMs.cpu / projectMs.cpu).toFixed(2)} (cpu)`);
console.log(`  anchor: fixed computation  ${fmt(fixedMs)}   render / fixed = ${(renderMs.cpu / fixedMs.cpu).toFixed(2)} (cpu)`);
console.log(`  (sort step alone           ${fmt(sortMs)})`);
