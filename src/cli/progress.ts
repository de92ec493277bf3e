/**
 * A progress bar on stderr that appears only once work has taken longer than a second, so quick
 * commands stay quiet and scripts reading stdout never see it.
 */
export type ProgressCallback = (fraction: number, stage: string) => void;

export interface ProgressBar {
  update: ProgressCallback;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr, delayMs = 1000): ProgressBar {
  const start = Date.now();
  let shown = false;
  let lastDraw = 0;
  const width = 30;
  return {
    update(fraction, stage) {
      const now = Date.now();
      if (now - start < delayMs || now - lastDraw < 100) return;
      lastDraw = now;
      shown = true;
      const f = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(f * width);
      const line = `${stage.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%`;
      stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
    },
    done() {
      if (shown && stream.isTTY) stream.write('\n');
    },
  };
}
