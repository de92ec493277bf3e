/**
 * Worlds on disk for the CLI. A .worldsplat bundle holds splats and posed-frame memory; .ply and .splat
 * hold splats only (they load as a world without memory). PLY streams through in chunks (a
 * 5-million-splat file is 1.2 GB); the other formats are read and written whole.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readBundle } from '../io/bundle/bundle-reader.ts';
import { writeBundle } from '../io/bundle/bundle-writer.ts';
import { formatForFileName, readSplatFile, writeSplatFile } from '../io/formats.ts';
import { readPlyStream } from '../io/ply-reader.ts';
import { plyChunksReusing } from '../io/ply-writer.ts';
import { World } from '../world/world.ts';
import type { ProgressCallback } from './progress.ts';
import { HEAD_BYTES, notAWorld } from './world-head.ts';

export const isBundlePath = (path: string): boolean => path.toLowerCase().endsWith('.worldsplat');

/** Fails early, before any work, on an output name whose format we cannot write. */
export function checkOutputName(path: string): void {
  // (an empty name, from a variable not set, would be the what of its own message: ": expected ...")
  if (path === '') throw new Error("output: expected a file name ending in .ply, .splat or .worldsplat, found an empty one ('')");
  if (isBundlePath(path)) return;
  try {
    formatForFileName(path);
  } catch {
    throw new Error(`${path}: expected an output ending in .ply, .splat or .worldsplat, found '${path.split('/').pop()}'`);
  }
}

/**
 * Fails early, before any work, where the output cannot be put: a folder that does not exist, or a
 * folder where the file should be (the write would fail only after the work, at the rename).
 */
export async function checkOutputPlace(path: string): Promise<void> {
  const folder = dirname(path);
  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
    throw new Error(`${path}: expected an existing folder for the output, found no folder '${folder}'`);
  }
  if (await stat(path).then((s) => s.isDirectory(), () => false)) throw new Error(`${path}: expected a file name for the output, found a folder`);
}

/** The line to print when `path` cannot hold the world's remembered views (.ply and .splat keep splats only). */
export function droppedFramesNote(path: string, world: World): string | undefined {
  const n = world.memory.size;
  if (isBundlePath(path) || n === 0) return undefined;
  return `${path}: splats only; the world's ${n} remembered view${n === 1 ? ' is' : 's are'} not written (a .worldsplat keeps them)`;
}

export async function loadWorld(path: string, onProgress?: ProgressCallback): Promise<World> {
  if (path === '') throw new Error("expected a world file, found an empty file name ('')");
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`${path}: expected a world file, found a ${info.isDirectory() ? 'folder' : 'special file'}`);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new Error(`${path}: expected a readable file, found none`);
  }
  const head = await readHead(path, HEAD_BYTES);
  const magic = String.fromCharCode(...head.subarray(0, 8));
  if (magic.startsWith('ply\n') || magic.startsWith('ply\r')) {
    return World.restore(await readPlyStream(createReadStream(path, { highWaterMark: 1 << 22 }), { totalBytes: size, onProgress }), []);
  }
  const lower = path.toLowerCase();
  const kind = magic === 'WSBUNDLE' || isBundlePath(path) ? 'bundle' : lower.endsWith('.ply') ? 'ply' : lower.endsWith('.splat') ? 'splat' : 'other';
  const wrong = magic === 'WSBUNDLE' ? undefined : notAWorld(path, head, size, kind);
  if (wrong) throw wrong;
  const bytes = new Uint8Array(await readFile(path));
  if (kind === 'bundle') {
    const bundle = readBundle(bytes);
    return World.restore(bundle.splats, bundle.frames);
  }
  return World.restore(readSplatFile(path, bytes), []);
}

/**
 * Writes the world (a .ply or .splat keeps its splats only); a failed write leaves no half file.
 *
 * A PLY is encoded a chunk at a time into two reused buffers, and each chunk goes to the disk
 * (on libuv's thread) while the next one is encoded here, so the kernel's copy into the page cache
 * overlaps the encoding instead of following it. (Through a stream, whose write() asked for a
 * 'drain' after every chunk, the two took turns; and each chunk was a fresh 16 MB buffer.)
 */
export async function saveWorld(path: string, world: World, onProgress?: ProgressCallback): Promise<void> {
  checkOutputName(path);
  await checkOutputPlace(path);
  // A .splat is its splats' records and nothing else: with none it is an empty file, which every
  // reader refuses (as it should: an empty file is most often a failed copy), so it is not written.
  if (world.splats.count === 0 && !isBundlePath(path) && formatForFileName(path) === 'splat') {
    throw new Error(`${path}: expected a world with splats for a .splat file (0 splats would be an empty file, which no reader takes), found 0 splats`);
  }
  const partial = `${path}.partial`;
  const cloud = world.splats;
  let file: FileHandle | undefined;
  let pending: Promise<void> = Promise.resolve();
  try {
    try {
      file = await open(partial, 'w');
    } catch (error) {
      throw new Error(`${path}: could not write: ${(error as Error).message}`);
    }
    const handle = file;
    const write = (bytes: Uint8Array): Promise<void> =>
      writeAll(handle, bytes).catch((error: Error) => {
        throw new Error(`${path}: could not write: ${error.message}`);
      });
    if (isBundlePath(path)) {
      await write(writeBundle({ splats: cloud, frames: world.memory.frames }));
    } else if (formatForFileName(path) === 'ply') {
      let written = 0;
      // Taking chunk i + 1 from the generator encodes it while chunk i is being written; chunk i's
      // write is awaited before chunk i + 2 reuses its buffer.
      for (const chunk of plyChunksReusing(cloud, { buffers: 2 })) {
        await pending;
        pending = write(chunk);
        pending.catch(() => undefined); // seen as handled while the next chunk encodes; awaited above
        written += chunk.length;
        onProgress?.(written / (cloud.count * PLY_RECORD_BYTES), 'writing');
      }
      await pending;
    } else {
      await write(writeSplatFile(path, cloud));
    }
    await file.close();
    file = undefined;
    await rename(partial, path);
  } catch (error) {
    await pending.catch(() => undefined); // a write still running must end before the file is closed
    await file?.close().catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** All of `bytes` at the file's current position (a write may take fewer bytes than asked). */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, at, bytes.length - at);
    at += bytesWritten;
  }
}

/** 62 little-endian floats per splat in the INRIA layout (the header is negligible for progress). */
const PLY_RECORD_BYTES = 62 * 4;

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const stream = createReadStream(path, { start: 0, end: bytes - 1 });
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}
