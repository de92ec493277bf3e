/**
 * Splat files on disk for the CLI: PLY streams through in chunks (a 5-million-splat file is 1.2 GB),
 * other formats are small enough to read whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { formatForFileName, readSplatFile, writeSplatFile } from '../io/formats.ts';
import { readPlyStream } from '../io/ply-reader.ts';
import { plyChunks } from '../io/ply-writer.ts';
import type { ProgressCallback } from './progress.ts';

export async function loadSplatFile(path: string, onProgress?: ProgressCallback): Promise<SplatCloud> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new Error(`${path}: expected a readable file, found none`);
  }
  const head = await readHead(path, 4);
  if (head === 'ply\n' || head === 'ply\r') {
    return readPlyStream(createReadStream(path, { highWaterMark: 1 << 22 }), { totalBytes: size, onProgress });
  }
  return readSplatFile(path, new Uint8Array(await readFile(path)));
}

export async function saveSplatFile(path: string, cloud: SplatCloud, onProgress?: ProgressCallback): Promise<void> {
  const format = formatForFileName(path);
  // Write beside the target and rename at the end, so a failed write never leaves half a file
  // where a good one was.
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const failed = once(out, 'error').then(([e]) => {
    throw new Error(`${path}: could not write: ${(e as Error).message}`);
  });
  const write = async (bytes: Uint8Array) => {
    if (!out.write(bytes)) await Promise.race([once(out, 'drain'), failed]);
  };
  if (format === 'ply') {
    let written = 0;
    for (const chunk of plyChunks(cloud)) {
      await write(chunk);
      written += chunk.length;
      onProgress?.(written / (cloud.count * PLY_RECORD_BYTES), 'writing');
    }
  } else {
    await write(writeSplatFile(path, cloud));
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  await rename(partial, path);
}

/** 62 little-endian floats per splat in the INRIA layout (the header is negligible for progress). */
const PLY_RECORD_BYTES = 62 * 4;

async function readHead(path: string, bytes: number): Promise<string> {
  const stream = createReadStream(path, { start: 0, end: bytes - 1 });
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('latin1');
}
