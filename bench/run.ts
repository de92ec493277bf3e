/**
 * Runs every benchmark in bench/ one after another (each prints its own figures and the anchor it
 * measured in the same run). `npm run bench -- render` runs only those whose name contains "render";
 * from the first argument that starts with "-" on, the arguments go to each benchmark run
 * (`npm run bench -- expand --completer hybrid`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('-'));
const filter = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passOn = firstFlag < 0 ? [] : args.slice(firstFlag);
const benches = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file), ...passOn], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
