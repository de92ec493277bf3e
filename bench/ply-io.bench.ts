/**
 * PLY read and write throughput: ours against PlayCanvas splat-transform's library, on the same
 * 1,000,000-splat SH-degree-3 file (248 MB), in the same run. Runs alternate (ours, theirs, ours ...)
 * so machine load hits both alike; the table shows the median and the best of the runs.
 *
 *   node --import tsx bench/ply-io.bench.ts            (WORLDSPLAT_BENCH_SPLATS=200000 for a quick run)
 *
 * splat-transform's "read" is readFile + materializeToDataTable (file bytes -> decoded columns, as
 * our readPly); its "write" is writeSource to an in-memory file system from those columns.
 */
import {
  MemoryFileSystem,
  MemoryReadFileSystem,
  createChunkDataPool,
  dataTableToChunkSource,
  materializeToDataTable,
  readFile,
  version as stVersion,
  writeSource,
  type DataTable,
} from '@playcanvas/splat-transform';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomCloud } from '../src/core/random.ts';
import type { SplatCloud } from '../src/core/splat-cloud.ts';
import { readPly, readPlyStream } from '../src/io/ply-reader.ts';
import { writePly } from '../src/io/ply-writer.ts';

const SPLATS = Number(process.env.WORLDSPLAT_BENCH_SPLATS ?? 1_000_000);
const RUNS = Number(process.env.WORLDSPLAT_BENCH_RUNS ?? 5);

// A full collection before each timed run, so one run's garbage is not billed to the next.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  gc();
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

async function theirRead(fs: MemoryReadFileSystem): Promise<DataTable> {
  const [source] = await readFile({ filename: 'bench.ply', inputFormat: 'ply', fileSystem: fs });
  const table = await materializeToDataTable(source, createChunkDataPool());
  await source.close();
  return table;
}

async function theirWrite(table: DataTable): Promise<Uint8Array> {
  const fs = new MemoryFileSystem();
  await writeSource({ filename: 'out.ply', outputFormat: 'ply', source: dataTableToChunkSource(table), pool: createChunkDataPool(), options: {} }, fs);
  return fs.results.get('out.ply')!;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  console.log(`PLY I/O: ${SPLATS.toLocaleString('en')} random splats, SH degree 3, ${RUNS} alternating runs each (Node ${process.version})`);
  const cloud = randomCloud(SPLATS, 1, 3);
  const file = writePly(cloud);
  const mb = file.length / 1e6;
  const fs = new MemoryReadFileSystem();
  fs.set('bench.ply', file);

  const times: Record<string, number[]> = { ourRead: [], ourStream: [], ourWrite: [], theirRead: [], theirWrite: [] };
  let table: DataTable | null = null;
  let read: SplatCloud | null = null;
  for (let run = 0; run < RUNS; run++) {
    const a = await timed(() => readPly(file));
    times.ourRead.push(a.ms);
    read = a.value;
    const b = await timed(() => theirRead(fs));
    times.theirRead.push(b.ms);
    table = b.value;
    times.ourStream.push((await timed(() => readPlyStream(inChunks(file, 1 << 22), { totalBytes: file.length }))).ms);
    const w = await timed(() => writePly(read!));
    times.ourWrite.push(w.ms);
    const t = await timed(() => theirWrite(table!));
    times.theirWrite.push(t.ms);
    if (run === 0) {
      // Both sides must have done the whole job.
      if (read.count !== SPLATS || table.numRows !== SPLATS) throw new Error(`bench: expected ${SPLATS} splats, ours ${read.count}, theirs ${table.numRows}`);
      if (w.value.length !== file.length || Math.abs(t.value.length - file.length) > 4096) {
        throw new Error(`bench: expected ~${file.length}-byte files, ours ${w.value.length}, theirs ${t.value.length}`);
      }
    }
  }

  const rate = (ms: number) => mb / (ms / 1000);
  const row = (op: string, ours: number[], theirs: number[] | null) => {
    const [om, ob] = [rate(median(ours)), rate(Math.min(...ours))];
    const cells = [op.padEnd(22), `${om.toFixed(0).padStart(6)} ${ob.toFixed(0).padStart(6)}`];
    if (theirs) {
      const [tm, tb] = [rate(median(theirs)), rate(Math.min(...theirs))];
      cells.push(`${tm.toFixed(0).padStart(6)} ${tb.toFixed(0).padStart(6)}`, `${(om / tm).toFixed(2).padStart(6)}x`);
    }
    console.log(cells.join(' | '));
  };
  console.log(`file: ${mb.toFixed(1)} MB; MB/s as median and best; s-t = splat-transform ${stVersion}`);
  console.log(`${'operation'.padEnd(22)} | ${'ours MB/s'.padStart(13)} | ${'s-t MB/s'.padStart(13)} | ours/s-t (median)`);
  row('read (whole file)', times.ourRead, times.theirRead);
  row('read (4 MiB chunks)', times.ourStream, times.theirRead);
  row('write', times.ourWrite, times.theirWrite);
}

await main();
