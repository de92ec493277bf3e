/**
 * PosedFrameMemory retrieval: 10,000 frames scattered over a 200 m x 200 m walk area (eye height
 * 1.6 m, random heading, +-15 degree pitch, depth 2-30 m per cell, one frame in five with sky),
 * 2,000 random queries, k = 8.
 * Run: node --import tsx bench/memory.bench.ts [--frames N] [--queries Q]
 *
 * Prints median and p99 per query of nearest() (cone/reach pre-filter, then frustum-overlap
 * scoring) and, in the same run as anchor, nearestBruteForce() (the same scoring over every frame),
 * and checks that both return the same frames. Stored pictures are 32 x 24 here to keep the bench
 * small: retrieval reads only the fixed-size index, never the pictures.
 */
import { Pose, intrinsicsFromFov } from '../src/core/camera.ts';
import { quatFromAxisAngle, multiplyQuat } from '../src/core/quat.ts';
import { seededRandom } from '../src/core/random.ts';
import { PosedFrameMemory } from '../src/world/memory/posed-frame-memory.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const frames = Number(arg('frames', '10000'));
const queries = Number(arg('queries', '2000'));

const rand = seededRandom(11);
const k = intrinsicsFromFov(32, 24, 60);
const queryK = intrinsicsFromFov(1280, 960, 60);
const randomPose = () => {
  const heading = quatFromAxisAngle([0, 1, 0], rand() * 2 * Math.PI);
  const pitch = quatFromAxisAngle([1, 0, 0], ((rand() - 0.5) * Math.PI) / 6);
  return new Pose([(rand() - 0.5) * 200, 1.6, (rand() - 0.5) * 200], multiplyQuat(heading, pitch));
};

let clock = 0;
const memory = new PosedFrameMemory({ now: () => clock++ });
const image = { width: 32, height: 24, data: new Uint8Array(32 * 24 * 3) };
const t0 = performance.now();
for (let i = 0; i < frames; i++) {
  const sky = rand() < 0.2;
  const depth = new Float32Array(16 * 12).map(() => (sky && rand() < 0.5 ? 0 : 2 + 28 * rand()));
  memory.add({ pose: randomPose(), intrinsics: k, image, depth: { width: 16, height: 12, data: depth } }, { splatStart: 0, splatCount: 0 });
}
const buildMs = performance.now() - t0;

const poses = Array.from({ length: queries }, randomPose);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const cpuPerQuery = new Map<unknown, number>();

/** Wall time per query; the mean CPU time per query (less disturbed by a busy machine) goes to cpuPerQuery. */
function timeQueries(fn: (pose: Pose) => unknown, n: number): number[] {
  for (let i = 0; i < Math.min(50, n); i++) fn(poses[i]); // JIT warm-up
  const c0 = cpuMs();
  const wall = poses.slice(0, n).map((pose) => {
    const t = performance.now();
    fn(pose);
    return performance.now() - t;
  });
  cpuPerQuery.set(fn, (cpuMs() - c0) / n);
  return wall;
}

const nearestFn = (p: Pose) => memory.nearest(p, queryK, 8);
const bruteFn = (p: Pose) => memory.nearestBruteForce(p, queryK, 8);
const fast = timeQueries(nearestFn, queries);
const bruteQueries = Math.min(queries, 200);
const brute = timeQueries(bruteFn, bruteQueries);

let mismatches = 0, returned = 0;
for (const pose of poses.slice(0, bruteQueries)) {
  const a = memory.nearest(pose, queryK, 8).map((r) => r.frame.id).join();
  const b = memory.nearestBruteForce(pose, queryK, 8).map((r) => r.frame.id).join();
  if (a !== b) mismatches++;
  returned += a ? a.split(',').length : 0;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`frames ${frames} (index built in ${buildMs.toFixed(0)} ms), queries ${queries}, k 8`);
console.log(`nearest (pre-filter + overlap):  wall median ${ms(percentile(fast, 0.5))}  p99 ${ms(percentile(fast, 0.99))}  cpu mean ${ms(cpuPerQuery.get(nearestFn)!)}`);
console.log(`anchor: brute force (${bruteQueries} q):  wall median ${ms(percentile(brute, 0.5))}  p99 ${ms(percentile(brute, 0.99))}  cpu mean ${ms(cpuPerQuery.get(bruteFn)!)}`);
console.log(`same answers as brute force: ${bruteQueries - mismatches}/${bruteQueries} (mean ${(returned / bruteQueries).toFixed(1)} frames returned)`);
if (mismatches) process.exit(1);
