/**
 * Lift benchmark: a 1024x768 photo with model depth at 256x192 (a sphere before a tilted wall, sky
 * above) becomes 786,432 splats. Run: node --import tsx bench/lift.bench.ts [--runs R]
 *
 * Prints the median lift time, its stages, the same with the optional input-view colour adjustment
 * (4 steps, and 3 steps: generate's count) and its 'colours' stage against the rest of the same
 * lifts (goal: at most ~0.3x), and, measured in the same run, the anchor: one plain pass over the same arrays (unproject every
 * pixel at its depth and copy its colour into a SplatCloud's columns): the least any lift must do.
 * Then the 3-step lift as `worldsplat generate` runs it where a core is free: the top half of the
 * colour rows on a second thread (the CLI's colour thread, src/cli/colour-thread.ts), against the same
 * lift on this thread alone (wall and this thread's CPU, medians; and whether the splats are the same bits).
 * Also the Node photo decode of a 12000x9000 JPEG to the working size, the step before the model.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Pose, intrinsicsFromFov } from '../src/core/camera.ts';
import { SplatCloud } from '../src/core/splat-cloud.ts';
import type { Vec3 } from '../src/core/vec3.ts';
import { NodePhotoDecoder } from '../src/io/photo/node-decoder.ts';
import { planeDepth, rayAt, sampleDepth, sphereDepth, texturedPicture } from '../src/world/analytic-scenes.ts';
import { threadCpuMs } from '../src/cli/timings.ts';
import { ColourThread } from '../src/cli/colour-thread.ts';
import { type LiftOptions, liftToSplats, liftToSplatsAsync } from '../src/world/lift.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
const W = 1024, H = 768;
const K = intrinsicsFromFov(W, H, 60);
const photo = texturedPicture(W, H);
const wall: Vec3 = [-0.25, 0.1, Math.sqrt(1 - 0.0725)];
const depth = sampleDepth(K, 256, 192, (u, v) => {
  const r = rayAt(K, u, v);
  if (v < 0.15 * H) return Infinity; // sky
  return Math.min(sphereDepth([-0.8, 0, -4], 1.2, r), planeDepth(wall, 7, r));
});
const input = { image: photo, depth, intrinsics: K, pose: Pose.lookAt([0, 1.6, 0], [0, 1.5, -1]) };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeLift(options: LiftOptions) {
  const totals: number[] = [];
  const stages = new Map<string, number[]>();
  for (let r = 0; r < runs; r++) {
    let stage = '', since = 0;
    const t0 = performance.now();
    liftToSplats(input, {
      ...options,
      onProgress: (_, s) => {
        if (s === stage) return;
        const now = performance.now();
        if (stage) stages.set(stage, [...(stages.get(stage) ?? []), now - since]);
        stage = s; since = now;
      },
    });
    const t1 = performance.now();
    stages.set(stage, [...(stages.get(stage) ?? []), t1 - since]);
    totals.push(t1 - t0);
  }
  const parts = [...stages].map(([s, xs]) => `${s} ${median(xs).toFixed(0)}`).join(', ');
  // The colour stage against the rest of the same lift, run by run (the machine is shared: ratios).
  const colourShare = (stages.get('colours') ?? []).map((c, r) => c / (totals[r] - c));
  return { total: median(totals), parts, colourShare: colourShare.length ? median(colourShare) : NaN };
}

function anchor(): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const up = new Float32Array(W * H); // nearest-neighbour depth: the cheapest upsampling
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) up[y * W + x] = depth.data[(y >> 2) * 256 + (x >> 2)];
    const cloud = SplatCloud.create(W * H);
    const { positions, colors } = cloud;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x, d = Math.min(up[i], 200);
        positions[3 * i] = ((x + 0.5 - K.cx) / K.fx) * d;
        positions[3 * i + 1] = (-(y + 0.5 - K.cy) / K.fy) * d;
        positions[3 * i + 2] = -d;
        for (let c = 0; c < 3; c++) colors[3 * i + c] = photo.data[3 * i + c] / 255;
      }
    }
    times.push(performance.now() - t0);
  }
  return median(times);
}

// Warm up the JIT, then measure.
liftToSplats(input);
anchor();
const plain = timeLift({});
const base = anchor();
const adjusted = timeLift({ colourIterations: 4 });
const three = timeLift({ colourIterations: 3 });
console.log(`lift 1024x768 (depth 256x192): median ${plain.total.toFixed(0)} ms of ${runs} [${plain.parts}]`);
for (const [n, r] of [[4, adjusted], [3, three]] as const) {
  console.log(`  with colourIterations ${n}: ${r.total.toFixed(0)} ms [${r.parts}]; colour stage ${r.colourShare.toFixed(2)}x the rest of the lift (median of runs)`);
}
console.log(`  anchor, one plain unproject + copy pass over the same arrays: ${base.toFixed(0)} ms (lift = ${(plain.total / base).toFixed(1)}x anchor)`);

// Two threads, as `worldsplat generate` lifts where a core is free, against one (same run, alternating).
{
  const thread = ColourThread.start();
  const runner = thread.runner();
  if (!runner) throw new Error('lift bench: expected the colour thread to start, found none');
  const options = { colourIterations: 3 };
  const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const one = liftToSplats(input, options);
  const two = await liftToSplatsAsync(input, options, runner); // also warms the thread up
  const same = [one.positions, one.scales, one.rotations, one.opacities, one.colors].every((a, i) =>
    bits(a).equals(bits([two.positions, two.scales, two.rotations, two.opacities, two.colors][i])));
  const walls = { one: [] as number[], two: [] as number[] }, cpus = { one: [] as number[], two: [] as number[] };
  for (let r = 0; r < runs; r++) {
    for (const kind of ['one', 'two'] as const) {
      const t0 = performance.now(), c0 = threadCpuMs();
      if (kind === 'one') liftToSplats(input, options);
      else await liftToSplatsAsync(input, options, runner);
      walls[kind].push(performance.now() - t0);
      cpus[kind].push(threadCpuMs() - c0);
    }
  }
  await thread.close();
  const [w1, w2, c1, c2] = [median(walls.one), median(walls.two), median(cpus.one), median(cpus.two)];
  console.log(`  3-step lift, top colour rows on a second thread: ${w2.toFixed(0)} ms wall, ${c2.toFixed(0)} ms of this thread's CPU; ` +
    `anchor, the same lift on this thread alone: ${w1.toFixed(0)} ms wall, ${c1.toFixed(0)} ms CPU (wall ${(w2 / w1).toFixed(2)}x, CPU ${(c2 / c1).toFixed(2)}x); ` +
    `splats bit for bit the same: ${same}`);
}

// Decode: a 12000x9000 JPEG to 1024x768 (the photo step before the model), libvips via sharp.
const dir = mkdtempSync(join(tmpdir(), 'lift-bench-'));
try {
  const path = join(dir, 'huge.jpg');
  await sharp(Buffer.from(photo.data), { raw: { width: W, height: H, channels: 3 } }).resize(12000, 9000).jpeg({ quality: 85 }).toFile(path);
  const bytes = new Uint8Array(readFileSync(path));
  const decoder = new NodePhotoDecoder();
  await decoder.decode(bytes);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await decoder.decode(bytes);
    times.push(performance.now() - t0);
  }
  console.log(`decode 12000x9000 JPEG (${(bytes.length / 1e6).toFixed(1)} MB) -> 1024x768: median ${median(times).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
