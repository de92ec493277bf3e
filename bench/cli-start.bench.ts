/**
 * `worldsplat generate photo.jpg -o world.ply` in a fresh process (issue #4: photo -> written world in
 * under 2 s on these 2 cores), next to anchors measured in the same run:
 *
 *   nice node --import tsx bench/cli-start.bench.ts [--rounds 5] [--all] [--busy N]      (or: nice npm run bench -- cli-start)
 *
 * The photo is made as bench/generate.bench.ts makes it: the first held-out scene's 512x384 start
 * picture resized to 1024x768 and saved as a JPEG (quality 90), with that view's field of view.
 * Each round runs, one after another (so load from other work on the machine hits them alike):
 *   - `node -e 0`: the least any Node command costs;
 *   - the CLI as shipped, run as a program the way npx runs it (bin/worldsplat.mjs: its first line's
 *     glibc memory setting, the cached bundle, WebAssembly tiering budget raised) with
 *     the model's session on its own thread (WORLDSPLAT_MODEL_THREAD=1), with WORLDSPLAT_TIMINGS=1 for
 *     its phases; wall time, CPU time (user + system, all threads) and peak RSS from /usr/bin/time,
 *     the CPU time of its main thread alone (its WORLDSPLAT_TIMINGS line; the load of a shared
 *     machine moves it far less than the wall time) and the process's minor page faults;
 *   - the same through `node bin/worldsplat.mjs`, which skips the first line: without the memory setting;
 *   - the same on onnxruntime-web's WebAssembly (WORLDSPLAT_ONNX_RUNTIME=wasm) instead of onnxruntime's
 *     native build (src/model/node/native-runtime.mjs): what the native build saves. Its .ply is not
 *     compared with the others' (the two runtimes' depths differ in the last bits);
 *   - the same with the model in the main thread (WORLDSPLAT_MODEL_THREAD=0). By default the CLI uses
 *     the thread only where the load average leaves a core free (src/cli/worker-model.ts); the bench
 *     prints which one the default would have picked at its start;
 *   - with --all also: through tsx (WORLDSPLAT_TSX=1), what the bundle saves; and through tsx with V8's
 *     default tiering budget (node --wasm-tiering-budget=1800000), the start-up as it was before those
 *     two changes (but with this tree's writer, thread and lift);
 *   - in this process, the model already open: decode -> depth -> lift -> written .ply (what
 *     bench/generate.bench.ts times), the work without any start-up.
 * With --busy N, N processes spin on the CPU through the rounds (the anchors' too): the load of other
 * work, made the same every time. Medians over the rounds. Before the rounds the bundles are brought up to date by one generate (a build after a source
 * change is a one-off ~0.4 s, reported if it happened).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { saveWorld } from '../src/cli/files.ts';
import { loadManifest, openModel } from '../src/cli/models.ts';
import { threadCpuMs } from '../src/cli/timings.ts';
import { reasonNotToThread } from '../src/cli/worker-model.ts';
import { NodePhotoDecoder } from '../src/io/photo/node-decoder.ts';
import { decodePng } from '../src/io/png.ts';
import { BUILTIN_MODEL_ID } from '../src/model/index.ts';
import { generateFromPhoto } from '../src/world/generate.ts';
import { openViewSet } from '../src/world/views/view-set.ts';
import { World } from '../src/world/world.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('--rounds') ?? 5);
const all = process.argv.includes('--all');
const busy = Number(arg('--busy') ?? 0);
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'worldsplat.mjs');
const VIEWS = join(ROOT, 'bench', 'data', 'views');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- the photo, as bench/generate.bench.ts makes it ------------------------------------------
const scenes = existsSync(VIEWS) ? readdirSync(VIEWS).filter((d) => existsSync(join(VIEWS, d, 'views.json'))).sort() : [];
if (scenes.length === 0) throw new Error(`cli-start bench: expected the held-out view sets in ${VIEWS}, found none (npm run bench -- generate exports them)`);
const work = mkdtempSync(join(tmpdir(), 'cli-start-bench-'));
const photoPath = join(work, 'photo.jpg');
await sharp(readFileSync(join(VIEWS, scenes[0], 'start.png'))).resize(1024, 768).jpeg({ quality: 90 }).toFile(photoPath);
const fov = (await openViewSet({ read: async (n) => new Uint8Array(readFileSync(join(VIEWS, scenes[0], n))), decodePng })).view('start').verticalFovDegrees;
console.log(`photo: ${scenes[0]} start view resized to 1024x768, JPEG q90, fov ${fov.toFixed(1)} degrees`);

/** The command as npx runs it: bin/worldsplat.mjs as a program, so its first line (#!/usr/bin/env -S ...) applies. */
const cli = (out: string) => [BIN, 'generate', photoPath, '-o', join(work, out), '--fov', String(fov)];
/** The same through `node bin/worldsplat.mjs`, and node with its own flags: the first line does not apply. */
const node = (...args: string[]) => [process.execPath, ...args];

interface Run {
  wall: number;
  cpu: number;
  /** CPU time of the process's main thread alone (WORLDSPLAT_TIMINGS' second line; NaN where not printed) */
  mainCpu: number;
  rssMb: number;
  /** minor page faults of the whole process (WORLDSPLAT_TIMINGS' process line; NaN where not printed) */
  faults: number;
  phases: Record<string, number>;
}

/** One fresh process under /usr/bin/time; the CLI's WORLDSPLAT_TIMINGS line parsed when there is one. */
function fresh(command: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %U %S', ...command], {
    encoding: 'utf8',
    env: { ...process.env, WORLDSPLAT_TIMINGS: '1', ...env },
  });
  const t = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (!t || r.status !== 0) throw new Error(`cli-start bench: ${command.join(' ')} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`);
  const phases: Record<string, number> = {};
  const line = /timings: (.*); total/.exec(r.stderr)?.[1] ?? '';
  for (const part of line.split(', ')) {
    const m = /^(.+?) (\d+)( ms)?$/.exec(part);
    if (m) phases[m[1]] = Number(m[2]);
  }
  // The model thread's moments (ms since the process started), when it ran: "thread ready" etc.
  const thread = /model thread: started (\d+), ready (\d+), onnxruntime warmed up (\d+), model received (\d+), session open (\d+)/.exec(r.stderr);
  if (thread) ['started', 'ready', 'warmed up', 'received', 'open'].forEach((k, i) => (phases[`thread ${k} @`] = Number(thread[i + 1])));
  // The top colour band the colour thread computed (src/cli/colour-thread.ts): sent, answered, its CPU.
  const band = /colour thread: .*band of \d+ rows \(with margins \d+\), sent (\d+), answered (\d+) \(ms since the process started\)(?:; its CPU: (\d+) ms)?/.exec(r.stderr);
  if (band) Object.assign(phases, { 'band sent @': Number(band[1]), 'band answered @': Number(band[2]), 'band CPU': Number(band[3] ?? NaN) });
  const mainCpu = Number(/main thread CPU: .*; total (\d+) ms/.exec(r.stderr)?.[1] ?? NaN);
  const faults = Number(/^process: (\d+) minor page faults/m.exec(r.stderr)?.[1] ?? NaN);
  return { wall: Number(t[1]) * 1000, cpu: (Number(t[3]) + Number(t[4])) * 1000, mainCpu, rssMb: Number(t[2]) / 1024, faults, phases };
}

// ---- the bundles up to date; the model open here for the in-process anchor --------------------
// A whole generate, not --help: the colour thread loads the colour-band code as a bundle of its own
// (src/cli/colour-worker.mjs), which only a generate brings up to date.
const warmup = fresh(cli('warmup.ply'), { WORLDSPLAT_MODEL_THREAD: '1' });
console.log(`bundle check (a worldsplat generate): ${warmup.wall.toFixed(0)} ms wall (includes the rebuilds if a source had changed)`);
rmSync(join(work, 'warmup.ply'), { force: true });
const load1 = loadavg()[0];
console.log(`load average ${load1.toFixed(2)} on ${availableParallelism()} cores: by default the model would open ` +
  `${reasonNotToThread(undefined, load1, availableParallelism()) ? 'in the main thread' : 'on its thread'}`);
const manifest = await loadManifest();
const model = await openModel(BUILTIN_MODEL_ID, manifest, (line) => console.log(`  model: ${line}`));
console.log(`in-process model on onnxruntime's ${model.executionProvider === 'cpu' ? 'native build' : model.executionProvider}${model.skippedProviders.length ? ` (not on ${model.skippedProviders.join(', ')})` : ''}`);
const decoder = new NodePhotoDecoder();
/** main-thread CPU ms of each in-process run (the in-process anchor's counterpart of the CLI's main-thread CPU) */
const inprocCpu: number[] = [];
async function inProcess(out: string): Promise<number> {
  const t0 = performance.now(), c0 = threadCpuMs();
  const photo = await decoder.decode(new Uint8Array(readFileSync(photoPath)), { maxLongSide: 1024 });
  const view = await generateFromPhoto(photo, model, { verticalFovDegrees: fov });
  await saveWorld(out, World.restore(view.splats, [])); // as the CLI writes a .ply: the view's splats as they are
  inprocCpu.push(threadCpuMs() - c0);
  return performance.now() - t0;
}
await inProcess(join(work, 'warm.ply')); // JIT warm-up, as generate.bench.ts reports separately
inprocCpu.length = 0;

const runs = { node: [] as Run[], shipped: [] as Run[], plainNode: [] as Run[], wasm: [] as Run[], noThread: [] as Run[], tsx: [] as Run[], before: [] as Run[] };
// --busy: spinning processes, started after the warm-up and the anchor's model opened, stopped at the end.
const spinners = Array.from({ length: busy }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
if (busy > 0) console.log(`${busy} spinning process(es) on the CPU through the rounds (--busy)`);
const inproc: number[] = [];
const same: boolean[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    runs.node.push(fresh(node('-e', '0')));
    runs.shipped.push(fresh(cli(`shipped${r}.ply`), { WORLDSPLAT_MODEL_THREAD: '1' }));
    runs.plainNode.push(fresh(node(...cli(`plainnode${r}.ply`)), { WORLDSPLAT_MODEL_THREAD: '1' }));
    runs.wasm.push(fresh(cli(`wasm${r}.ply`), { WORLDSPLAT_MODEL_THREAD: '1', WORLDSPLAT_ONNX_RUNTIME: 'wasm' }));
    runs.noThread.push(fresh(cli(`nothread${r}.ply`), { WORLDSPLAT_MODEL_THREAD: '0' }));
    if (all) {
      runs.tsx.push(fresh(cli(`tsx${r}.ply`), { WORLDSPLAT_TSX: '1' }));
      runs.before.push(fresh(node('--wasm-tiering-budget=1800000', ...cli(`before${r}.ply`)), { WORLDSPLAT_TSX: '1' }));
    }
    inproc.push(await inProcess(join(work, `inproc${r}.ply`)));
    // Every way of running on the same runtime writes the same bytes.
    const want = readFileSync(join(work, `inproc${r}.ply`));
    same.push(readdirSync(work).filter((f) => f.endsWith('.ply') && !f.startsWith('wasm')).every((f) => readFileSync(join(work, f)).equals(want)));
    for (const f of readdirSync(work)) if (f.endsWith('.ply')) rmSync(join(work, f));
    console.log(`  round ${r + 1}/${rounds}: shipped ${runs.shipped[r].wall.toFixed(0)} ms, through node ${runs.plainNode[r].wall.toFixed(0)}, on WebAssembly ${runs.wasm[r].wall.toFixed(0)}, model in the main thread ${runs.noThread[r].wall.toFixed(0)}, ` +
      (all ? `tsx ${runs.tsx[r].wall.toFixed(0)}, before ${runs.before[r].wall.toFixed(0)}, ` : '') +
      `in-process ${inproc[r].toFixed(0)}, node -e 0 ${runs.node[r].wall.toFixed(0)}; .ply files identical: ${same[r]}`);
  }
} finally {
  for (const p of spinners) p.kill();
  await model.release();
  rmSync(work, { recursive: true, force: true });
}

const med = (rs: Run[]) => median(rs.map((x) => x.wall));
const phaseText = (rs: Run[]) => Object.keys(rs[0].phases).map((p) => `${p} ${median(rs.map((x) => x.phases[p] ?? NaN)).toFixed(0)}`).join(', ');
const nodeMs = med(runs.node);
const inMs = median(inproc);
console.log(`\nfresh \`worldsplat generate\` 1024x768 JPEG -> 786k-splat .ply, median of ${rounds} rounds (wall ms; phases from WORLDSPLAT_TIMINGS):`);
console.log('| run | wall ms | / in-process | - node -e 0 | CPU ms | main-thread CPU ms | peak RSS MB | page faults | phases (ms; "@": ms since the process started) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const rows = [
  ['model on its thread (WORLDSPLAT_MODEL_THREAD=1)', runs.shipped],
  ['the same through node bin/worldsplat.mjs (no memory setting)', runs.plainNode],
  ['the same on WebAssembly (WORLDSPLAT_ONNX_RUNTIME=wasm)', runs.wasm],
  ['model in the main thread (WORLDSPLAT_MODEL_THREAD=0)', runs.noThread],
] as [string, Run[]][];
if (all) rows.push(['through tsx, raised budget', runs.tsx], ['through tsx, V8 default budget', runs.before]);
for (const [name, rs] of rows) {
  console.log(`| ${name} | ${med(rs).toFixed(0)} | ${(med(rs) / inMs).toFixed(2)}x | ${(med(rs) - nodeMs).toFixed(0)} | ` +
    `${median(rs.map((x) => x.cpu)).toFixed(0)} | ${median(rs.map((x) => x.mainCpu)).toFixed(0)} | ${median(rs.map((x) => x.rssMb)).toFixed(0)} | ${median(rs.map((x) => x.faults)).toFixed(0)} | ${phaseText(rs)} |`);
}
console.log(`| anchor: in this process, model open (decode -> depth -> lift -> write) | ${inMs.toFixed(0)} | 1.00x | | | ${median(inprocCpu).toFixed(0)} | | | |`);
console.log(`| anchor: node -e 0 | ${nodeMs.toFixed(0)} | | | ${median(runs.node.map((x) => x.cpu)).toFixed(0)} | | ${median(runs.node.map((x) => x.rssMb)).toFixed(0)} | | |`);
console.log(`without the memory setting / with it: ${(med(runs.plainNode) / med(runs.shipped)).toFixed(2)}x; model in the main thread / on its thread: ${(med(runs.noThread) / med(runs.shipped)).toFixed(2)}x; WebAssembly / native: ${(med(runs.wasm) / med(runs.shipped)).toFixed(2)}x; ` +
  `.ply files identical in ${same.filter(Boolean).length}/${same.length} rounds; goal: photo -> written world < 2000 ms`);
