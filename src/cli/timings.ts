/**
 * Where a command's time goes, for WORLDSPLAT_TIMINGS=1: one line on stderr at the end, each phase in
 * milliseconds of wall time, the first one ("start") from the process's own start (Node, loading the
 * CLI) to the command's first phase; and, where Linux says it (/proc/thread-self/schedstat), a second
 * line with the CPU time the main thread itself ran in each phase. On a machine shared with other
 * work, wall times move with the load; the main thread's CPU time hardly does, so a change to the
 * work is seen there (the model's thread and V8's compiler threads are not in it).
 * Off by default: the normal output stays one line per result.
 */
import { readFileSync } from 'node:fs';

export interface Timings {
  /** Closes the phase running since the last mark (or since the command started) under this name. */
  mark(phase: string): void;
  /** The line, e.g. "timings: start 310 ms, decode 41, ... total 2710 (wall since the process started)". */
  line(): string;
  /** "main thread CPU: start 180 ms, decode 30, ...; total 1900 ms", or undefined where not measured. */
  cpuLine(): string | undefined;
  /** Writes the line(s) to stderr when WORLDSPLAT_TIMINGS=1. */
  report(): void;
}

/**
 * "process: 23978 minor page faults, glibc tunables glibc.malloc.hugetlb=1:..." (the whole process,
 * every thread, up to now). Each fault costs about 10 microseconds on the development machine, so their
 * count says what the memory settings of bin/worldsplat.mjs's first line save; "none" where it ran
 * without them (as `node bin/worldsplat.mjs`).
 */
export function processLine(faults = process.resourceUsage().minorPageFault, tunables = process.env.GLIBC_TUNABLES): string {
  return `process: ${faults} minor page faults, glibc tunables ${tunables || 'none'}`;
}

/** CPU time (ms) the calling thread has run, from Linux's schedstat; NaN where there is none. */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

export function startTimings(now: () => number = () => performance.now(), cpu: () => number = threadCpuMs): Timings {
  // performance.now() counts from the process's start in Node, so the first phase includes start-up;
  // so does the thread's CPU time.
  const phases: [string, number, number][] = [['start', now(), cpu()]];
  let last = phases[0][1], lastCpu = phases[0][2];
  const list = (i: 1 | 2) => phases.map((p, j) => `${p[0]} ${p[i].toFixed(0)}${j === 0 ? ' ms' : ''}`).join(', ');
  return {
    mark(phase) {
      const t = now(), c = cpu();
      phases.push([phase, t - last, c - lastCpu]);
      last = t;
      lastCpu = c;
    },
    line() {
      return `timings: ${list(1)}; total ${last.toFixed(0)} ms since the process started`;
    },
    cpuLine() {
      return Number.isFinite(lastCpu) ? `main thread CPU: ${list(2)}; total ${lastCpu.toFixed(0)} ms` : undefined;
    },
    report() {
      if (process.env.WORLDSPLAT_TIMINGS !== '1') return;
      const cpuLine = this.cpuLine();
      process.stderr.write(`${this.line()}\n${cpuLine ? `${cpuLine}\n` : ''}${processLine()}\n`);
    },
  };
}
