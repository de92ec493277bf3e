/**
 * NODE-ONLY. A ModelCache in a folder on disk, for the CLI (e.g. ~/.cache/worldsplat/models).
 * It imports node:fs, so browser code must never import this file (nor src/model/index.ts re-export it);
 * the browser uses ../browser/cache-storage.ts.
 *
 * One file per key. A put writes to a temporary name and renames it into place, so a crash or a second
 * process never leaves a half-written file under a real key (rename is atomic within a folder).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelCache } from '../cache.ts';

export class FolderModelCache implements ModelCache {
  constructor(readonly folder: string) {}

  private pathOf(key: string): string {
    // Keys come from modelCacheKey (id + hash); refuse anything that could leave the folder.
    if (!/^[A-Za-z0-9._-]+$/.test(key) || key.startsWith('.')) {
      throw new Error(`model cache: expected a key of letters, digits, '.', '_' or '-', found '${key}'`);
    }
    return join(this.folder, `${key}.onnx`);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(this.folder, { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.partial`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
