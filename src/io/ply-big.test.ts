/**
 * A 5-million-splat PLY (1.24 GB) streamed from disk through readPlyStream must need about one
 * cloud of memory, not several copies of the file. Slow (half a minute) and disk-hungry, so it runs
 * only with WORLDSPLAT_BIG=1; it prints the peak RSS it measured.
 *
 * The file is written piece by piece from small seeded clouds (so writing it costs little memory),
 * and splats are spot-checked against the pieces they came from.
 */
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { randomCloud } from '../core/random.ts';
import { readPlyStream } from './ply-reader.ts';
import { plyChunks, plyHeader } from './ply-writer.ts';

const SPLATS = 5_000_000;
const PIECE = 250_000;

test('a 5M-splat PLY streams in with memory near one cloud', { skip: process.env.WORLDSPLAT_BIG !== '1' && 'set WORLDSPLAT_BIG=1' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'worldsplat-big-'));
  const path = join(dir, 'big.ply');
  try {
    const out = createWriteStream(path);
    out.write(plyHeader(SPLATS));
    for (let start = 0; start < SPLATS; start += PIECE) {
      const piece = randomCloud(PIECE, 1000 + start / PIECE, 3);
      let first = true;
      for (const chunk of plyChunks(piece)) {
        if (first) { first = false; continue; } // each piece's own header
        if (!out.write(chunk)) await once(out, 'drain');
      }
    }
    out.end();
    await once(out, 'finish');
    const size = statSync(path).size;
    assert.equal(size, plyHeader(SPLATS).length + SPLATS * 248);

    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const cloud = await readPlyStream(createReadStream(path, { highWaterMark: 1 << 22 }), { totalBytes: size });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    assert.equal(cloud.count, SPLATS);
    assert.equal(cloud.shDegree, 3);
    // Spot checks: the first and last splat of a few pieces equal their seeded source.
    for (const p of [0, 7, SPLATS / PIECE - 1]) {
      const piece = randomCloud(PIECE, 1000 + p, 3);
      for (const i of [0, PIECE - 1]) {
        const j = p * PIECE + i;
        assert.deepEqual(cloud.positions.subarray(j * 3, j * 3 + 3), piece.positions.subarray(i * 3, i * 3 + 3));
        assert.deepEqual(cloud.sh!.subarray(j * 45, j * 45 + 45), piece.sh!.subarray(i * 45, i * 45 + 45));
      }
    }

    const cloudBytes = SPLATS * (3 + 3 + 4 + 1 + 3 + 45) * 4;
    const grew = peak - before;
    console.log(
      `5M-splat PLY (${(size / 1e9).toFixed(2)} GB) read in ${seconds.toFixed(1)} s: cloud ${(cloudBytes / 1e9).toFixed(2)} GB, ` +
        `RSS grew by ${(grew / 1e9).toFixed(2)} GB to a peak of ${(peak / 1e9).toFixed(2)} GB`,
    );
    assert.ok(grew < cloudBytes + 200e6, `RSS grew by ${grew} bytes for a ${cloudBytes}-byte cloud`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
