/**
 * Text -> world benchmark: prompt -> first view (ray-cast, 512x384) -> splats, for three prompts of
 * different weight (a room, a forest, mountains), split into parse + scene build, ray cast and lift.
 * Anchor, measured in the same run on the same world: writing it as an INRIA PLY in memory (62 floats
 * per splat), a fixed amount of plain work per splat. Run: node --import tsx bench/text.bench.ts [--runs R]
 */
import { Pose, intrinsicsFromFov } from '../src/core/camera.ts';
import { plyChunks } from '../src/io/ply-writer.ts';
import { liftToSplats } from '../src/world/lift.ts';
import { buildScene } from '../src/world/text/build-scene.ts';
import { parsePrompt } from '../src/world/text/parse-prompt.ts';
import { raycastView } from '../src/world/text/raycast.ts';
import { toRgbImage } from '../src/world/text/text-world.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;
const W = 512, H = 384;
const k = intrinsicsFromFov(W, H, 60);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`prompt -> world at ${W}x${H} (${W * H} splats), median of ${runs}; CPU ms of this process in brackets`);
for (const prompt of ['a cosy library with tall shelves', 'a snowy pine forest at dusk', 'a lake surrounded by mountains at dawn']) {
  const build: number[] = [], cast: number[] = [], lift: number[] = [], total: number[] = [], ply: number[] = [], cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const scene = buildScene(parsePrompt(prompt), 1);
    const t1 = performance.now();
    const view = raycastView(scene, Pose.identity(), k);
    const t2 = performance.now();
    const splats = liftToSplats({
      image: toRgbImage(view),
      depth: { width: W, height: H, data: Float32Array.from(view.depth, (d) => (d > 0 ? d : Infinity)) },
      normals: { width: W, height: H, data: view.normals },
      intrinsics: k,
      pose: Pose.identity(),
    });
    const t3 = performance.now();
    cpu.push(process.cpuUsage(c0).user / 1000);
    let bytes = 0;
    for (const chunk of plyChunks(splats)) bytes += chunk.length;
    const t4 = performance.now();
    if (bytes < splats.count * 248) throw new Error('bench: PLY shorter than its records');
    build.push(t1 - t0); cast.push(t2 - t1); lift.push(t3 - t2); total.push(t3 - t0); ply.push(t4 - t3);
  }
  const m = median(total), a = median(ply);
  console.log(`${prompt.padEnd(40)} total ${m.toFixed(0)} ms [${median(cpu).toFixed(0)}] = scene ${median(build).toFixed(0)} + raycast ${median(cast).toFixed(0)} + lift ${median(lift).toFixed(0)}; anchor PLY write ${a.toFixed(0)} ms; ratio ${(m / a).toFixed(1)}x`);
}
