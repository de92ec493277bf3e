import { summarize } from '../stats.ts';
import { loadWorld } from '../files.ts';
import { progressBar } from '../progress.ts';
import { UsageError, escapeControls } from '../errors.ts';
import type { Command } from '../main.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';

export interface Inspection {
  file: string;
  count: number;
  bounds: { min: number[]; max: number[] } | null;
  shDegree: number;
  opacity: ReturnType<typeof summarize>;
  /** Per splat, the largest of its three standard deviations (metres). */
  scale: ReturnType<typeof summarize>;
  color: { mean: number[] } | null;
  /** remembered views (posed frames) in a .worldsplat bundle; 0 for .ply and .splat */
  frames: number;
}

export function inspectCloud(file: string, cloud: SplatCloud, frames = 0): Inspection {
  const largest = new Float32Array(cloud.count);
  const meanColor = [0, 0, 0];
  for (let i = 0; i < cloud.count; i++) {
    largest[i] = Math.max(cloud.scales[3 * i], cloud.scales[3 * i + 1], cloud.scales[3 * i + 2]);
    for (let c = 0; c < 3; c++) meanColor[c] += cloud.colors[3 * i + c] / cloud.count;
  }
  return {
    file,
    count: cloud.count,
    bounds: cloud.bounds(),
    shDegree: cloud.shDegree,
    opacity: summarize(cloud.opacities),
    scale: summarize(largest),
    color: cloud.count ? { mean: meanColor } : null,
    frames,
  };
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

function describe(r: Inspection): string {
  const lines = [escapeControls(r.file), `  splats     ${r.count}`, `  SH degree  ${r.shDegree}`, `  frames     ${r.frames}`];
  if (r.bounds) {
    lines.push(`  bounds     min (${r.bounds.min.map(fmt).join(', ')})`, `             max (${r.bounds.max.map(fmt).join(', ')})`);
  }
  const row = (name: string, s: Inspection['opacity']) =>
    s && lines.push(`  ${name.padEnd(10)} min ${fmt(s.min)}  median ${fmt(s.median)}  mean ${fmt(s.mean)}  max ${fmt(s.max)}`);
  row('opacity', r.opacity);
  row('scale (m)', r.scale);
  if (r.color) lines.push(`  colour     mean (${r.color.mean.map(fmt).join(', ')})`);
  return lines.join('\n');
}

export const inspectCommand: Command = {
  summary: 'print what a splat file holds (count, bounds, SH degree, opacity and scale statistics)',
  usage: 'usage: worldsplat inspect <file.ply|file.splat|file.worldsplat> [--json]',
  options: { json: { type: 'boolean' } },
  async run(positionals, values) {
    if (positionals.length !== 1) throw new UsageError(`expected one file, found ${positionals.length} arguments`);
    const bar = progressBar();
    const world = await loadWorld(positionals[0], bar.update);
    bar.done();
    const report = inspectCloud(positionals[0], world.splats, world.memory.size);
    // The file name is printed as escapeControls writes it (a name with ESC[2J in it cleared the terminal).
    // JSON.stringify escapes C0 controls in strings but leaves DEL and C1 (U+009B is a CSI) as they are;
    // escaped line by line they become \u escapes of the same string, and the lines' own breaks stay.
    const text = values.json ? JSON.stringify(report, null, 2).split('\n').map(escapeControls).join('\n') : describe(report);
    process.stdout.write(text + '\n');
  },
};
