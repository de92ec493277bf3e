/**
 * Where a command's time goes, for WORLDSPLAT_TIMINGS=1: one line on stderr at the end, each phase in
 * milliseconds of wall time, the first one ("start") from the process's own start (Node, loading the
 * CLI) to the command's first phase. Off by default: the normal output stays one line per result.
 */
export interface Timings {
  /** Closes the phase running since the last mark (or since the command started) under this name. */
  mark(phase: string): void;
  /** The line, e.g. "timings: start 310 ms, decode 41, ... total 2710 (wall since the process started)". */
  line(): string;
  /** Writes the line to stderr when WORLDSPLAT_TIMINGS=1. */
  report(): void;
}

export function startTimings(now: () => number = () => performance.now()): Timings {
  // performance.now() counts from the process's start in Node, so the first phase includes start-up.
  const phases: [string, number][] = [['start', now()]];
  let last = phases[0][1];
  return {
    mark(phase) {
      const t = now();
      phases.push([phase, t - last]);
      last = t;
    },
    line() {
      const parts = phases.map(([name, ms], i) => `${name} ${ms.toFixed(0)}${i === 0 ? ' ms' : ''}`);
      return `timings: ${parts.join(', ')}; total ${last.toFixed(0)} ms since the process started`;
    },
    report() {
      if (process.env.WORLDSPLAT_TIMINGS === '1') process.stderr.write(`${this.line()}\n`);
    },
  };
}
