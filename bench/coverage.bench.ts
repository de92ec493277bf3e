/**
 * Coverage of a 500,000-splat world: a 20 m x 20 m room (four 5 m walls and the floor, 100k flat
 * splats each), remembered as five views from the middle plus 2,000 unrelated frames elsewhere, so
 * retrieval has something to sift. The query stands near a corner and sees two walls and the floor.
 * Run: node --import tsx bench/coverage.bench.ts [--size 128x96] [--runs 5]
 *
 * Prints the median coverage() time (wall and CPU) and, measured in the same run as anchor, the
 * renderSplats() call it makes (same cloud, pose and resolution): the difference is what coverage
 * adds (retrieval, normals and the per-pixel judgement against the frames).
 */
import { Pose, intrinsicsFromFov } from '../src/core/camera.ts';
import { quatFromAxisAngle } from '../src/core/quat.ts';
import { seededRandom } from '../src/core/random.ts';
import { renderSplats } from '../src/render/rasterizer.ts';
import { HOLE_EMPTY, HOLE_POORLY_SEEN, coverage } from '../src/world/coverage/coverage.ts';
import { type Rectangle, rectangleSplats, viewOf } from '../src/world/coverage/coverage-test-worlds.ts';
import { World } from '../src/world/world.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const [width, height] = arg('size', '128x96').split('x').map(Number);
const runs = Number(arg('runs', '5'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
/** Median wall and CPU ms of each function, run alternately so both share the machine's noise and the GC's. */
function timeAlternately(fns: (() => void)[]): { wall: number; cpu: number }[] {
  for (const fn of fns) fn(); // warm-up
  const wall: number[][] = fns.map(() => []), cpu: number[][] = fns.map(() => []);
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      const w0 = performance.now(), c0 = cpuMs();
      fn();
      cpu[i].push(cpuMs() - c0);
      wall[i].push(performance.now() - w0);
    });
  }
  return fns.map((_, i) => ({ wall: median(wall[i]), cpu: median(cpu[i]) }));
}

const turn = (axis: [number, number, number], deg: number) => quatFromAxisAngle(axis, (deg * Math.PI) / 180);
const wallSpacing = Math.sqrt((20 * 5) / 100_000), floorSpacing = Math.sqrt((20 * 20) / 100_000);
const rooms: { rect: Rectangle; spacing: number; look: [number, number, number] }[] = [
  { rect: { origin: [-10, 0, -10], edgeU: [20, 0, 0], edgeV: [0, 5, 0], rotation: turn([0, 1, 0], 0) }, spacing: wallSpacing, look: [0, 2.5, -10] },
  { rect: { origin: [10, 0, 10], edgeU: [-20, 0, 0], edgeV: [0, 5, 0], rotation: turn([0, 1, 0], 180) }, spacing: wallSpacing, look: [0, 2.5, 10] },
  { rect: { origin: [-10, 0, 10], edgeU: [0, 0, -20], edgeV: [0, 5, 0], rotation: turn([0, 1, 0], 90) }, spacing: wallSpacing, look: [-10, 2.5, 0] },
  { rect: { origin: [10, 0, -10], edgeU: [0, 0, 20], edgeV: [0, 5, 0], rotation: turn([0, 1, 0], -90) }, spacing: wallSpacing, look: [10, 2.5, 0] },
  { rect: { origin: [-10, 0, 10], edgeU: [20, 0, 0], edgeV: [0, 0, -20], rotation: turn([1, 0, 0], -90) }, spacing: floorSpacing, look: [0, 0, -0.001] },
];
const kFrame = intrinsicsFromFov(1024, 768, 60);
const world = World.empty();
for (const { rect, spacing, look } of rooms) {
  const eye: [number, number, number] = [0, 1.6, 0];
  const pose = look[1] === 0 ? Pose.lookAt([0, 12, 0], [0, 0, 0], [0, 0, -1]) : Pose.lookAt(eye, look);
  world.append(viewOf(rect, pose, kFrame), rectangleSplats(rect, spacing));
}
const rand = seededRandom(3);
const elsewhere = rooms[0].rect;
for (let i = 0; i < 2000; i++) {
  const pose = new Pose([200 + 100 * rand(), 1.6, 100 * rand()], turn([0, 1, 0], 360 * rand()));
  world.memory.add({ ...viewOf(elsewhere, pose, intrinsicsFromFov(32, 24, 60)), depth: { width: 4, height: 3, data: new Float32Array(12).fill(5 + 10 * rand()) } }, { splatStart: 0, splatCount: 0 });
}

const query = Pose.lookAt([4, 1.6, 4], [-10, 1.2, -10]);
const kQuery = intrinsicsFromFov(512, 384, 60);
const kLow = intrinsicsFromFov(width, height, 60);
let unknown = 0;
const [coverageMs, renderMs, nearestMs] = timeAlternately([
  () => { unknown = coverage(world, query, kQuery, { width, height }).unknownFraction; },
  () => renderSplats(world.splats, query, kLow),
  () => world.memory.nearest(query, kQuery, 8),
]);

const result = coverage(world, query, kQuery, { width, height });
const share = (code: number) => (result.mask.filter((m) => m === code).length / result.mask.length).toFixed(3);
const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0).padStart(6)} ms wall ${t.cpu.toFixed(0).padStart(6)} ms cpu`;
console.log(`world: ${world.splats.count} splats, ${world.memory.size} frames; coverage at ${width}x${height}, median of ${runs}`);
console.log(`coverage():                 ${fmt(coverageMs)}   (unknown fraction ${unknown.toFixed(3)}: empty ${share(HOLE_EMPTY)}, poorly seen ${share(HOLE_POORLY_SEEN)})`);
console.log(`anchor: renderSplats alone: ${fmt(renderMs)}`);
console.log(`  of which nearest():        ${nearestMs.cpu.toFixed(2)} ms cpu`);
console.log(`coverage beyond the render: ${(coverageMs.cpu - renderMs.cpu).toFixed(0)} ms cpu (retrieval, normals, per-pixel judgement)`);
