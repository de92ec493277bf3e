/**
 * Worlds on disk for the CLI. A .worldsplat bundle holds splats and posed-frame memory; .ply and .splat
 * hold splats only (they load as a world without memory). PLY streams through in chunks (a
 * 5-million-splat file is 1.2 GB); the other formats are read and written whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { readBundle } from '../io/bundle/bundle-reader.ts';
import { writeBundle } from '../io/bundle/bundle-writer.ts';
import { formatForFileName, readSplatFile, writeSplatFile } from '../io/formats.ts';
import { readPlyStream } from '../io/ply-reader.ts';
import { plyChunks } from '../io/ply-writer.ts';
import { World } from '../world/world.ts';
import type { ProgressCallback } from './progress.ts';

export const isBundlePath = (path: string): boolean => path.toLowerCase().endsWith('.worldsplat');

/** Fails early, before any work, on an output name whose format we cannot write. */
export function checkOutputName(path: string): void {
  if (isBundlePath(path)) return;
  try {
    formatForFileName(path);
  } catch {
    throw new Error(`${path}: expected an output ending in .ply, .splat or .worldsplat, found '${path.split('/').pop()}'`);
  }
}

export async function loadWorld(path: string, onProgress?: ProgressCallback): Promise<World> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new Error(`${path}: expected a readable file, found none`);
  }
  const head = await readHead(path, 8);
  if (head.startsWith('ply\n') || head.startsWith('ply\r')) {
    return World.restore(await readPlyStream(createReadStream(path, { highWaterMark: 1 << 22 }), { totalBytes: size, onProgress }), []);
  }
  const bytes = new Uint8Array(await readFile(path));
  if (head === 'WSBUNDLE' || isBundlePath(path)) {
    const bundle = readBundle(bytes);
    return World.restore(bundle.splats, bundle.frames);
  }
  return World.restore(readSplatFile(path, bytes), []);
}

/** Writes the world (a .ply or .splat keeps its splats only); a failed write leaves no half file. */
export async function saveWorld(path: string, world: World, onProgress?: ProgressCallback): Promise<void> {
  checkOutputName(path);
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const failed = once(out, 'error').then(([e]) => {
    throw new Error(`${path}: could not write: ${(e as Error).message}`);
  });
  const write = async (bytes: Uint8Array) => {
    if (!out.write(bytes)) await Promise.race([once(out, 'drain'), failed]);
  };
  const cloud = world.splats;
  if (isBundlePath(path)) {
    await write(writeBundle({ splats: cloud, frames: world.memory.frames }));
  } else if (formatForFileName(path) === 'ply') {
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
