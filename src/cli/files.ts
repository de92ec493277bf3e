/**
 * Worlds on disk for the CLI. A .worldsplat bundle holds splats and posed-frame memory; .ply and .splat
 * hold splats only (they load as a world without memory). PLY streams through in chunks (a
 * 5-million-splat file is 1.2 GB); the other formats are read and written whole.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, lstat, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { readBundle } from '../io/bundle/bundle-reader.ts';
import { writeBundle } from '../io/bundle/bundle-writer.ts';
import { formatForFileName, readSplatFile, writeSplatFile } from '../io/formats.ts';
import { readPlyStream } from '../io/ply-reader.ts';
import { plyChunksReusing } from '../io/ply-writer.ts';
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

/**
 * Writes the world (a .ply or .splat keeps its splats only); a failed write leaves no half file.
 *
 * A PLY is encoded a chunk at a time into two reused buffers, and each chunk goes to the disk
 * (on libuv's thread) while the next one is encoded here, so the kernel's copy into the page cache
 * overlaps the encoding instead of following it. (Through a stream, whose write() asked for a
 * 'drain' after every chunk, the two took turns; and each chunk was a fresh 16 MB buffer.)
 * With `reserved` (reserveOutput for the same path), the bytes go into that file, already filled.
 */
export async function saveWorld(path: string, world: World, onProgress?: ProgressCallback, reserved?: ReservedOutput): Promise<void> {
  checkOutputName(path);
  const partial = `${path}.partial`;
  const cloud = world.splats;
  let file: FileHandle | undefined;
  let pending: Promise<void> = Promise.resolve();
  let at = 0; // where the next bytes go (explicitly: a reserved file's own position is at its end)
  try {
    try {
      file = (reserved?.path === path ? await reserved.file : undefined) ?? (await open(partial, 'w'));
    } catch (error) {
      throw new Error(`${path}: could not write: ${(error as Error).message}`);
    }
    const handle = file;
    const write = (bytes: Uint8Array): Promise<void> => {
      const position = at;
      at += bytes.length;
      return writeAll(handle, bytes, position).catch((error: Error) => {
        throw new Error(`${path}: could not write: ${error.message}`);
      });
    };
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
    if ((await file.stat()).size > at) await file.truncate(at); // a reservation larger than the world
    await file.close();
    file = undefined;
    await replaceFile(partial, path);
  } catch (error) {
    await pending.catch(() => undefined); // a write still running must end before the file is closed
    await file?.close().catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * rename(from, to) where `to` may be an existing file. WHY not just that: when a rename replaces a
 * file, ext4 (its auto_da_alloc) starts writing the new file's blocks to the disk and the rename waits
 * for it: 87-336 ms for a 162 MB .ply written just before (measured here), against 2-65 ms for moving
 * the old file aside, renaming and removing the old one. `to` is missing only between the two renames
 * (the old file is then at the aside name). Anything but a regular file at `to` is left to rename's
 * own checks (a folder there still fails as it did).
 */
async function replaceFile(from: string, to: string): Promise<void> {
  let aside: string | undefined;
  try {
    if ((await lstat(to)).isFile()) aside = `${to}.old-${process.pid}`;
  } catch {
    // nothing there
  }
  if (aside) {
    try {
      await rename(to, aside);
    } catch {
      aside = undefined; // replaced by the rename below, as before
    }
  }
  try {
    await rename(from, to);
  } catch (error) {
    if (aside) await rename(aside, to).catch(() => undefined); // the old file back where it was
    throw error;
  }
  if (aside) await rm(aside, { force: true });
}

/** All of `bytes` at `position` in the file (a write may take fewer bytes than asked). */
async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, at, bytes.length - at, position + at);
    at += bytesWritten;
  }
}

/** An output's .partial file opened and filled with zeros before its world exists (reserveOutput). */
export interface ReservedOutput {
  path: string;
  /** the open .partial file, filled; undefined where it could not be made (saveWorld then opens it itself) */
  file: Promise<FileHandle | undefined>;
  /** for a command that fails before saveWorld: closes and removes the .partial (saveWorld does both itself) */
  discard(): Promise<void>;
}

/**
 * Opens `path`.partial now and fills it with `bytes` zeros, in the background, for a later
 * saveWorld(path, ..., reservation). WHY: writing a file's pages the first time costs the kernel far
 * more than writing over pages it already holds (a 162 MB .ply: 130-230 ms against 42-48, measured
 * here); `worldsplat generate` knows its .ply's size long before the world exists, and its main
 * thread waits ~0.5 s for the model's session meanwhile, so the first writing is done then, on
 * libuv's thread. Any failure here only means saveWorld opens the file as it always did.
 */
export function reserveOutput(path: string, bytes: number): ReservedOutput {
  const partial = `${path}.partial`;
  const file = (async () => {
    let handle: FileHandle | undefined;
    try {
      handle = await open(partial, 'w');
      const zeros = new Uint8Array(Math.min(bytes, 1 << 22));
      for (let at = 0; at < bytes; at += zeros.length) await writeAll(handle, zeros.subarray(0, Math.min(zeros.length, bytes - at)), at);
      return handle;
    } catch {
      await handle?.close().catch(() => undefined);
      return undefined;
    }
  })();
  return {
    path,
    file,
    discard: async () => {
      const handle = await file;
      if (!handle) return;
      await handle.close().catch(() => undefined);
      await rm(partial, { force: true }).catch(() => undefined);
    },
  };
}

/** 62 little-endian floats per splat in the INRIA layout (the header is negligible for progress). */
const PLY_RECORD_BYTES = 62 * 4;

async function readHead(path: string, bytes: number): Promise<string> {
  const stream = createReadStream(path, { start: 0, end: bytes - 1 });
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('latin1');
}
