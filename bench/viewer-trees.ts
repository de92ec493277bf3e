/**
 * The viewers a browser benchmark compares: with a base folder (--base DIR: another checkout, e.g. a
 * git worktree of an older commit whose node_modules entries link this one's) that checkout's viewer
 * first, then this tree's, each on its own Vite server and browser (src/app/e2e/harness.ts), so their
 * runs can alternate in the same minutes.
 */
import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Harness, REPO_ROOT, startHarness } from '../src/app/e2e/harness.ts';

export interface ViewerTree {
  name: 'base' | 'this';
  harness: Harness;
}

/** A worktree's node_modules entries are links into another checkout's: Vite must serve files there too. */
const served = (root: string) => ({ fs: { allow: [root, dirname(realpathSync(join(root, 'node_modules/onnxruntime-web')))] } });

/** Starts the viewers, pushing each into `trees` as it starts, so the caller's `finally` closes whatever did. */
export async function startViewerTrees(baseDir: string, trees: ViewerTree[]): Promise<void> {
  if (baseDir) {
    const root = resolve(baseDir);
    trees.push({ name: 'base', harness: await startHarness({ root, configFile: join(root, 'vite.config.ts'), server: served(root) }) });
  }
  trees.push({ name: 'this', harness: await startHarness({ server: served(REPO_ROOT) }) });
}
