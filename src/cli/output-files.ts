/**
 * Outputs that are not worlds (render's pictures), and the checks every command makes before its
 * work so that a bad output name costs nothing and never touches the input.
 */
import { realpath, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Fails unless `path` ends in `extension` (lower or upper case): render writes PNG whatever the name says. */
export function checkExtension(path: string, extension: string, option: string): void {
  if (!path.toLowerCase().endsWith(extension)) {
    throw new Error(`${option}: expected a file name ending in ${extension}, found '${path.split('/').pop()}'`);
  }
}

/**
 * Fails where an output would replace the input or another output (`outputs` as [option, path]):
 * the input would be lost, or one output would overwrite the other. A link or a second spelling of
 * the same file counts as the same file.
 */
export async function checkDistinct(input: string, outputs: [string, string][]): Promise<void> {
  const seen = new Map<string, string>([[await canonical(input), 'the input']]);
  for (const [option, path] of outputs) {
    const key = await canonical(path);
    const other = seen.get(key);
    if (other) throw new Error(`${option}: expected a file other than ${other}, found the same file '${path}'`);
    seen.set(key, option);
  }
}

const canonical = (path: string): Promise<string> => realpath(path).catch(() => resolve(path));

/**
 * Writes each file as name.partial, then renames them all once all are written: a failed write
 * leaves no half file and no output replaced (with two outputs, not the first alone either).
 */
export async function writeWhole(files: [string, Uint8Array][]): Promise<void> {
  const partials = files.map(([path]) => `${path}.partial`);
  try {
    for (let i = 0; i < files.length; i++) {
      await writeFile(partials[i], files[i][1]).catch((error: Error) => {
        throw new Error(`${files[i][0]}: could not write: ${error.message}`);
      });
    }
    for (let i = 0; i < files.length; i++) await rename(partials[i], files[i][0]);
  } catch (error) {
    await Promise.all(partials.map((p) => rm(p, { force: true }).catch(() => undefined)));
    throw error;
  }
}
